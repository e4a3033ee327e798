package story

import (
	"reflect"
	"strings"
	"testing"

	"github.com/avdoc/avdoc/engine"
)

func mustParse(t *testing.T, src string) *Story {
	t.Helper()
	s, err := Parse("s.yaml", []byte(src))
	if err != nil {
		t.Fatalf("Parse: %v\n%s", err, src)
	}
	return s
}

// stepStory is a one-step story with do: as given.
func stepStory(do string) string {
	return "title: T\nkernel: 2.6.34\nsteps:\n  - do: " + do + "\n"
}

func whole(p, r string) engine.Range { return engine.Range{Proc: p, Region: r, Whole: true} }

func span(p, r string, first, last int) engine.Range {
	return engine.Range{Proc: p, Region: r, First: first, Last: last}
}

func TestParseEvents(t *testing.T) {
	tests := []struct {
		do   string
		want []engine.Event
	}{
		{"spawn P", []engine.Event{{Op: engine.OpSpawn, Proc: "P"}}},
		{"mmap P heap 2", []engine.Event{{Op: engine.OpMmap, Proc: "P", Region: "heap", Pages: 2, Writable: true}}},
		{"mmap P heap 3 at 0x200 ro", []engine.Event{{Op: engine.OpMmap, Proc: "P", Region: "heap", Pages: 3, At: 0x200, HasAt: true}}},
		{"mmap P heap 3 ro at 512", []engine.Event{{Op: engine.OpMmap, Proc: "P", Region: "heap", Pages: 3, At: 512, HasAt: true}}},
		{"mmap P heap 1 rw", []engine.Event{{Op: engine.OpMmap, Proc: "P", Region: "heap", Pages: 1, Writable: true}}},
		{"write P:heap", []engine.Event{{Op: engine.OpWrite, Range: whole("P", "heap")}}},
		{"read P:heap:*", []engine.Event{{Op: engine.OpRead, Range: whole("P", "heap")}}},
		{"write P:heap:2", []engine.Event{{Op: engine.OpWrite, Range: span("P", "heap", 2, 2)}}},
		{"walk P:heap:1..3", []engine.Event{{Op: engine.OpWalk, Range: span("P", "heap", 1, 3)}}},
		{"munmap P:my-heap_2", []engine.Event{{Op: engine.OpMunmap, Range: whole("P", "my-heap_2")}}},
		{"fork P C", []engine.Event{{Op: engine.OpFork, Proc: "P", Child: "C"}}},
		{"fork P C1..C3", []engine.Event{
			{Op: engine.OpFork, Proc: "P", Child: "C1"},
			{Op: engine.OpFork, Proc: "P", Child: "C2"},
			{Op: engine.OpFork, Proc: "P", Child: "C3"},
		}},
		{"write C1..C2:heap", []engine.Event{
			{Op: engine.OpWrite, Range: whole("C1", "heap")},
			{Op: engine.OpWrite, Range: whole("C2", "heap")},
		}},
		{"read C9..C10:heap:0..1", []engine.Event{
			{Op: engine.OpRead, Range: span("C9", "heap", 0, 1)},
			{Op: engine.OpRead, Range: span("C10", "heap", 0, 1)},
		}},
		{"exit C1..C2", []engine.Event{{Op: engine.OpExit, Proc: "C1"}, {Op: engine.OpExit, Proc: "C2"}}},
		{"spawn Q1..Q1", []engine.Event{{Op: engine.OpSpawn, Proc: "Q1"}}},
		{"mprotect P:heap:0 ro", []engine.Event{{Op: engine.OpMprotect, Range: span("P", "heap", 0, 0)}}},
		{"mprotect P:heap rw", []engine.Event{{Op: engine.OpMprotect, Range: whole("P", "heap"), Writable: true}}},
		{"swapout all", []engine.Event{{Op: engine.OpSwapout, All: true}}},
		{"swapout P:heap:0", []engine.Event{{Op: engine.OpSwapout, Range: span("P", "heap", 0, 0)}}},
		{"evict all", []engine.Event{{Op: engine.OpEvict, All: true}}},
		{"hibernate", []engine.Event{{Op: engine.OpHibernate}}},
		{"[spawn P, mmap P heap 1]", []engine.Event{
			{Op: engine.OpSpawn, Proc: "P"},
			{Op: engine.OpMmap, Proc: "P", Region: "heap", Pages: 1, Writable: true},
		}},
		{"'  spawn   P  '", []engine.Event{{Op: engine.OpSpawn, Proc: "P"}}},
		{"|\n      fork P C\n", []engine.Event{{Op: engine.OpFork, Proc: "P", Child: "C"}}},
	}
	for _, tt := range tests {
		t.Run(tt.do, func(t *testing.T) {
			s := mustParse(t, stepStory(tt.do))
			var got []engine.Event
			for _, ev := range s.Steps[0].Events {
				got = append(got, ev.Event)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("events of %q:\ngot  %+v\nwant %+v", tt.do, got, tt.want)
			}
		})
	}
}

