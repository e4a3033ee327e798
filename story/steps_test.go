package story

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// TestParseStepRefs reads the `@N` and `@before` that make a term read an
// earlier step, and prints them back as written.
func TestParseStepRefs(t *testing.T) {
	tests := []struct {
		text         string
		step         int
		at, rightAt  int
		before       bool
		rightBefore  bool
		printedRight string
	}{
		{"page(C:heap:0) == page(C:heap:0)@before", 3, 0, 0, false, true, "page(C:heap:0)@before"},
		{"page(C:heap:0) != page(P:heap:0)@2", 3, 0, 2, false, false, "page(P:heap:0)@2"},
		{"page(C:heap:0)@1 == page(P:heap:0) @ 3", 3, 1, 3, false, false, "page(P:heap:0)@3"},
		{"mapping(P:heap:0)@before == av(P:heap)", 2, 0, 0, true, false, "av(P:heap)"},
		{"count(page) == count(page)@1", 5, 0, 1, false, false, "count(page)@1"},
		{"root(av(P:heap)@1)@2 == av(P:heap)", 2, 2, 0, false, false, "av(P:heap)"},
		{"page(P:heap:0)@7 == NULL", 0, 7, 0, false, false, "NULL"}, // step not known: not bounded
	}
	for _, tt := range tests {
		x, err := parseExprAt(tt.text, textPos{start: Pos{Line: 1, Col: 1}, text: tt.text, exact: true}, 100, tt.step)
		if err != nil {
			t.Errorf("%s: %v", tt.text, err)
			continue
		}
		if x.Left.At != tt.at || x.Left.Before != tt.before || x.Right.At != tt.rightAt || x.Right.Before != tt.rightBefore {
			t.Errorf("%s: left @%d before=%v, right @%d before=%v", tt.text, x.Left.At, x.Left.Before, x.Right.At, x.Right.Before)
		}
		if got := termText(x.Right); got != tt.printedRight {
			t.Errorf("%s: right side prints back as %s, want %s", tt.text, got, tt.printedRight)
		}
	}
	x, _ := parseExprAt("freed(av(C:heap))@2", textPos{start: Pos{Line: 1, Col: 1}}, 100, 3)
	if x.Pred != "freed" || x.Arg.At != 2 || termText(x.Arg) != "freed(av(C:heap))@2" {
		t.Errorf("freed(av(C:heap))@2 parsed as %+v", x)
	}
	if x, _ := parseExprAt("root(av(P:heap)@1)@2 == NULL", textPos{start: Pos{Line: 1, Col: 1}}, 100, 2); x.Left.Arg == nil || x.Left.Arg.At != 1 {
		t.Errorf("the inner @1 of root(av(P:heap)@1)@2 is lost: %+v", x.Left)
	}
}

// TestStepRefErrors: a step reference that cannot be read is an error at
// its position, with what was expected and a hint.
func TestStepRefErrors(t *testing.T) {
	const head = "title: T\nkernel: 2.6.34\nsteps:\n  - do: [spawn P, mmap P heap 1, write P:heap:0]\n"
	first := "    expect:\n      - page(P:heap:0) == page(P:heap:0)@before\n"
	second := "  - do: write P:heap:0\n    expect:\n      - "
	tests := []struct {
		name, src string
		line, col int
		msg, hint string
	}{
		{"before step 1", head + first, 6, 42, "step 1 has no step before it", "drop @before"},
		{"a later step", head + second + "page(P:heap:0) == page(P:heap:0)@3\n", 7, 42, "step 3 comes after this one (step 2)", "@before"},
		{"step 0", head + second + "page(P:heap:0)@0 == NULL\n", 7, 24, "steps are numbered from 1, not 0", "page(P:heap:0)@2"},
		{"not a step", head + second + "page(P:heap:0)@last == NULL\n", 7, 24, "expected a step number or `before` after @, found \"last\"", "@before"},
		{"nothing after @", head + second + "page(P:heap:0) == page(P:heap:0)@\n", 7, 42, "expected a step number or `before` after @, found the end", "@2"},
		{"a name", head + second + "walk(P:heap:0) == [P@1]\n", 7, 29, "only a function term such as page(P:heap:0) can be read at another step, not P", "@before"},
		{"a list", head + second + "walk(P:heap:0) == [P]@1\n", 7, 30, "not [P]", "@before"},
		{"a number", head + second + "mapcount(P:heap:0) == 1@1\n", 7, 32, "not 1", "@before"},
		{"a later step inside", head + second + "root(av(P:heap)@2)@1 == NULL\n", 7, 28, "av(P:heap)@2 reads step 2 inside a term read at step 1", "a step before the outer one"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("s.yaml", []byte(tt.src))
			var list ErrorList
			if !errors.As(err, &list) || len(list) != 1 {
				t.Fatalf("Parse returned %v, want one error", err)
			}
			e := list[0]
			if e.Pos.Line != tt.line || e.Pos.Col != tt.col || !strings.Contains(e.Msg, tt.msg) || !strings.Contains(e.Hint, tt.hint) {
				t.Errorf("got %v\nwant s.yaml:%d:%d: …%s… (…%s…)", e, tt.line, tt.col, tt.msg, tt.hint)
			}
		})
	}
}

