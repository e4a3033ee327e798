package engine

import (
	"fmt"
	"slices"
	"testing"
)

// walkProcs lists the processes a walk of the page at P:region:i visits.
func walkProcs(s *State, proc, region string, i int) []string {
	p := s.ProcByName(proc)
	r, _ := p.Region(region)
	pte, _ := s.PTEAt(p, r.Start+uint64(i))
	var out []string
	for _, v := range s.Walk(pte.Page, "page_referenced").Visits {
		out = append(out, s.Proc(s.VMA(v.VMA).Proc).Name)
	}
	return out
}

// TestG1ListModels: in 2.6.7-2.6.33 one anon_vma serves the whole fork
// family: C's VMA joins P's list, and every page, C's COW copy included,
// points at it (§13 G1, M1). 2.6.7 adds VMAs at the head of the list,
// 2.6.33 at the tail, which decides the walk order.
func TestG1ListModels(t *testing.T) {
	for _, tt := range []struct {
		model string
		order []string
	}{{"2.6.7", []string{"C", "P"}}, {"2.6.33", []string{"P", "C"}}} {
		t.Run(tt.model, func(t *testing.T) {
			res := run(t, New(mustModel(t, tt.model)), g1()...)
			s := &res[2].State
			if len(s.AnonVMAs) != 1 || len(s.AVCs) != 0 {
				t.Fatalf("%d anon_vmas and %d AVCs, want 1 and 0", len(s.AnonVMAs), len(s.AVCs))
			}
			for _, pg := range s.Pages {
				if !pg.Freed && pg.Mapping != 1 {
					t.Errorf("page %d points at %d, want the family's anon_vma", pg.ID, pg.Mapping)
				}
			}
			if got := walkProcs(s, "P", "heap", 1); !slices.Equal(got, tt.order) {
				t.Errorf("walk of the shared page visits %v, want %v", got, tt.order)
			}
			// C's private copy is still looked for in P first under 2.6.33.
			want := map[string]int{"2.6.7": 1, "2.6.33": 2}[tt.model]
			if got := len(walkProcs(s, "C", "heap", 0)); got != want {
				t.Errorf("walk of C's copy visits %d VMAs, want %d", got, want)
			}
			for i, r := range res {
				if len(r.Violations) > 0 {
					t.Errorf("step %d: %v", i+1, r.Violations)
				}
			}
		})
	}
}

// TestG6COWReuse: P forks C, P exits, C writes: the page is reused in
// place; 2.6.33 leaves page->mapping alone, 2.6.34 on moves it to C's own
// anon_vma (page_move_anon_rmap) (§13 G6).
func TestG6COWReuse(t *testing.T) {
	seq := steps(sp("P"), mm("P", "heap", 1, 0, true), wr(whole("P", "heap")), fk("P", "C"), ex("P"), wr(whole("C", "heap")))
	for model, want := range map[string]string{"2.6.33": "P:heap", "2.6.34": "C:heap", "3.7": "C:heap"} {
		res := run(t, New(mustModel(t, model)), seq...)
		s := &res[len(res)-1].State
		if got := s.AnonVMA(s.Page(1).Mapping).Name; got != want || s.Page(1).Freed {
			t.Errorf("%s: reused page 1 points at %s, want %s", model, got, want)
		}
	}
}

// rik is a drawable version of Rik van Riel's scenario (kernel-rmap-spec
// §12.1): P maps pages, forks children, and every child writes (COWs)
// every page.
func rik(children, pages int) [][]Event {
	evs := []Event{sp("P"), mm("P", "heap", pages, 0, true), wr(whole("P", "heap"))}
	for i := 1; i <= children; i++ {
		evs = append(evs, fk("P", fmt.Sprintf("C%d", i)))
	}
	for i := 1; i <= children; i++ {
		evs = append(evs, wr(whole(fmt.Sprintf("C%d", i), "heap")))
	}
	return [][]Event{evs}
}

// TestRikScenario: with the family's one anon_vma (2.6.33), a walk of
// child Ck's private page iterates P, C1..Ck before finding it; with
// anon_vma_chain (2.6.34) it visits Ck alone. Totals follow §12.1's
// formulas.
func TestRikScenario(t *testing.T) {
	const n, pages = 8, 4
	for _, tt := range []struct {
		model string
		total int // visits to walk every page once, with early exit
		avcs  int
	}{
		// 2.6.33: pages*Σ(k+1) for the children + pages for P's originals.
		{"2.6.33", pages*(n*(n+1)/2+n) + pages, 0},
		// 2.6.34: 1 per child page; P's originals are found first.
		{"2.6.34", pages*n + pages, 2*n + 1},
	} {
		t.Run(tt.model, func(t *testing.T) {
			res := run(t, New(mustModel(t, tt.model)), rik(n, pages)...)
			s := &res[0].State
			total := 0
			for _, pg := range s.Pages {
				if !pg.Freed {
					total += len(s.Walk(pg.ID, "page_referenced").Visits)
				}
			}
			if total != tt.total || len(s.AVCs) != tt.avcs {
				t.Errorf("total visits %d, AVCs %d; want %d and %d", total, len(s.AVCs), tt.total, tt.avcs)
			}
			if got := len(walkProcs(s, "C5", "heap", 0)); got != map[string]int{"2.6.33": 6, "2.6.34": 1}[tt.model] {
				t.Errorf("walk of C5's page visits %d VMAs", got)
			}
		})
	}
}

// TestPTEChainModel: 2.6.6 keeps no anon_vma; a walk visits exactly the
// PTEs on the page's chain, and fork adds one entry per mapped page.
func TestPTEChainModel(t *testing.T) {
	fork := run(t, New(mustModel(t, "2.6.6")), steps(sp("P"), mm("P", "heap", 4, 0, true), wr(whole("P", "heap")), fk("P", "C1"), fk("P", "C2"))...)
	if s := &fork[4].State; s.Page(1).Mapcount != 3 || s.PTEChainEntries() != 12 {
		t.Errorf("after two forks page 1 has mapcount %d and there are %d pte_chain entries; want 3 and 12",
			s.Page(1).Mapcount, s.PTEChainEntries())
	}
	res := run(t, New(mustModel(t, "2.6.6")), rik(3, 4)...)
	s := &res[0].State
	if len(s.AnonVMAs) != 0 {
		t.Errorf("%d anon_vmas, want none", len(s.AnonVMAs))
	}
	for _, pg := range s.Pages {
		if w := s.Walk(pg.ID, "page_referenced"); !pg.Freed && (len(w.Visits) != pg.Mapcount || w.Found != pg.Mapcount) {
			t.Errorf("page %d: walk visits %d, finds %d, mapcount %d", pg.ID, len(w.Visits), w.Found, pg.Mapcount)
		}
	}
	res = run(t, New(mustModel(t, "2.6.6")), seqB4()...)
	for i, r := range res {
		if len(r.Violations) > 0 || r.Oopsed() {
			t.Errorf("2.6.6 Seq-B4 step %d: %v", i+1, r.Violations)
		}
	}
}
