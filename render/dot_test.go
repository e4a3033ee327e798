package render

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/avdoc/avdoc/engine"
	"github.com/avdoc/avdoc/internal/golden"
)

// goldenCase is one drawing feature, kept small, with its golden file
// testdata/<name>.dot.
type goldenCase struct {
	name string
	st   func() *engine.State
	opt  Options
}

// goldenCases is shared with the render/gv tests through the testdata
// files they produce.
var goldenCases = []goldenCase{
	{"single", single, Options{HideLegend: true}},
	{"fork", fork, Options{}},
	{"cow", cow, Options{HideLegend: true}},
	{"freed", freed, Options{HideLegend: true}},
	{"ptes", ptes, Options{PTEs: true, HideLegend: true}},
	{"only", fork, Options{Only: []string{"C"}, HideLegend: true}},
	{"nopages", cow, Options{HidePages: true, HideLegend: true}},
	{"walk", fork, Options{Walk: walkFork(), HideLegend: true}},
	{"walk_oops", freed, Options{Walk: walkOops()}},
	{"hostile", hostile, Options{ID: "s1-", HideLegend: true}},
	{"leak", leak, Options{HideLegend: true}},
}

func TestDOTGolden(t *testing.T) {
	for _, c := range goldenCases {
		t.Run(c.name, func(t *testing.T) {
			golden.Check(t, "testdata/"+c.name+".dot", DOT(c.st(), c.opt))
		})
	}
}

var idAttr = regexp.MustCompile(`\bid="([^"]*)"`)

// TestDOTIDsUnique checks that no two elements share an id and that every
// id carries the prefix.
func TestDOTIDsUnique(t *testing.T) {
	for _, c := range goldenCases {
		t.Run(c.name, func(t *testing.T) {
			seen := map[string]bool{}
			for _, m := range idAttr.FindAllStringSubmatch(string(DOT(c.st(), c.opt)), -1) {
				if seen[m[1]] {
					t.Errorf("id %q used twice", m[1])
				}
				if !strings.HasPrefix(m[1], c.opt.ID) {
					t.Errorf("id %q lacks prefix %q", m[1], c.opt.ID)
				}
				seen[m[1]] = true
			}
		})
	}
}

func TestDOTDeterministic(t *testing.T) {
	for _, c := range goldenCases {
		if a, b := DOT(c.st(), c.opt), DOT(c.st(), c.opt); !bytes.Equal(a, b) {
			t.Errorf("%s: two calls differ:\n%s", c.name, golden.Diff(string(a), string(b)))
		}
	}
	pc := DOT(fork(), Options{Only: []string{"P", "C"}})
	cp := DOT(fork(), Options{Only: []string{"C", "P", "C"}})
	if !bytes.Equal(pc, cp) {
		t.Errorf("Only order changes the output:\n%s", golden.Diff(string(pc), string(cp)))
	}
	if all := DOT(fork(), Options{}); !bytes.Equal(pc, all) {
		t.Errorf("Only naming every process differs from no filter:\n%s", golden.Diff(string(all), string(pc)))
	}
}

// TestDOTLeavesStateAlone checks that drawing does not modify the state.
func TestDOTLeavesStateAlone(t *testing.T) {
	st := cow()
	before := Describe(st, Options{}) + string(DOT(st, Options{PTEs: true}))
	DOT(st, Options{Walk: walkFork(), Only: []string{"C"}})
	if after := Describe(st, Options{}) + string(DOT(st, Options{PTEs: true})); after != before {
		t.Error("the state changed while drawing it")
	}
}

// TestDOTHides checks what each filter leaves out.
func TestDOTHides(t *testing.T) {
	tests := []struct {
		name      string
		st        *engine.State
		opt       Options
		want, not []string
	}{
		{"only C", fork(), Options{Only: []string{"C"}}, []string{"cluster_p2", "avc2 ", "av1 "}, []string{"cluster_p1", "avc1 ", `"vma1"`}},
		{"unknown name", fork(), Options{Only: []string{"nobody"}}, nil, []string{"cluster_", "avc", "page1 "}},
		{"exited C", freed(), Options{}, []string{"av2 ", "freed"}, []string{"cluster_p2", "vma2 "}},
		{"no pages", cow(), Options{HidePages: true}, []string{"av2 "}, []string{"page1", "page2", `class="mapping`, "page->mapping"}},
		{"no PTEs", ptes(), Options{}, []string{"page2 "}, []string{"zero", `class="pte`}},
		{"no legend", fork(), Options{HideLegend: true}, nil, []string{"legend"}},
		{"dangling AVC", danglingAVC(), Options{}, []string{`class="avc freed"`, "AVC 2 (freed)", "sv-avc3-avc2", "freed object"}, nil},
		{"walk miss", fork(), Options{Walk: walkMiss()}, []string{"walk1-avc1-vma1", `style="dashed"]`, "index outside, skipped", "not mapped at"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := string(DOT(tc.st, tc.opt))
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("missing %q", w)
				}
			}
			for _, n := range tc.not {
				if strings.Contains(got, n) {
					t.Errorf("unexpected %q", n)
				}
			}
		})
	}
}

// danglingAVC is fork() with AVC 2 freed while C's chain still lists it.
func danglingAVC() *engine.State {
	st := fork()
	st.AVC(2).Freed = true
	return st
}

// walkMiss is a walk of page 1 in fork() that finds nothing: the address
// falls outside P's VMA and C's PTE does not map the page.
func walkMiss() *engine.Walk {
	return &engine.Walk{Page: 1, Func: "try_to_unmap", Mapcount: 2, AnonVMA: 1,
		Visits: []engine.Visit{{VMA: 1, AVC: 1, Addr: 0x301, Outside: true}, {VMA: 2, AVC: 2, Addr: 0x100}}}
}

// TestTooBigDrawsSummary: past the node limit DOT draws one note with the
// state's inventory instead of a graph nobody could read.
func TestTooBigDrawsSummary(t *testing.T) {
	st := fork()
	full := string(DOT(st, Options{MaxNodes: -1}))
	small := string(DOT(st, Options{MaxNodes: 3}))
	if !strings.Contains(full, "avc3") || strings.Contains(full, "too many") {
		t.Errorf("without a limit the state is drawn in full:\n%s", full)
	}
	for _, want := range []string{"too many to draw legibly", "2 processes, 2 VMAs, 3 AVCs, 2 anon_vmas", `id="summary"`} {
		if !strings.Contains(small, want) {
			t.Errorf("summary lacks %q:\n%s", want, small)
		}
	}
	if strings.Contains(small, "avc3") {
		t.Errorf("summary still draws objects:\n%s", small)
	}
}
