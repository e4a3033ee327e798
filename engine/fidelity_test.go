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

func mrem(p, r string, n int, at uint64) Event {
	return Event{Op: OpMremap, Range: whole(p, r), Pages: n, At: at, HasAt: at != 0}
}
func madv(r Range, a Advice) Event { return Event{Op: OpMadvise, Range: r, Advice: a} }

// TestMremap: move_vma keeps vm_pgoff for a faulted VMA (its pages keep
// their index) and links the copy to the old VMA's anon_vmas
// (copy_vma, anon_vma_clone); an unfaulted VMA takes the new address as
// pgoff, and so merges with a neighbour at the destination.
func TestMremap(t *testing.T) {
	for _, model := range ModelNames() {
		t.Run(model, func(t *testing.T) {
			res := run(t, New(mustModel(t, model)), steps(sp("P"), mm("P", "a", 2, pageA, true), wr(whole("P", "a")),
				fk("P", "C"), mrem("C", "a", 3, 0x400), mrem("C", "a", 1, 0), wk(whole("C", "a")))...)
			last := res[len(res)-1]
			s := &last.State
			c := s.ProcByName("C")
			if len(c.VMAs) != 1 {
				t.Fatalf("C has %d VMAs, want 1", len(c.VMAs))
			}
			v := s.VMA(c.VMAs[0])
			if v.Start != 0x400 || v.End != 0x401 || v.Pgoff != pageA { // 2.6.6 too: `new_vma->vm_pgoff += ...`
				t.Errorf("C's VMA covers %#x..%#x with pgoff %#x, want 0x400..0x400 with pgoff %#x", v.Start, v.End-1, v.Pgoff, pageA)
			}
			if pte := v.PTEs[0]; pte.Kind != PTEPage || s.Page(pte.Page).Mapcount != 2 {
				t.Errorf("C's moved PTE no longer maps the page P shares")
			}
			if got := len(last.Walks[0].Visits); last.Walks[0].Found != 2 {
				t.Errorf("the walk of the moved page found %d of 2 mappings in %d visits", last.Walks[0].Found, got)
			}
			for _, r := range res {
				if len(r.Violations) > 0 && model != "2.6.34-rc3" { // rc3's clone reverses the chain: bug B3
					t.Errorf("step %d: %v", r.Step, r.Violations)
				}
			}
			if model == "2.6.6" {
				return // 2.6.6's move_vma extends prev without a pgoff check: not simulated
			}
			// An unfaulted region moved next to another merges with it.
			s = lastState(t, model, sp("Q"), mm("Q", "a", 1, pageA, true), mm("Q", "b", 1, pageA+4, true), mrem("Q", "b", 1, pageA+1))
			if n := len(s.ProcByName("Q").VMAs); n != 1 {
				t.Errorf("unfaulted Q:b moved next to Q:a: %d VMAs, want 1", n)
			}
		})
	}
}