// keptPages is a story of COW under 2.6.6's pte_chains, 2.6.34's
// anon_vma_chain, and 6.0's and 6.18's PG_anon_exclusive. A write to a
// page that others map gives the writer a new page; a write to a page
// that only the writer maps reuses it, whether the kernel knows it from
// the mapcount (2.6.6, 2.6.34) or from PG_anon_exclusive (6.0); 6.18
// maps a page read back under an exclusive swap entry writable at once,
// so the write does not even fault.
const keptPages = `title: T
kernels: [2.6.6, 2.6.34, 6.0, 6.18]
steps:
  - do: [spawn P, mmap P heap 2, write P:heap, fork P C]
  - do: write C:heap:0
    expect:
      - page(C:heap:0) != page(C:heap:0)@before
      - page(P:heap:0) == page(P:heap:0)@before
      - page(C:heap:0)@1 == page(P:heap:0)
  - do: write P:heap:0
    expect:
      - page(P:heap:0) == page(P:heap:0)@before
      - page(P:heap:0) == page(P:heap:0)@1
      - count(page) == count(page)@before
  - do: [spawn Q, mmap Q heap 1, write Q:heap:0, swapout Q:heap, read Q:heap]
  - do: write Q:heap:0
    expect:
      - page(Q:heap:0) == page(Q:heap:0)@before
  - do: [swapout P:heap:1, read P:heap:1]
    expect:
      - page(P:heap:1) == page(P:heap:1)@1
      - swapped(C:heap:1)
  - do: write P:heap:1
    expect:
      - page(P:heap:1) != page(P:heap:1)@before
      - page(C:heap:1) == page(P:heap:1)@before
      - page(C:heap:1) == page(C:heap:1)@2
`

// TestKeptPageAcrossDesigns runs keptPages: every expectation holds in
// every design, and a wrong one fails saying what each step had.
func TestKeptPageAcrossDesigns(t *testing.T) {
	res := execute(t, keptPages)
	if got := failureTexts(res); got != nil {
		t.Errorf("failures:\n%s", strings.Join(got, "\n"))
	}
	for _, r := range res.Runs {
		n := 0
		for _, s := range r.Steps {
			n += len(s.Checks)
		}
		if n != 12 {
			t.Errorf("kernel %s checked %d expectations, want 12", r.Kernel.Model.Name, n)
		}
	}
	wrong := strings.Replace(keptPages, "page(C:heap:0) != page(C:heap:0)@before", "page(C:heap:0) == page(C:heap:0)@before", 1)
	res = execute(t, wrong)
	want := []string{
		"story.yaml:7:9: step 2 (kernel 2.6.6): expected page(C:heap:0) == page(C:heap:0)@before, got page(C:heap:0) is page 3 and page(C:heap:0)@before is page 1",
		"story.yaml:7:9: step 2 (kernel 2.6.34): expected page(C:heap:0) == page(C:heap:0)@before, got page(C:heap:0) is page 3 and page(C:heap:0)@before is page 1",
		"story.yaml:7:9: step 2 (kernel 6.0): expected page(C:heap:0) == page(C:heap:0)@before, got page(C:heap:0) is page 3 and page(C:heap:0)@before is page 1",
		"story.yaml:7:9: step 2 (kernel 6.18): expected page(C:heap:0) == page(C:heap:0)@before, got page(C:heap:0) is page 3 and page(C:heap:0)@before is page 1",
	}
	if got := failureTexts(res); !reflect.DeepEqual(got, want) {
		t.Errorf("failures:\ngot  %q\nwant %q", got, want)
	}
}

// TestKeptPageLog checks that keptPages reaches each kernel's reuse
// rule: 6.18 reuses the page Q read back from swap because it is
// PG_anon_exclusive; 2.6.6 and 2.6.34 because nobody else maps it.
func TestKeptPageLog(t *testing.T) {
	res := execute(t, keptPages)
	want := map[string]string{
		"2.6.6":  "page 4 has no other mapping, reused in place",
		"2.6.34": "page 4 has no other mapping, reused in place",
		"6.0":    "page 4 is PG_anon_exclusive, reused in place",
		"6.18":   "", // no fault
	}
	for _, r := range res.Runs {
		var log []string
		for _, l := range r.Steps[4].Log {
			log = append(log, l.String())
		}
		text, w := strings.Join(log, "\n"), want[r.Kernel.Model.Name]
		if w == "" && len(log) != 0 || !strings.Contains(text, w) {
			t.Errorf("kernel %s, step 5: log should say %q:\n%s", r.Kernel.Model.Name, w, text)
		}
	}
}

// TestStepRefInputErrors: a term read at a step where what it names did
// not exist says which step it read.
func TestStepRefInputErrors(t *testing.T) {
	src := "title: T\nkernel: 2.6.34\nsteps:\n  - do: [spawn P, mmap P heap 1]\n  - do: [mmap P stack 1, write P:stack:0]\n" +
		"    expect:\n      - page(P:stack:0)@1 == NULL\n      - page(C:heap:0)@1 == NULL\n"
	s, err := Parse("story.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Execute(s)
	want := "story.yaml:7:16: process P has no region stack at step 1 (P has: heap)\n" +
		"story.yaml:8:14: the story has no process C (its processes are P)"
	if err == nil || err.Error() != want {
		t.Errorf("error:\ngot  %v\nwant %s", err, want)
	}
}
