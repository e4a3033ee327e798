package engine

import (
	"slices"
	"testing"
)

func evict(r Range) Event { return Event{Op: OpEvict, Range: r} }
func wk(r Range) Event    { return Event{Op: OpWalk, Range: r} }

// lastState runs events one a step under a model and returns the last
// state, failing on a refused event.
func lastState(t *testing.T, model string, evs ...Event) *State {
	t.Helper()
	res := run(t, New(mustModel(t, model)), steps(evs...)...)
	s := res[len(res)-1].State
	return &s
}

// pteOf returns the PTE at page i of a process's region.
func pteOf(s *State, proc, region string, i int) (*PTE, *VMA) {
	p := s.ProcByName(proc)
	r, _ := p.Region(region)
	return s.PTEAt(p, r.Start+uint64(i))
}

// avName names the anon_vma page->mapping of the page at an address
// points at.
func avName(s *State, proc, region string, i int) string {
	pte, _ := pteOf(s, proc, region, i)
	if pte == nil || pte.Kind != PTEPage {
		return "(no page)"
	}
	return s.AnonVMA(s.Page(pte.Page).Mapping).Name
}

// TestForkCopiesVMFlags: dup_mmap copies the parent's VMA whole
// (`*tmp = *mpnt` in 2.6, vm_area_dup in 6.x), VM_ACCOUNT included: a
// read-only VMA that was once writable stays accounted in the child, and
// refuses to merge with a read-only mapping that never was. (6.18 drops
// VM_ACCOUNT when an unfaulted VMA becomes read-only, so there the child
// copies an unaccounted VMA, which merges; a faulted one keeps it.)
func TestForkCopiesVMFlags(t *testing.T) {
	for _, model := range ModelNames() {
		t.Run(model, func(t *testing.T) {
			s := lastState(t, model, sp("P"), mm("P", "a", 2, pageA, true), mp(whole("P", "a"), false),
				fk("P", "C"), mm("C", "b", 1, pageA+2, false))
			c := s.ProcByName("C")
			want, vmas := true, 2
			if model == "6.18" {
				want, vmas = false, 1
			}
			if v := s.VMA(c.VMAs[0]); v.Accounted != want {
				t.Errorf("C's copy of P:a has VM_ACCOUNT %v, want %v", v.Accounted, want)
			}
			if len(c.VMAs) != vmas {
				t.Errorf("C has %d VMAs, want %d", len(c.VMAs), vmas)
			}
			s = lastState(t, model, sp("P"), mm("P", "a", 2, pageA, true), wr(whole("P", "a")), mp(whole("P", "a"), false), fk("P", "C"))
			if v := s.VMA(s.ProcByName("C").VMAs[0]); !v.Accounted {
				t.Errorf("C's copy of the faulted, read-only P:a lost VM_ACCOUNT")
			}
		})
	}
}

// TestPTEChainNewestFirst: 2.6.6's page_referenced walks a page's
// pte_chain from the newest PTE, and page_remove_rmap moves the newest
// into the hole a removal leaves.
func TestPTEChainNewestFirst(t *testing.T) {
	base := []Event{sp("P"), mm("P", "a", 1, pageA, true), wr(whole("P", "a")), fk("P", "C1"), fk("P", "C2"), fk("P", "C3")}
	for _, tt := range []struct {
		name string
		evs  []Event
		want []string
	}{
		{"forks", base, []string{"C3", "C2", "C1", "P"}},
		{"exit", append(slices.Clone(base), ex("C1")), []string{"C2", "C3", "P"}},
		{"cow", append(slices.Clone(base), wr(whole("C2", "a")), fk("P", "C4")), []string{"C4", "C3", "C1", "P"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := lastState(t, "2.6.6", tt.evs...)
			if got := walkProcs(s, "P", "a", 0); !slices.Equal(got, tt.want) {
				t.Errorf("walk of P:a:0 visits %v, want %v", got, tt.want)
			}
		})
	}
}

// TestMprotectProtectsOnlyItsRange: change_protection(vma, start, end)
// covers [start, end), not the whole VMA vma_merge returned, so pages of
// the neighbour it merged into keep their writable PTEs and a write to
// them does not fault.
func TestMprotectProtectsOnlyItsRange(t *testing.T) {
	for _, model := range ModelNames() {
		t.Run(model, func(t *testing.T) {
			s := lastState(t, model, sp("P"), mm("P", "a", 2, pageA, true), wr(whole("P", "a")),
				mm("P", "b", 1, pageA+2, false), mp(whole("P", "b"), true))
			pte, v := pteOf(s, "P", "a", 0)
			if len(s.ProcByName("P").VMAs) != 1 {
				t.Fatalf("b did not merge into a: %d VMAs", len(s.ProcByName("P").VMAs))
			}
			if !pte.Writable || !v.Writable {
				t.Errorf("page a:0 lost its writable PTE to an mprotect of b")
			}
		})
	}
}