// TestEventPositions checks the positions an event keeps for its parts,
// which Execute uses to place the engine's errors.
func TestEventPositions(t *testing.T) {
	s := mustParse(t, stepStory("[spawn P, fork P C1..C2, write  C1..C2:heap:0..1, mmap P x 1 at 0x9]"))
	evs := s.Steps[0].Events
	tests := []struct {
		ev    int
		field engine.Field
		col   int
	}{
		{0, engine.FieldEvent, 10},
		{0, engine.FieldProc, 16},
		{1, engine.FieldEvent, 19},
		{1, engine.FieldProc, 24},
		{2, engine.FieldChild, 26},
		{3, engine.FieldEvent, 34},
		{3, engine.FieldProc, 41},
		{3, engine.FieldRegion, 48},
		{3, engine.FieldIndex, 53},
		{4, engine.FieldProc, 41},
		{5, engine.FieldEvent, 59},
		{5, engine.FieldProc, 64},
		{5, engine.FieldRegion, 66},
		{5, engine.FieldPages, 68},
		{5, engine.FieldAt, 73},
	}
	for _, tt := range tests {
		if got := evs[tt.ev].PosOf(tt.field); got.Line != 4 || got.Col != tt.col {
			t.Errorf("event %d (%s) field %d: got %v, want line 4 col %d", tt.ev, evs[tt.ev].Text, tt.field, got, tt.col)
		}
	}
	if got, want := evs[3].Text, "write  C1..C2:heap:0..1"; got != want {
		t.Errorf("Text = %q, want %q (the whole text of a name-range event)", got, want)
	}
}

func TestParseKernels(t *testing.T) {
	tests := []struct {
		kernels string
		names   []string
		bases   []string
		fixes   []engine.Fix
		ksm     []bool
	}{
		{"kernel: 2.6.34", []string{"2.6.34"}, []string{""}, []engine.Fix{allFixes()}, []bool{false}},
		{"kernels: [2.6.34]", []string{"2.6.34"}, []string{""}, []engine.Fix{allFixes()}, []bool{false}},
		{"kernels: 2.6.34", []string{"2.6.34"}, []string{""}, []engine.Fix{allFixes()}, []bool{false}},
		{"kernels: [2.6.34, {name: x, base: 2.6.34, fixes: [clone-order]}]", []string{"2.6.34", "x"}, []string{"", "2.6.34"},
			[]engine.Fix{allFixes(), engine.FixCloneReverse}, []bool{false, false}},
		{"kernels:\n  - name: y\n    base: 2.6.34\n    fixes: [oldest-anon-vma, exclusive-newest]\n    ksm: true",
			[]string{"y"}, []string{"2.6.34"}, []engine.Fix{engine.FixOldest | engine.FixExclusiveNewest}, []bool{true}},
		{"kernel: {name: z, base: 2.6.34, fixes: clone-order}", []string{"z"}, []string{"2.6.34"}, []engine.Fix{engine.FixCloneReverse}, []bool{false}},
		{"kernel: {name: none, base: 2.6.34, fixes: []}", []string{"none"}, []string{"2.6.34"}, []engine.Fix{0}, []bool{false}},
	}
	for _, tt := range tests {
		t.Run(tt.kernels, func(t *testing.T) {
			s := mustParse(t, "title: T\n"+tt.kernels+"\nsteps:\n  - do: spawn P\n")
			if got := s.KernelNames(); !reflect.DeepEqual(got, tt.names) {
				t.Fatalf("kernels %v, want %v", got, tt.names)
			}
			for i, k := range s.Kernels {
				if k.Model.Base != tt.bases[i] || k.Model.Fixes != tt.fixes[i] || k.Model.KSM != tt.ksm[i] {
					t.Errorf("kernel %s: base %q fixes %b ksm %v, want %q %b %v", k.Model.Name,
						k.Model.Base, k.Model.Fixes, k.Model.KSM, tt.bases[i], tt.fixes[i], tt.ksm[i])
				}
				if k.Pos.Line < 2 || k.Pos.Col < 1 {
					t.Errorf("kernel %s has no position: %v", k.Model.Name, k.Pos)
				}
			}
		})
	}
}

