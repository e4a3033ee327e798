package engine

import (
	"slices"
	"testing"
)

// seqB4 is kernel-rmap-spec §6.3 Seq-B4, the hibernation bug: P writes a
// page and forks C; reclaim unmaps it from both; C faults it back first,
// then P; C exits; an rmap walk of the page follows.
func seqB4() [][]Event {
	return [][]Event{
		{{Op: OpSpawn, Proc: "P"}, {Op: OpMmap, Proc: "P", Region: "heap", Pages: 1, Writable: true}, {Op: OpWrite, Range: whole("P", "heap")}},
		{{Op: OpFork, Proc: "P", Child: "C"}},
		{{Op: OpSwapout, Range: whole("P", "heap")}},
		{{Op: OpRead, Range: whole("C", "heap")}},
		{{Op: OpRead, Range: whole("P", "heap")}},
		{{Op: OpExit, Proc: "C"}},
		{{Op: OpWalk, Range: whole("P", "heap")}},
	}
}

func names(vs []Violation) []string {
	var out []string
	for _, v := range vs {
		out = append(out, v.Name)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// TestSeqB4 pins §13 G2 (CONFIG_KSM=n): rc3 breaks R1 when P maps the page
// whose mapping C's swap-in moved to C's anon_vma, R2 when C's exit frees
// that anon_vma, and the walk that follows oopses; 2.6.34 stays clean.
func TestSeqB4(t *testing.T) {
	tests := []struct {
		model string
		news  [7][]string // the names of the new violations per step
		oops  bool
	}{
		{"2.6.34-rc3", [7][]string{4: {"R1", "R5"}, 5: {"R2"}}, true},
		{"2.6.34", [7][]string{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.model, func(t *testing.T) {
			res := run(t, New(mustModel(t, tt.model)), seqB4()...)
			for i, r := range res {
				if got := names(r.New); !slices.Equal(got, tt.news[i]) {
					t.Errorf("step %d: new violations %v, want %v", i+1, got, tt.news[i])
				}
			}
			if got := res[6].Oopsed(); got != tt.oops {
				t.Errorf("walk oopsed = %v, want %v", got, tt.oops)
			}
			s := &res[3].State
			pg := s.Page(1)
			want := "P:heap"
			if tt.model == "2.6.34-rc3" {
				want = "C:heap"
			}
			if got := s.AnonVMA(pg.Mapping).Name; got != want || pg.Mapcount != 1 || pg.Swap == 0 {
				t.Errorf("after C's swap-in: mapping %s mapcount %d swap %d; want %s, 1, in the swap cache", got, pg.Mapcount, pg.Swap, want)
			}
		})
	}
}

// TestSwapAccounting follows one page through swap-out, a fresh read
// after eviction, and exit, checking slot counts and page lifetimes.
func TestSwapAccounting(t *testing.T) {
	m := New(mustModel(t, "2.6.34"))
	res := run(t, m,
		[]Event{{Op: OpSpawn, Proc: "P"}, {Op: OpMmap, Proc: "P", Region: "heap", Pages: 1, Writable: true},
			{Op: OpWrite, Range: whole("P", "heap")}, {Op: OpFork, Proc: "P", Child: "C"}},
		[]Event{{Op: OpHibernate}},
		[]Event{{Op: OpEvict, All: true}},
		[]Event{{Op: OpRead, Range: whole("C", "heap")}},
		[]Event{{Op: OpExit, Proc: "P"}, {Op: OpExit, Proc: "C"}})
	type want struct {
		slotCount int
		cached    PageID
		page1     bool // page 1 freed
	}
	for i, w := range []want{{2, 1, false}, {2, 0, true}, {1, 2, true}, {0, 0, true}} {
		s := &res[i+1].State
		slot := s.Slot(1)
		if slot.Count != w.slotCount || slot.Page != w.cached || s.Page(1).Freed != w.page1 {
			t.Errorf("step %d: slot count %d cached page %d, page 1 freed %v; want %d, %d, %v",
				i+2, slot.Count, slot.Page, s.Page(1).Freed, w.slotCount, w.cached, w.page1)
		}
		if len(res[i+1].Violations) > 0 {
			t.Errorf("step %d: %v", i+2, res[i+1].Violations)
		}
	}
	// The fresh page C read after eviction is not exclusive: it goes to the
	// oldest anon_vma of C's chain, P's.
	if got := res[3].State.AnonVMA(res[3].State.Page(2).Mapping).Name; got != "P:heap" {
		t.Errorf("fresh swap-in mapping = %s, want P:heap", got)
	}
	if !res[4].State.Page(2).Freed || !res[4].State.Slot(1).Freed {
		t.Error("after both exits the page and the slot should be freed")
	}
}

// TestSeqB4WithKSM pins §13 G2's CONFIG_KSM=y variant: C's swap-in finds
// the page pointing at an anon_vma that is not its own, so
// ksm_might_need_to_copy gives C a private copy (rc3: in C's anon_vma;
// 2.6.34: in the oldest, P's), the swap-cache page keeps P's anon_vma,
// and nothing breaks.
func TestSeqB4WithKSM(t *testing.T) {
	for base, copyAV := range map[string]string{"2.6.34-rc3": "C:heap", "2.6.34": "P:heap"} {
		m, err := Derive(base+"+ksm", mustModel(t, base), nil, true)
		if err != nil {
			t.Fatal(err)
		}
		res := run(t, New(m), seqB4()...)
		for i, r := range res {
			if len(r.Violations) > 0 || r.Oopsed() {
				t.Errorf("%s step %d: %v oops=%v", m.Name, i+1, r.Violations, r.Oopsed())
			}
		}
		s := &res[3].State
		cp := s.VMA(s.ProcByName("C").VMAs[0]).PTEs[0].Page
		if cp == 1 || s.AnonVMA(s.Page(cp).Mapping).Name != copyAV || s.AnonVMA(s.Page(1).Mapping).Name != "P:heap" {
			t.Errorf("%s: C maps page %d in %s, page 1 in %s; want a copy in %s, page 1 in P:heap", m.Name,
				cp, s.AnonVMA(s.Page(cp).Mapping).Name, s.AnonVMA(s.Page(1).Mapping).Name, copyAV)
		}
	}
}

// TestOopsOutcomes: after rc3's Seq-B4 frees C's anon_vma under a mapped
// page, a walk finds the slab object still free (an empty list), or, once
// a new anon_vma took that memory, walks the newcomer's unrelated VMAs.
func TestOopsOutcomes(t *testing.T) {
	res := run(t, New(mustModel(t, "2.6.34-rc3")), seqB4()...)
	w := res[6].Walks[0]
	if w.Oops == nil || w.Oops.Outcome != OopsEmpty || len(w.Visits) != 0 {
		t.Fatalf("first walk: %+v, want an oops on an empty list", w)
	}
	m := New(mustModel(t, "2.6.34-rc3"))
	seq := append(seqB4()[:6], steps(sp("Q"), mm("Q", "q", 1, 0, true), wr(whole("Q", "q")))...)
	seq = append(seq, []Event{{Op: OpWalk, Range: whole("P", "heap")}})
	res = run(t, m, seq...)
	last := res[len(res)-1]
	w = last.Walks[0]
	s := &last.State
	if w.Oops == nil || w.Oops.Outcome != OopsReused || s.AnonVMA(w.Oops.ReusedAs).Name != "Q:q" {
		t.Fatalf("second walk: %+v, want an oops walking Q's anon_vma", w.Oops)
	}
	if len(w.Visits) != 1 || w.Visits[0].Found || s.VMAName(w.Visits[0].VMA) != "Q:q" {
		t.Errorf("the walk visits %+v; want Q:q, not mapping the page", w.Visits)
	}
}
