package engine

import (
	"slices"
	"testing"
)

// vmaAtPage returns the VMA of proc that covers page number a, or nil.
func vmaAtPage(s *State, proc string, a uint64) *VMA {
	return s.VMAAt(s.ProcByName(proc), a)
}

// TestMergeCase8KeepsNext: vma_merge's case 8 (the range is all of a VMA,
// area, and merges into the VMA after it) keeps next and frees area from
// 4.9 on (mm/mmap.c vma_merge and __vma_adjust's `remove_next = 3;
// swap(vma, next)`, v6.0.1; mm/vma.c vma_merge_existing_range's
// `vmg->target = next`, v6.18.2); 3.7 and 3.19 (vma_adjust(area, addr,
// next->vm_end, ..)) and older let area absorb next. The survivor keeps its
// own AVCs; with an unfaulted next, 6.18 links next to area's anon_vma
// (dup_anon_vma) with new AVCs. 2.6.6 is left out: its mprotect merges only
// with prev (D6).
func TestMergeCase8KeepsNext(t *testing.T) {
	const lo, hi = pageA, pageA + 1
	tests := []struct {
		name string
		pre  []Event // the state before the merge; area is the VMA at lo
		last Event   // the mprotect that makes area match next
	}{
		{"faulted", []Event{sp("P"), mm("P", "a", 2, lo, true), wr(whole("P", "a")), mp(rng("P", "a", 0, 0), false)},
			mp(rng("P", "a", 0, 0), true)},
		{"unfaulted next", []Event{sp("P"), mm("P", "a", 1, lo, true), wr(whole("P", "a")), mp(whole("P", "a"), false), mm("P", "b", 1, hi, true)},
			mp(whole("P", "a"), true)},
	}
	for _, tt := range tests {
		for _, model := range ModelNames()[1:] { // not 2.6.6: D6
			t.Run(tt.name+"/"+model, func(t *testing.T) {
				before := lastState(t, model, tt.pre...)
				area, next := *vmaAtPage(before, "P", lo), *vmaAtPage(before, "P", hi)
				after := lastState(t, model, append(slices.Clone(tt.pre), tt.last)...)
				merges := tt.name == "faulted" || model != "3.7" && model != "3.19" && model != "6.0" // 3.0's singular test
				if got := len(after.ProcByName("P").VMAs); merges != (got == 1) {
					t.Fatalf("P has %d VMAs after the mprotect; want a merge: %v", got, merges)
				}
				if !merges {
					return
				}
				keep, gone := area, next
				if model == "6.0" || model == "6.18" {
					keep, gone = next, area
				}
				v := vmaAtPage(after, "P", lo)
				if v.ID != keep.ID || v.Start != lo || v.End != hi+1 || v.Pgoff != lo {
					t.Errorf("the merged VMA is %s %#x..%#x pgoff %#x, want %s %#x..%#x pgoff %#x",
						after.VMAName(v.ID), v.Start, v.End-1, v.Pgoff, before.VMAName(keep.ID), lo, hi, lo)
				}
				if !after.VMA(gone.ID).Gone {
					t.Errorf("%s survives the merge; the kernel frees it", before.VMAName(gone.ID))
				}
				if v.AnonVMA != area.AnonVMA {
					t.Errorf("the merged VMA's anon_vma is %d, want area's %d", v.AnonVMA, area.AnonVMA)
				}
				wantChain := keep.Chain
				if len(keep.Chain) == 0 && len(gone.Chain) > 0 { // dup_anon_vma: new AVCs
					if slices.ContainsFunc(v.Chain, func(id AVCID) bool { return slices.Contains(gone.Chain, id) }) || len(v.Chain) != len(gone.Chain) {
						t.Errorf("the merged VMA's chain is %v: want %d new AVCs in place of the freed %v", v.Chain, len(gone.Chain), gone.Chain)
					}
					return
				}
				if !slices.Equal(v.Chain, wantChain) {
					t.Errorf("the merged VMA's chain is %v, want the survivor's own %v", v.Chain, wantChain)
				}
			})
		}
	}
}

// TestMergeCase8Walks: in 6.0 and 6.18 the case-8 survivor is next, whose
// AVCs __vma_adjust (vma_prepare in 6.18) re-inserts: with a forked
// sibling on the same anon_vma, the walk visits the sibling first, then
// the survivor, and the freed VMA's AVC is off the tree; no invariant
// breaks.
func TestMergeCase8Walks(t *testing.T) {
	for _, model := range []string{"3.7", "3.19", "6.0", "6.18"} {
		t.Run(model, func(t *testing.T) {
			res := run(t, New(mustModel(t, model)), steps(sp("P"), mm("P", "a", 2, pageA, true), wr(whole("P", "a")), fk("P", "C"),
				mp(rng("P", "a", 0, 0), false), mp(rng("P", "a", 0, 0), true), wk(rng("P", "a", 1, 1)))...)
			last := res[len(res)-1]
			var got []string
			for _, vis := range last.Walks[0].Visits {
				got = append(got, last.State.Proc(last.State.VMA(vis.VMA).Proc).Name)
			}
			if !slices.Equal(got, []string{"C", "P"}) {
				t.Errorf("walk of P:a:1 visits %v, want [C P]", got)
			}
			for _, r := range res {
				if len(r.Violations) > 0 {
					t.Errorf("step %d: %v", r.Step, r.Violations)
				}
			}
		})
	}
}

// TestMremapGrowMerges: from 6.1 mremap grows a VMA in place through
// vma_merge (vma_merge_extend in mm/vma.c, v6.18.2), so the grown VMA
// absorbs a compatible VMA that now starts at its end; 6.0.1 only moves
// vm_end (mm/mremap.c: vma_adjust(vma, vma->vm_start, addr + new_len, ..)).
func TestMremapGrowMerges(t *testing.T) {
	tests := []struct {
		name  string
		write []Event
		merge bool // in 6.18
	}{
		{"unfaulted", nil, true},
		{"faulted a", []Event{wr(whole("P", "a"))}, true},
		{"faulted b", []Event{wr(whole("P", "b"))}, true},
		{"two anon_vmas", []Event{wr(whole("P", "a")), wr(whole("P", "b"))}, false},
	}
	for _, tt := range tests {
		for _, model := range ModelNames() {
			t.Run(tt.name+"/"+model, func(t *testing.T) {
				evs := append([]Event{sp("P"), mm("P", "a", 1, pageA, true), mm("P", "b", 1, pageA+2, true)}, tt.write...)
				before := lastState(t, model, evs...)
				a := *vmaAtPage(before, "P", pageA)
				res := run(t, New(mustModel(t, model)), steps(append(evs, mrem("P", "a", 2, 0))...)...)
				s := &res[len(res)-1].State
				want := 2
				if tt.merge && model == "6.18" {
					want = 1
				}
				if got := len(s.ProcByName("P").VMAs); got != want {
					t.Fatalf("P has %d VMAs after growing a next to b, want %d", got, want)
				}
				end := uint64(pageA + 2)
				if want == 1 {
					end++
				}
				if v := vmaAtPage(s, "P", pageA); v.ID != a.ID || v.End != end {
					t.Errorf("a's VMA is %s ending at %#x; want %s, grown", s.VMAName(v.ID), v.End, before.VMAName(a.ID))
				}
				for _, r := range res {
					if len(r.Violations) > 0 {
						t.Errorf("step %d: %v", r.Step, r.Violations)
					}
				}
			})
		}
	}
}