func allFixes() engine.Fix {
	m, err := engine.Lookup("2.6.34")
	if err != nil {
		panic(err)
	}
	return m.Fixes
}

// TestKernelNamesAreText: a model name is the node's text, never a
// decoded number: `6.0` names model 6.0, and `3.70` is not model 3.7.
func TestKernelNamesAreText(t *testing.T) {
	for _, name := range []string{"6.0", "3.7", "3.19", "2.6.6", "3.70", "6.00", "6", "!!float 6.0", "'6.0'"} {
		text := strings.Trim(strings.TrimPrefix(name, "!!float "), "'")
		_, lookupErr := engine.Lookup(text)
		s, err := Parse("s.yaml", []byte("title: T\nkernel: "+name+"\nsteps:\n  - do: spawn P\n"))
		switch {
		case lookupErr == nil && err != nil:
			t.Errorf("kernel: %s: %v", name, err)
		case lookupErr == nil && s.KernelNames()[0] != text:
			t.Errorf("kernel: %s read as %q", name, s.KernelNames()[0])
		case lookupErr != nil && (err == nil || !strings.Contains(err.Error(), `"`+text+`"`)):
			t.Errorf("kernel: %s gave %v, which does not name %s as written", name, err, text)
		}
	}
}

func TestParseExpectations(t *testing.T) {
	src := `title: T
kernels: [2.6.34-rc3, 2.6.34]
steps:
  - do: [spawn P, mmap P heap 1, write P:heap:0]
    expect:
      - mapping(P:heap:0) == av(P:heap)
      - clean
  - do: fork P C
    expect:
      all: [count(avc) >= 3, "no oops"]
      2.6.34: [violation I3]
      2.6.34-rc3:
        - chain(C:heap:0) == [av(C:heap), av(P:heap#2)]
  - do: walk P:heap:0
    expect: oops
`
	s := mustParse(t, src)
	type exp struct {
		kernel, text string
		line, col    int
	}
	var got []exp
	for _, st := range s.Steps {
		for _, x := range st.Expect {
			got = append(got, exp{x.Kernel, x.Text, x.Pos.Line, x.Pos.Col})
		}
		got = append(got, exp{}) // end of step
	}
	want := []exp{
		{"", "mapping(P:heap:0) == av(P:heap)", 6, 9},
		{"", "clean", 7, 9},
		{},
		{"", "count(avc) >= 3", 10, 13},
		{"", "no oops", 10, 31},
		{"2.6.34", "violation I3", 11, 16},
		{"2.6.34-rc3", "chain(C:heap:0) == [av(C:heap), av(P:heap#2)]", 13, 11},
		{},
		{"", "oops", 15, 13},
		{},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("expectations:\ngot  %+v\nwant %+v", got, want)
	}

	x := s.Steps[1].Expect[3].Expr
	if x.Op != "==" || x.Left.Kind != TermFunc || x.Left.Name != "chain" || x.Left.Addr != (Addr{"C", "heap", 0}) ||
		x.Right.Kind != TermList || len(x.Right.Items) != 2 ||
		x.Right.Items[0].AV != (Addr{"C", "heap", 1}) || x.Right.Items[1].AV != (Addr{"P", "heap", 2}) {
		t.Errorf("chain expectation parsed as %+v", x)
	}
	if x := s.Steps[1].Expect[2].Expr; x.Pred != "violation" || x.Violation != "I3" {
		t.Errorf("violation I3 parsed as %+v", x)
	}
	if x := s.Steps[1].Expect[1].Expr; x.Pred != "no oops" {
		t.Errorf("no oops parsed as %+v", x)
	}
	if x := s.Steps[1].Expect[0].Expr; x.Op != ">=" || x.Left.Count != "avc" || x.Right.Kind != TermInt || x.Right.Int != 3 {
		t.Errorf("count(avc) >= 3 parsed as %+v", x)
	}
}