// TestMadvise: MADV_DONTNEED zaps the PTEs and keeps the anon_vma;
// MADV_PAGEOUT (5.4+) reclaims the pages only this process maps, skips
// shared ones, and does not exist before.
func TestMadvise(t *testing.T) {
	for _, model := range ModelNames() {
		t.Run(model, func(t *testing.T) {
			s := lastState(t, model, sp("P"), mm("P", "a", 2, pageA, true), wr(whole("P", "a")), madv(whole("P", "a"), AdviceDontneed))
			_, v := pteOf(s, "P", "a", 0)
			if v.PTEs[0].Kind != PTENone || v.PTEs[1].Kind != PTENone {
				t.Errorf("dontneed left PTEs %v", v.PTEs)
			}
			if model != "2.6.6" && (v.AnonVMA == 0 || s.AnonVMA(v.AnonVMA).Freed) {
				t.Errorf("dontneed took the anon_vma away")
			}
			mc := New(mustModel(t, model))
			run(t, mc, steps(sp("P"), mm("P", "a", 2, pageA, true), wr(whole("P", "a")), fk("P", "C"), wr(rng("P", "a", 0, 0)))...)
			res, err := mc.Step([]Event{madv(whole("P", "a"), AdvicePageout)})
			if m := mustModel(t, model); !m.Pageout {
				if err == nil {
					t.Errorf("madvise pageout accepted by %s", model)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			s = &res.State
			if pte, _ := pteOf(s, "P", "a", 0); pte.Kind != PTESwap {
				t.Errorf("P's own page 0 was not paged out: %v", pte.Kind)
			}
			if pte, _ := pteOf(s, "P", "a", 1); pte.Kind != PTEPage {
				t.Errorf("page 1, shared with C, was paged out")
			}
		})
	}
}

// TestZramSkipsSwapCache: from 4.15 a swap-in from a synchronous device
// whose entry has one user skips the swap cache: the page is exclusive
// and goes under the faulting VMA's own anon_vma even on a read fault,
// and nothing is left in the swap cache; a swap file reads the page
// through the cache, and (no marker after fork) under the root.
func TestZramSkipsSwapCache(t *testing.T) {
	evs := []Event{sp("P"), mm("P", "a", 1, pageA, true), wr(whole("P", "a")), fk("P", "C"), ex("P"),
		so(whole("C", "a")), evict(whole("C", "a")), rd(whole("C", "a"))}
	for _, tt := range []struct {
		model string
		dev   SwapDevice
		want  string
	}{
		{"6.0", SwapFile, "P:a"}, {"6.0", SwapZram, "C:a"}, {"6.18", SwapFile, "P:a"}, {"6.18", SwapZram, "C:a"}, {"3.19", SwapZram, "P:a"},
	} {
		t.Run(tt.model+"/"+tt.dev.String(), func(t *testing.T) {
			m := mustModel(t, tt.model)
			m.Swap = tt.dev
			res := run(t, New(m), steps(evs...)...)
			s := &res[len(res)-1].State
			if got := avName(s, "C", "a", 0); got != tt.want {
				t.Errorf("C:a:0 read back under %s, want %s", got, tt.want)
			}
			pte, _ := pteOf(s, "C", "a", 0)
			if inCache := s.Page(pte.Page).Swap != 0; inCache != (tt.dev == SwapFile || !m.SkipSwapCache) {
				t.Errorf("page in the swap cache: %v", inCache)
			}
		})
	}
}

// TestMremapMultipleVMAs: from 6.17 mremap moves a range spanning
// several VMAs, each in turn; 6.0 refuses with EFAULT.
func TestMremapMultipleVMAs(t *testing.T) {
	evs := steps(sp("P"), mm("P", "a", 3, pageA, true), wr(whole("P", "a")), mp(rng("P", "a", 1, 1), false))
	for _, tt := range []struct {
		model string
		ok    bool
	}{{"6.0", false}, {"6.18", true}} {
		t.Run(tt.model, func(t *testing.T) {
			mc := New(mustModel(t, tt.model))
			run(t, mc, evs...)
			res, err := mc.Step([]Event{mrem("P", "a", 3, 0x400)})
			if (err == nil) != tt.ok {
				t.Fatalf("mremap of a region over 3 VMAs: error %v, want success %v", err, tt.ok)
			}
			if !tt.ok {
				return
			}
			s := &res.State
			p := s.ProcByName("P")
			if len(p.VMAs) != 3 || s.VMA(p.VMAs[0]).Start != 0x400 || s.VMA(p.VMAs[2]).End != 0x403 {
				t.Errorf("after the move P has %d VMAs from %#x", len(p.VMAs), s.VMA(p.VMAs[0]).Start)
			}
			for i := 0; i < 3; i++ {
				if got := avName(s, "P", "a", i); got != "P:a" {
					t.Errorf("page %d now under %s", i, got)
				}
			}
			if len(res.Violations) > 0 {
				t.Errorf("violations: %v", res.Violations)
			}
		})
	}
}

// TestFolioNames: 6.18's log names the rmap functions as the kernel does
// now that they take folios; 6.0's the page functions.
func TestFolioNames(t *testing.T) {
	evs := steps(sp("P"), mm("P", "a", 1, pageA, true), wr(whole("P", "a")), fk("P", "C"), ex("C"), wr(whole("P", "a")),
		fk("P", "D"), wr(whole("D", "a")), fk("P", "E"), ex("P"), wr(whole("E", "a")))
	for _, tt := range []struct {
		model string
		want  []string
	}{
		{"6.0", []string{"page_add_new_anon_rmap", "page_remove_rmap", "page_move_anon_rmap"}},
		{"6.18", []string{"folio_add_new_anon_rmap", "folio_remove_rmap_pte", "folio_move_anon_rmap"}},
	} {
		t.Run(tt.model, func(t *testing.T) {
			seen := map[string]bool{}
			for _, r := range run(t, New(mustModel(t, tt.model)), evs...) {
				for _, l := range r.Log {
					seen[l.Func] = true
				}
			}
			for _, fn := range tt.want {
				if !seen[fn] {
					t.Errorf("the log never names %s; it names %v", fn, seen)
				}
			}
			if tt.model == "6.18" && (seen["page_add_new_anon_rmap"] || seen["page_remove_rmap"] || seen["page_move_anon_rmap"]) {
				t.Errorf("6.18's log names page functions: %v", seen)
			}
		})
	}
}

// TestSwapInWritable: from 6.11 do_swap_page maps an exclusive page
// writable on a read fault too (c18160dba5ff: `if ((vma->vm_flags &
// VM_WRITE) && ...) pte = pte_mkwrite(pte, vma);` for any fault), clean;
// 6.0 maps it read-only until a write fault.
func TestSwapInWritable(t *testing.T) {
	evs := []Event{sp("P"), mm("P", "a", 1, pageA, true), wr(whole("P", "a")), so(whole("P", "a")), evict(whole("P", "a")), rd(whole("P", "a"))}
	for _, tt := range []struct {
		model string
		want  bool
	}{{"3.19", false}, {"6.0", false}, {"6.18", true}} {
		t.Run(tt.model, func(t *testing.T) {
			s := lastState(t, tt.model, evs...)
			pte, _ := pteOf(s, "P", "a", 0)
			if pte.Writable != tt.want || pte.Dirty {
				t.Errorf("PTE after the read fault: writable %v dirty %v, want writable %v and clean", pte.Writable, pte.Dirty, tt.want)
			}
		})
	}
}

// TestMunmapSplitKeeps: up to 6.0 a munmap of a VMA's tail keeps the
// original VMA for the head; from 6.1 the head is the new VMA and the
// original goes. The interval tree order is the same either way.
func TestMunmapSplitKeeps(t *testing.T) {
	for _, tt := range []struct {
		model    string
		original bool
	}{{"3.19", true}, {"6.0", true}, {"6.18", false}} {
		t.Run(tt.model, func(t *testing.T) {
			s := lastState(t, tt.model, sp("P"), mm("P", "a", 2, pageA, true), wr(whole("P", "a")), fk("P", "C"),
				Event{Op: OpMunmap, Range: rng("P", "a", 1, 1)})
			_, v := pteOf(s, "P", "a", 0)
			if (v.ID == 1) != tt.original {
				t.Errorf("P:a:0 is in VMA %d; the original VMA 1 kept: %v, want %v", v.ID, v.ID == 1, tt.original)
			}
			if got := walkProcs(s, "P", "a", 0); !slices.Equal(got, []string{"C", "P"}) {
				t.Errorf("walk of P:a:0 visits %v, want [C P]", got)
			}
		})
	}
}