// TestIntervalTreeReinsertsAdjusted: vma_adjust (3.7-6.2) and
// vma_prepare/vma_complete (6.3+) take the AVCs of an adjusted VMA out of
// the interval tree and put them back (anon_vma_interval_tree_pre/
// post_update_vma); an equal start goes to the right, after the AVCs
// already there. So after P's VMA is split above page 0 (__split_vma with
// new_below 0: P's VMA keeps page 0 and is adjusted), a walk of the page
// P and C share visits C first. Before 3.7 the list keeps its order.
func TestIntervalTreeReinsertsAdjusted(t *testing.T) {
	for _, tt := range []struct {
		model string
		want  []string
	}{
		{"2.6.34", []string{"P", "C"}}, {"2.6.36", []string{"P", "C"}},
		{"3.7", []string{"C", "P"}}, {"3.19", []string{"C", "P"}}, {"6.0", []string{"C", "P"}}, {"6.18", []string{"C", "P"}},
	} {
		t.Run(tt.model, func(t *testing.T) {
			s := lastState(t, tt.model, sp("P"), mm("P", "a", 2, pageA, true), wr(whole("P", "a")),
				fk("P", "C"), mp(rng("P", "a", 0, 0), false))
			if got := walkProcs(s, "P", "a", 0); !slices.Equal(got, tt.want) {
				t.Errorf("walk of P:a:0 visits %v, want %v", got, tt.want)
			}
		})
	}
}

// TestSwapExclusiveMarker: from 5.19 try_to_unmap_one keeps
// PageAnonExclusive in the swap PTE (pte_swp_mkexclusive) and do_swap_page
// maps a page read back under such an entry as exclusive, under the
// faulting VMA's own anon_vma (__page_set_anon_rmap); fork clears the
// mark (copy_nonpresent_pte). Older kernels file every page a read fault
// brings back under the root.
func TestSwapExclusiveMarker(t *testing.T) {
	cowSwapped := []Event{sp("P"), mm("P", "a", 1, pageA, true), wr(whole("P", "a")), fk("P", "C"),
		wr(whole("C", "a")), so(whole("C", "a")), evict(whole("C", "a"))}
	for _, tt := range []struct {
		model, name string
		evs         []Event
		want        string
	}{
		{"3.19", "exclusive", append(slices.Clone(cowSwapped), rd(whole("C", "a"))), "P:a"},
		{"6.0", "exclusive", append(slices.Clone(cowSwapped), rd(whole("C", "a"))), "C:a"},
		{"6.18", "exclusive", append(slices.Clone(cowSwapped), rd(whole("C", "a"))), "C:a"},
		{"6.0", "forked", append(slices.Clone(cowSwapped), fk("C", "G"), rd(whole("C", "a"))), "P:a"},
		{"6.18", "forked", append(slices.Clone(cowSwapped), fk("C", "G"), rd(whole("C", "a"))), "P:a"},
	} {
		t.Run(tt.model+"/"+tt.name, func(t *testing.T) {
			s := lastState(t, tt.model, tt.evs...)
			if got := avName(s, "C", "a", 0); got != tt.want {
				t.Errorf("C:a:0 read back under anon_vma %s, want %s", got, tt.want)
			}
		})
	}
}

// TestMprotectChangeWritable: 6.0's mprotect makes the PTE of a dirty
// exclusive anonymous page writable at once (MM_CP_TRY_CHANGE_WRITABLE,
// can_change_pte_writable); 6.2+ a clean one too; older kernels leave
// every PTE of a private mapping read-only until a write fault.
func TestMprotectChangeWritable(t *testing.T) {
	dirty := []Event{sp("P"), mm("P", "a", 1, pageA, true), wr(whole("P", "a")), mp(whole("P", "a"), false), mp(whole("P", "a"), true)}
	clean := []Event{sp("P"), mm("P", "a", 1, pageA, true), wr(whole("P", "a")), so(whole("P", "a")), evict(whole("P", "a")),
		rd(whole("P", "a")), mp(whole("P", "a"), false), mp(whole("P", "a"), true)}
	shared := []Event{sp("P"), mm("P", "a", 1, pageA, true), wr(whole("P", "a")), fk("P", "C"), mp(whole("P", "a"), false), mp(whole("P", "a"), true)}
	for _, tt := range []struct {
		model, name string
		evs         []Event
		want        bool
	}{
		{"3.19", "dirty", dirty, false}, {"6.0", "dirty", dirty, true}, {"6.18", "dirty", dirty, true},
		{"6.0", "clean", clean, false}, {"6.18", "clean", clean, true},
		{"6.0", "shared", shared, false}, {"6.18", "shared", shared, false},
	} {
		t.Run(tt.model+"/"+tt.name, func(t *testing.T) {
			s := lastState(t, tt.model, tt.evs...)
			if pte, _ := pteOf(s, "P", "a", 0); pte.Writable != tt.want {
				t.Errorf("PTE writable %v after mprotect rw, want %v", pte.Writable, tt.want)
			}
		})
	}
}