func TestParseExprTerms(t *testing.T) {
	tests := []struct {
		text string
		want Expr
	}{
		{"freed(av(C:heap))", Expr{Pred: "freed"}},
		{"alive(av(C:heap#3))", Expr{Pred: "alive"}},
		{"swapped(P:heap:0)", Expr{Pred: "swapped"}},
		{"clean", Expr{Pred: "clean"}},
		{"oops", Expr{Pred: "oops"}},
		{"walk(P:heap:0) == [P, C]", Expr{Op: "=="}},
		{"av(P:heap) in chain(C:heap:0)", Expr{Op: "in"}},
		{"mapcount(P:heap:1) != 0", Expr{Op: "!="}},
		{"visits(P:heap:0) <= 2", Expr{Op: "<="}},
		{"page(P:heap:0) == zero_page", Expr{Op: "=="}},
		{"anon_vma(P:heap:0) == NULL", Expr{Op: "=="}},
	}
	for _, tt := range tests {
		x, err := parseExpr(tt.text, textPos{start: Pos{Line: 1, Col: 1}, text: tt.text, exact: true})
		if err != nil {
			t.Errorf("%s: %v", tt.text, err)
			continue
		}
		if x.Op != tt.want.Op || x.Pred != tt.want.Pred {
			t.Errorf("%s: op %q pred %q, want %q %q", tt.text, x.Op, x.Pred, tt.want.Op, tt.want.Pred)
		}
		if x.Pred == "" && termText(x.Left)+" "+x.Op+" "+termText(x.Right) != tt.text {
			t.Errorf("%s prints back as %s %s %s", tt.text, termText(x.Left), x.Op, termText(x.Right))
		}
		if x.Pred == "freed" || x.Pred == "alive" || x.Pred == "swapped" {
			if termText(x.Arg) != tt.text {
				t.Errorf("%s prints back as %s", tt.text, termText(x.Arg))
			}
		}
	}
}

func TestParseShow(t *testing.T) {
	src := `title: T
kernel: 2.6.34
show: {ptes: true, only: [P, C1..C3], collapse: C2..C3}
steps:
  - do: spawn P
  - do: spawn Q
    show: {pages: false, swap: true, only: Q}
`
	s := mustParse(t, src)
	yes, no := true, false
	want := Show{PTEs: &yes, Only: []string{"P", "C1", "C2", "C3"}, Collapse: []string{"C2", "C3"}}
	if !reflect.DeepEqual(s.Show, want) {
		t.Errorf("story show = %+v, want %+v", s.Show, want)
	}
	wantStep := Show{Pages: &no, Swap: &yes, Only: []string{"Q"}}
	if !reflect.DeepEqual(s.Steps[1].Show, wantStep) {
		t.Errorf("step show = %+v, want %+v", s.Steps[1].Show, wantStep)
	}
	res, err := Execute(s)
	if err != nil {
		t.Fatal(err)
	}
	merged := Show{Pages: &no, PTEs: &yes, Swap: &yes, Only: []string{"Q"}, Collapse: []string{"C2", "C3"}}
	if got := res.Runs[0].Steps[1].Show; !reflect.DeepEqual(got, merged) {
		t.Errorf("step 2 shows %+v, want the story's options overridden by the step's: %+v", got, merged)
	}
	if got := res.Runs[0].Steps[0].Show; !reflect.DeepEqual(got, want) {
		t.Errorf("step 1 shows %+v, want the story's %+v", got, want)
	}
}

func TestParseTopLevel(t *testing.T) {
	src := "\uFEFFtitle: The story\nsummary: >\n  One\n  paragraph.\nkernel: 2.6.34\ntags: [a, b]\nintro: |\n  Intro.\noutro: Bye.\nsteps:\n  - say: only words\n"
	s := mustParse(t, src)
	if s.Title != "The story" || s.Summary != "One paragraph.\n" || s.Intro != "Intro.\n" || s.Outro != "Bye." ||
		!reflect.DeepEqual(s.Tags, []string{"a", "b"}) || len(s.Steps) != 1 || s.Steps[0].Say != "only words" || s.Steps[0].Events != nil {
		t.Errorf("parsed %+v", s)
	}
	if p := s.Steps[0].Pos; p.Line != 11 || p.Col != 5 {
		t.Errorf("step position %v, want 11:5", p)
	}
}
