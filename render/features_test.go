package render

import (
	"fmt"
	"strings"
	"testing"

	"github.com/avdoc/avdoc/engine"
	"github.com/avdoc/avdoc/internal/golden"
)

// featureCases are the goldens of what each model adds to the drawing,
// the display options and the change marks, kept small.
var featureCases = []goldenCase{
	{"root", root, Options{HideLegend: true}},
	{"itree", itree, Options{HideLegend: true}},
	{"degree", func() *engine.State { return withModel(fork(), engine.Model{Reuse: engine.ReuseDegree}) }, Options{HideLegend: true}},
	{"counters", func() *engine.State { return withModel(fork(), engine.Model{Reuse: engine.ReuseCounters}) }, Options{HideLegend: true}},
	{"swap", ptes, Options{Swap: true, HideLegend: true}},
	{"collapse", family(6, 1), Options{Collapse: []string{"C2", "C3", "C4", "C5"}, HideLegend: true, HidePages: true}},
	{"autocollapse", family(autoProcs+2, 1), Options{HideLegend: true, HidePages: true}},
	{"pagerun", family(1, minPageRun+2), Options{HideLegend: true}},
	{"added", fork, Options{Prev: single()}},
	{"removed", freed, Options{Prev: fork(), HideLegend: true}},
	{"ptechain", ptechain, Options{HideLegend: true}},
	{"avlist", avlist, Options{}},
}

func TestFeatureGolden(t *testing.T) {
	for _, c := range featureCases {
		t.Run(c.name, func(t *testing.T) {
			golden.Check(t, "testdata/"+c.name+".dot", DOT(c.st(), c.opt))
		})
	}
}

// withModel gives st a model of the anon_vma_chain design with m's
// policies.
func withModel(st *engine.State, m engine.Model) *engine.State {
	m.Design = engine.DesignAnonVMAChain
	if m.Name == "" {
		m.Name = "test"
	}
	st.Model = &m
	for i := range st.AnonVMAs {
		a := &st.AnonVMAs[i]
		a.Degree, a.NumChildren, a.NumActiveVMAs = 2, 1, 1
	}
	return st
}

// root is fork under 2.6.36: C's anon_vma has P's as its root.
func root() *engine.State {
	st := withModel(fork(), engine.Model{Root: true})
	st.AnonVMA(1).Root, st.AnonVMA(2).Root = 1, 1
	return st
}

// itree is P's VMA split in two under 3.7: the original keeps page 1 and
// its AVC is first on the list, but the interval tree files the new VMA's
// AVC, at page offset 0x100, first.
func itree() *engine.State {
	var f fixture
	p := f.proc("P", 0)
	hi := f.vma(p, "heap", 0x101, 1)
	a := f.prepare(hi, "P:heap")
	lo := f.vma(p, "heap", 0x100, 1)
	f.link(lo, a)
	f.st.VMA(lo).AnonVMA = a
	f.st.Proc(p).VMAs = []engine.VMAID{lo, hi}
	f.st.AVC(1).First, f.st.AVC(1).Last = 0x101, 0x101
	f.st.AVC(2).First, f.st.AVC(2).Last = 0x100, 0x100
	return withModel(&f.st, engine.Model{IntervalTree: true})
}

// ptechain is 2.6.6: P and C map page 1, whose PTE pointers moved to a
// pte_chain; page 2 is P's alone, its pointer in struct page.
func ptechain() *engine.State {
	var f fixture
	p := f.proc("P", 0)
	pv := f.vma(p, "heap", 0x100, 2)
	f.page(pv, 0, 0)
	f.page(pv, 1, 0)
	cv := f.vma(f.proc("C", p), "heap", 0x100, 1)
	f.mapPage(cv, 0, 1)
	f.st.Page(1).Chained = true
	f.st.Model = &engine.Model{Name: "2.6.6", Design: engine.DesignPTEChain}
	return &f.st
}

// avlist is 2.6.7-2.6.33 after a fork: one anon_vma, a list of both VMAs.
func avlist() *engine.State {
	var f fixture
	p := f.proc("P", 0)
	pv := f.vma(p, "heap", 0x100, 1)
	a := f.av("P:heap")
	cv := f.vma(f.proc("C", p), "heap", 0x100, 1)
	f.st.VMA(pv).AnonVMA, f.st.VMA(cv).AnonVMA = a, a
	f.st.AnonVMA(a).VMAs = []engine.VMAID{pv, cv}
	f.page(pv, 0, a)
	f.mapPage(cv, 0, 1)
	f.st.Model = &engine.Model{Name: "2.6.33", Design: engine.DesignAnonVMAList}
	return &f.st
}

// family returns a maker of P and its children C1..Cn, forked as 2.6.34
// does, after P wrote all of its pages pages: each child has an anon_vma
// of its own and an AVC to P's, and maps P's pages.
func family(children, pages int) func() *engine.State {
	return func() *engine.State {
		var f fixture
		p := f.proc("P", 0)
		pv := f.vma(p, "heap", 0x100, pages)
		pa := f.prepare(pv, "P:heap")
		for i := range pages {
			f.page(pv, i, pa)
		}
		for c := 1; c <= children; c++ {
			cv := f.vma(f.proc(fmt.Sprintf("C%d", c), p), "heap", 0x100, pages)
			f.link(cv, pa)
			f.prepare(cv, fmt.Sprintf("C%d:heap", c))
			for i := range pages {
				f.mapPage(cv, i, engine.PageID(i+1))
			}
		}
		return &f.st
	}
}

