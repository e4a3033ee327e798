package engine

import (
	"fmt"
	"slices"
	"testing"
)

var laterModels = []string{"2.6.36", "3.7", "3.19", "6.0"}

// TestG2KeepAnon: from 2.6.36 the swap-cache page is anon already when C
// maps it first, so it keeps P's anon_vma (§13 G2) and nothing breaks.
func TestG2KeepAnon(t *testing.T) {
	for _, name := range laterModels {
		t.Run(name, func(t *testing.T) {
			res := run(t, New(mustModel(t, name)), seqB4()...)
			for i, r := range res {
				if len(r.Violations) > 0 || r.Oopsed() {
					t.Errorf("step %d: %v oops=%v", i+1, r.Violations, r.Oopsed())
				}
			}
			s := &res[3].State
			if got := s.AnonVMA(s.Page(1).Mapping).Name; got != "P:heap" {
				t.Errorf("after C's swap-in page 1 points at %s, want P:heap", got)
			}
			if w := res[6].Walks[0]; w.Lock != 1 {
				t.Errorf("walk locks anon_vma %d, want the root, 1", w.Lock)
			}
		})
	}
}

// forkChain is §13 G7: each generation forks the next and exits.
func forkChain(gens int) [][]Event {
	out := steps(sp("P0"), mm("P0", "heap", 1, 0, true), wr(whole("P0", "heap")))
	for g := 1; g <= gens; g++ {
		out = append(out, []Event{fk(fmt.Sprintf("P%d", g-1), fmt.Sprintf("P%d", g)), ex(fmt.Sprintf("P%d", g-1))})
	}
	return out
}

// TestG7ForkChain: without reuse the last process's chain and the live
// anon_vmas grow by one per generation; 3.19's degree rule and 6.0's
// counters keep both at 3.
func TestG7ForkChain(t *testing.T) {
	tests := []struct {
		model         string
		chain, avs    int
		degreeOrCount string
	}{
		{"2.6.34", 9, 9, ""}, {"2.6.36", 9, 9, ""}, {"3.7", 9, 9, ""},
		{"3.19", 3, 3, "degree"}, {"6.0", 3, 3, "counters"},
	}
	for _, tt := range tests {
		t.Run(tt.model, func(t *testing.T) {
			res := run(t, New(mustModel(t, tt.model)), forkChain(8)...)
			last := res[len(res)-1]
			s := &last.State
			v := s.VMA(s.ProcByName("P8").VMAs[0])
			live := 0
			for _, a := range s.AnonVMAs {
				if !a.Freed {
					live++
				}
			}
			if len(v.Chain) != tt.chain || live != tt.avs {
				t.Errorf("chain %d, live anon_vmas %d; want %d and %d", len(v.Chain), live, tt.chain, tt.avs)
			}
			for i, r := range res {
				if len(r.Violations) > 0 {
					t.Errorf("step %d: %v", i+1, r.Violations)
				}
			}
		})
	}
}

// TestG8SplitCase: one VMA faulted, then split by mprotect of every other
// page, leaves n VMAs on one anon_vma. The list walk of 2.6.36 iterates
// them in list order, up to the VMA holding the page (which split order
// decides: __split_vma gives the new VMA the lower part); the interval
// tree of 3.7 yields only the VMA holding the page.
func TestG8SplitCase(t *testing.T) {
	const n = 16
	evs := []Event{sp("P"), mm("P", "v", n, pageA, true), wr(whole("P", "v"))}
	for i := 1; i < n; i += 2 {
		evs = append(evs, mp(rng("P", "v", i, i), false))
	}
	for _, model := range []string{"2.6.36", "3.7"} {
		t.Run(model, func(t *testing.T) {
			res := run(t, New(mustModel(t, model)), [][]Event{evs}...)
			s := &res[0].State
			p := s.ProcByName("P")
			if len(p.VMAs) != n || len(s.AnonVMA(1).Head) != n {
				t.Fatalf("%d VMAs, %d AVCs on the anon_vma; want %d each", len(p.VMAs), len(s.AnonVMA(1).Head), n)
			}
			most := 0
			for i := 0; i < n; i++ {
				pte, v := s.PTEAt(p, pageA+uint64(i))
				visits := len(s.Walk(pte.Page, "page_referenced").Visits)
				want := 1
				if model == "2.6.36" {
					want = 1 + slices.IndexFunc(s.AnonVMA(1).Head, func(id AVCID) bool { return s.AVC(id).VMA == v.ID })
				}
				if visits != want {
					t.Errorf("page %d: %d visits, want %d", i, visits, want)
				}
				most = max(most, visits)
			}
			if wantMost := map[string]int{"2.6.36": n, "3.7": 1}[model]; most != wantMost {
				t.Errorf("the costliest walk visits %d VMAs, want %d", most, wantMost)
			}
			if len(res[0].Violations) > 0 {
				t.Errorf("violations: %v", res[0].Violations)
			}
		})
	}
}

// TestLaterInvariantsCatchBreaks breaks 2.6.36+ states by hand.
func TestLaterInvariantsCatchBreaks(t *testing.T) {
	tests := []struct {
		model  string
		mutate func(s *State)
		want   string
	}{
		{"2.6.36", func(s *State) { s.AnonVMA(2).Root = 2 }, "I5"},
		{"2.6.36", func(s *State) { s.AnonVMA(1).Root = 2 }, "I8"},
		{"2.6.36", func(s *State) { s.AnonVMA(2).Root = 2; s.AnonVMA(1).Refcount = 0; s.Page(3).Mapping = 2 }, "R3"},
		{"3.19", func(s *State) { s.AnonVMA(1).Degree++ }, "I9"},
		{"6.0", func(s *State) { s.AnonVMA(2).NumActiveVMAs = 0 }, "I9"},
		{"3.7", func(s *State) { s.AVC(2).Last++ }, "I10"},
		{"2.6.34", func(s *State) { s.VMA(2).Pgoff++ }, "R4"},
		{"2.6.34", func(s *State) {
			s.Swap = append(s.Swap, SwapSlot{ID: 1, Count: 3})
			s.VMA(1).PTEs[1] = PTE{Kind: PTESwap, Swap: 1}
		}, "R6"},
	}
	for _, tt := range tests {
		t.Run(tt.model+" "+tt.want, func(t *testing.T) {
			// P forks C, C writes page 0, P's page 1 swapped: pages 1,2 of P, 3 of C.
			res := run(t, New(mustModel(t, tt.model)), g1()[:3]...)
			s := res[2].State.clone()
			if v := Check(&s); len(v) > 0 {
				t.Fatalf("unbroken state: %v", v)
			}
			tt.mutate(&s)
			if !slices.Contains(names(Check(&s)), tt.want) {
				t.Errorf("no %s in %v", tt.want, Check(&s))
			}
		})
	}
}

func TestDesignString(t *testing.T) {
	for d, want := range map[Design]string{
		DesignPTEChain:     "pte_chain",
		DesignAnonVMAList:  "anon_vma with a list of VMAs",
		DesignAnonVMAChain: "anon_vma_chain",
		Design(9):          "Design(9)",
	} {
		if got := d.String(); got != want {
			t.Errorf("Design(%d).String() = %q, want %q", int(d), got, want)
		}
	}
}