// TestMergeUncowed: from 6.16 (879bca0a2c4f) a faulted range whose VMA
// has a singular chain merges into an unfaulted neighbour, before or
// after it, whole or in part; 6.0 refuses, as does 6.18 for a fork child.
func TestMergeUncowed(t *testing.T) {
	// b is faulted and read-only, a unfaulted and writable; mprotect b rw.
	prevCase := []Event{sp("P"), mm("P", "b", 2, pageA+1, true), wr(whole("P", "b")), mp(whole("P", "b"), false),
		mm("P", "a", 1, pageA, true)}
	nextCase := []Event{sp("P"), mm("P", "b", 2, pageA, true), wr(whole("P", "b")), mp(whole("P", "b"), false),
		mm("P", "a", 1, pageA+2, true)}
	forked := append(slices.Clone(prevCase[:4]), fk("P", "C"), mm("C", "a", 1, pageA, true), mp(whole("C", "b"), true))
	for _, tt := range []struct {
		name string
		evs  []Event
		proc string
		want map[string]int // model -> VMAs of proc
	}{
		{"into prev", append(slices.Clone(prevCase), mp(whole("P", "b"), true)), "P", map[string]int{"6.0": 2, "6.18": 1}},
		{"part into prev", append(slices.Clone(prevCase), mp(rng("P", "b", 0, 0), true)), "P", map[string]int{"6.0": 3, "6.18": 2}},
		{"into next", append(slices.Clone(nextCase), mp(whole("P", "b"), true)), "P", map[string]int{"6.0": 2, "6.18": 1}},
		{"part into next", append(slices.Clone(nextCase), mp(rng("P", "b", 1, 1), true)), "P", map[string]int{"6.0": 3, "6.18": 2}},
		{"fork child", forked, "C", map[string]int{"6.0": 2, "6.18": 2}},
	} {
		for model, want := range tt.want {
			t.Run(tt.name+"/"+model, func(t *testing.T) {
				res := run(t, New(mustModel(t, model)), steps(tt.evs...)...)
				last := res[len(res)-1]
				s := &last.State
				if got := len(s.ProcByName(tt.proc).VMAs); got != want {
					t.Errorf("%s has %d VMAs, want %d", tt.proc, got, want)
				}
				if len(last.Violations) > 0 {
					t.Errorf("violations: %v", last.Violations)
				}
			})
		}
	}
}

// TestMprotectUnaccounts: from 6.7 mprotect read-only of an anonymous VMA
// without an anon_vma drops VM_ACCOUNT, so it merges with a read-only
// neighbour that never was writable; a faulted one keeps it.
func TestMprotectUnaccounts(t *testing.T) {
	unfaulted := []Event{sp("P"), mm("P", "a", 1, pageA, true), mm("P", "b", 1, pageA+1, false), mp(whole("P", "a"), false)}
	faulted := []Event{sp("P"), mm("P", "a", 1, pageA, true), wr(whole("P", "a")), mm("P", "b", 1, pageA+1, false), mp(whole("P", "a"), false)}
	for _, tt := range []struct {
		model, name string
		evs         []Event
		vmas        int
	}{
		{"6.0", "unfaulted", unfaulted, 2}, {"6.18", "unfaulted", unfaulted, 1},
		{"6.0", "faulted", faulted, 2}, {"6.18", "faulted", faulted, 2},
	} {
		t.Run(tt.model+"/"+tt.name, func(t *testing.T) {
			s := lastState(t, tt.model, tt.evs...)
			if got := len(s.ProcByName("P").VMAs); got != tt.vmas {
				t.Errorf("P has %d VMAs, want %d", got, tt.vmas)
			}
		})
	}
}