// TestCollapse checks what a stack stands for: one process for the run,
// counted, with the run's other members and their own objects left out.
func TestCollapse(t *testing.T) {
	tests := []struct {
		name      string
		st        *engine.State
		opt       Options
		want, not []string
	}{
		{"named", family(6, 1)(), Options{Collapse: []string{"C2", "C3", "C4", "C5"}},
			[]string{"C2 .. C5: 4 processes", "and 3 more like it", "x 4", "cluster_p2 ", "cluster_p7 "},
			[]string{"cluster_p4 ", "vma4 ", "C3:heap"}},
		{"one name is no stack", family(3, 1)(), Options{Collapse: []string{"C2"}}, []string{"cluster_p3 "}, []string{"processes"}},
		{"automatic", family(autoProcs+2, 1)(), Options{},
			[]string{"C2 .. C13: 12 processes", "cluster_p2 ", "cluster_p15 "}, []string{"cluster_p5 "}},
		{"few are not stacked", family(autoProcs-1, 1)(), Options{}, []string{"cluster_p12 "}, []string{"processes"}},
		{"a walked child stays", family(autoProcs+2, 1)(), Options{Walk: &engine.Walk{Page: 1, Func: "try_to_unmap",
			Visits: []engine.Visit{{VMA: 8, AVC: 14, Addr: 0x100, Found: true}}}},
			[]string{"cluster_p8 ", "C2 .. C5: 4 processes", "C9 .. C13: 5 processes"}, []string{"cluster_p4 "}},
		{"page run", family(0, minPageRun)(), Options{}, []string{"pages 1..12 (12)", "index 0x100..0x10b"}, []string{"page2 "}},
		{"short page run", family(0, minPageRun-1)(), Options{}, []string{"page11 "}, []string{"pages 1.."}},
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

// TestRikScale draws a thousand children with a thousand pages each, as
// stories/07-rik-1000.yaml does, in a few hundred objects at most.
func TestRikScale(t *testing.T) {
	st := family(1000, 1000)()
	p := Draw(st, Options{})
	if p.summarized() {
		t.Fatalf("drew a summary instead of stacks: %s", p.Describe())
	}
	if n := len(p.nodes); n > 40 {
		t.Errorf("%d nodes drawn; stacks should keep it to a few dozen", n)
	}
	if d := p.Describe(); !strings.Contains(d, "998 alike processes, C2 to C999") {
		t.Errorf("the description does not name the stack: %s", d)
	}
}

// TestChanges checks the change marks against the state before the step.
func TestChanges(t *testing.T) {
	tests := []struct {
		name        string
		st, prev    *engine.State
		marks       map[string]string // element name: the mark it must carry
		description string
	}{
		{"fork adds C", fork(), single(), map[string]string{"vma2": markAdded, "av2": markAdded, "avc3": markAdded,
			"sav-av1-avc1": "", "sv-vma2-avc3": markAdded, "page1": markChanged, "vma1": ""},
			"New in this step: VMA C:heap"},
		{"exit frees C", freed(), fork(), map[string]string{"vma2": markRemoved, "avc3": markRemoved,
			"page1-av2": markChanged, "page1-av1": markRemoved, "av2": markChanged},
			"Gone: process C; VMA C:heap"},
		{"nothing changed", fork(), fork(), map[string]string{"vma1": "", "av2": "", "page1-av1": ""}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := Draw(tc.st, Options{Prev: tc.prev})
			for name, want := range tc.marks {
				e := find(p, name)
				if e == nil {
					t.Errorf("%s is not drawn", name)
					continue
				}
				for _, m := range []string{markAdded, markChanged, markRemoved} {
					if has := hasClass(e, m); has != (m == want) {
						t.Errorf("%s has class %q; want mark %q", name, e.class, want)
					}
				}
			}
			if !strings.Contains(p.Describe(), tc.description) {
				t.Errorf("description lacks %q:\n%s", tc.description, p.Describe())
			}
		})
	}
}

func find(p *Picture, name string) *element {
	for _, es := range [][]*element{p.nodes, p.edges} {
		for _, e := range es {
			if e.name == name {
				return e
			}
		}
	}
	return nil
}

// TestChangesKeepRuns: a walk of a page takes it out of its run of alike
// pages; the rest of the run is the same pages, changed, not new.
func TestChangesKeepRuns(t *testing.T) {
	st := family(0, minPageRun+2)()
	p := Draw(st, Options{Prev: st, Walk: &engine.Walk{Page: 1, Func: "page_referenced", AnonVMA: 1}})
	if e := find(p, "page2"); e == nil || !hasClass(e, markChanged) || hasClass(e, markAdded) {
		t.Errorf("page2, now heading the run, is %+v; want it marked changed", e)
	}
	for _, n := range p.nodes {
		if hasClass(n, markRemoved) {
			t.Errorf("%s is drawn as gone", n.name)
		}
	}
}
