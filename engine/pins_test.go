package engine

import (
	"slices"
	"testing"
)

// The tests of this file pin rules of docs/fidelity.md that no other test
// held: each asserts what the kernel of that row does.

// vmaCount is the number of VMAs a process has.
func vmaCount(s *State, proc string) int { return len(s.ProcByName(proc).VMAs) }

// foundProcs lists, in walk order, the processes whose PTE a walk of the
// page at proc:region:i found mapping it (VMAs skipped or searched in vain
// left out).
func foundProcs(s *State, proc, region string, i int) []string {
	pte, _ := pteOf(s, proc, region, i)
	var out []string
	for _, v := range s.Walk(pte.Page, "page_referenced").Visits {
		if v.Found {
			out = append(out, s.Proc(s.VMA(v.VMA).Proc).Name)
		}
	}
	return out
}

// listOrder names the VMAs on the anon_vma list (2.6.7-2.6.33) of the page
// at proc:region:i, head first.
func listOrder(s *State, proc, region string, i int) []string {
	pte, _ := pteOf(s, proc, region, i)
	var out []string
	for _, id := range s.AnonVMA(s.Page(pte.Page).Mapping).VMAs {
		out = append(out, s.VMAName(id))
	}
	return out
}

// TestPTEChainMmapMerges: 2.6.6's do_mmap_pgoff calls vma_merge for an
// anonymous mapping only: can_vma_merge_after on prev, then
// can_vma_merge_before on next, comparing flags; there is no anon_vma to
// test, so even a fork child's faulted VMA takes a new neighbour in.
func TestPTEChainMmapMerges(t *testing.T) {
	a := []Event{sp("P"), mm("P", "a", 2, pageA, true), wr(whole("P", "a"))}
	for _, tt := range []struct {
		name  string
		evs   []Event
		proc  string
		vmas  int
		start uint64 // of the first VMA
	}{
		{"after prev", append(slices.Clone(a), mm("P", "b", 1, pageA+2, true)), "P", 1, pageA},
		{"before next", append(slices.Clone(a), mm("P", "b", 1, pageA-1, true)), "P", 1, pageA - 1},
		{"fills the hole", append(slices.Clone(a), mm("P", "c", 1, pageA+3, true), mm("P", "b", 1, pageA+2, true)), "P", 1, pageA},
		{"flags differ", append(slices.Clone(a), mm("P", "b", 1, pageA+2, false)), "P", 2, pageA},
		{"fork child", append(slices.Clone(a), fk("P", "C"), mm("C", "b", 1, pageA+2, true)), "C", 1, pageA},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := lastState(t, "2.6.6", tt.evs...)
			if got := vmaCount(s, tt.proc); got != tt.vmas {
				t.Fatalf("%s has %d VMAs, want %d", tt.proc, got, tt.vmas)
			}
			if v := s.VMA(s.ProcByName(tt.proc).VMAs[0]); v.Start != tt.start {
				t.Errorf("first VMA starts at %#x, want %#x", v.Start, tt.start)
			}
		})
	}
}

// mergeModels are the models the merge tests compare: 2.6.34 and 2.6.36
// without the singular test, 3.7 to 6.0 with it, 6.18 with 6.16's rule.
func mergeModels() [nMergeModels]string {
	return [...]string{"2.6.34", "2.6.36", "3.7", "3.19", "6.0", "6.18"}
}

const nMergeModels = 6

// mergeCase is a sequence and the VMAs proc has after it, per model of
// mergeModels.
type mergeCase struct {
	name string
	evs  []Event
	proc string
	want [nMergeModels]int
}

// checkMerges runs each case under each model of mergeModels.
func checkMerges(t *testing.T, cases []mergeCase) {
	t.Helper()
	for _, tt := range cases {
		for i, model := range mergeModels() {
			t.Run(tt.name+"/"+model, func(t *testing.T) {
				res := run(t, New(mustModel(t, model)), steps(tt.evs...)...)
				last := res[len(res)-1]
				if got := vmaCount(&last.State, tt.proc); got != tt.want[i] {
					t.Errorf("%s has %d VMAs, want %d", tt.proc, got, tt.want[i])
				}
				if len(last.Violations) > 0 {
					t.Errorf("violations: %v", last.Violations)
				}
			})
		}
	}
}

// TestMergeSingularOnMmap: from 3.0 (965f55dea0e3) is_mergeable_anon_vma
// lets a new mapping, which has no anon_vma, merge with a faulted
// neighbour only if the neighbour's anon_vma_chain is singular: never a
// fork child's VMA (6.18's vma_had_uncowed_parents(tgt) says the same);
// a parent's VMA keeps a singular chain through fork. 2.6.34 and 2.6.36
// merge whenever one side is NULL.
func TestMergeSingularOnMmap(t *testing.T) {
	forked := []Event{sp("P"), mm("P", "a", 1, pageA, true), wr(whole("P", "a")), fk("P", "C")}
	merged := [nMergeModels]int{1, 1, 1, 1, 1, 1}
	refused := [nMergeModels]int{1, 1, 2, 2, 2, 2}
	checkMerges(t, []mergeCase{
		{"after faulted", append(slices.Clone(forked[:3]), mm("P", "b", 1, pageA+1, true)), "P", merged},
		{"before faulted", append(slices.Clone(forked[:3]), mm("P", "b", 1, pageA-1, true)), "P", merged},
		{"after forked parent", append(slices.Clone(forked), mm("P", "b", 1, pageA+1, true)), "P", merged},
		{"after fork child", append(slices.Clone(forked), mm("C", "b", 1, pageA+1, true)), "C", refused},
		{"before fork child", append(slices.Clone(forked), mm("C", "b", 1, pageA-1, true)), "C", refused},
	})
}

// TestMergeSingularOnMprotect: 3.0-6.0's is_mergeable_anon_vma(.., vma)
// tests the chain of vma, the VMA merged with; so an unfaulted range
// merges into a faulted neighbour with a singular chain, not into a fork
// child's, and a faulted range never merges into an unfaulted neighbour
// (an empty chain is not singular). 6.16's rule (879bca0a2c4f, in 6.18)
// tests the VMA that brings the anon_vma, so the faulted range merges
// there. 2.6.34 and 2.6.36 merge in every case.
func TestMergeSingularOnMprotect(t *testing.T) {
	// a faulted rw, b unfaulted and never writable (so not accounted).
	intoFaulted := []Event{sp("P"), mm("P", "a", 1, pageA, true), wr(whole("P", "a")), mm("P", "b", 1, pageA+1, false)}
	// b faulted and now read-only, a unfaulted rw.
	intoUnfaulted := []Event{sp("P"), mm("P", "b", 1, pageA+1, true), wr(whole("P", "b")), mp(whole("P", "b"), false),
		mm("P", "a", 1, pageA, true)}
	checkMerges(t, []mergeCase{
		{"unfaulted into faulted", append(slices.Clone(intoFaulted), mp(whole("P", "b"), true)), "P", [nMergeModels]int{1, 1, 1, 1, 1, 1}},
		{"unfaulted into fork child", append(slices.Clone(intoFaulted), fk("P", "C"), mp(whole("C", "b"), true)), "C",
			[nMergeModels]int{1, 1, 2, 2, 2, 2}},
		{"faulted into unfaulted", append(slices.Clone(intoUnfaulted), mp(whole("P", "b"), true)), "P",
			[nMergeModels]int{1, 1, 2, 2, 2, 1}},
	})
}

// TestSplitListPosition: split_vma links the new VMA with __vma_link →
// __anon_vma_link, list_add in 2.6.7 (the head) and list_add_tail from
// 2.6.18 (read: 2.6.33). mprotect of the upper page splits with
// new_below 1 (the new VMA is the lower part), of the lower page with
// new_below 0 (the new VMA is the upper part); the walk of the page the
// new VMA maps finds it first in 2.6.7 and last in 2.6.33.
func TestSplitListPosition(t *testing.T) {
	forked := []Event{sp("P"), mm("P", "v", 2, pageA, true), wr(whole("P", "v")), fk("P", "C")}
	for _, tt := range []struct {
		model, name string
		split       int // the page mprotect makes read-only
		list        []string
		walk0       []string // who a walk of v:0 finds
		walk1       []string // and of v:1
	}{
		{"2.6.7", "upper", 1, []string{"P:v[0..0]", "C:v", "P:v[1..1]"}, []string{"P", "C"}, []string{"C", "P"}},
		{"2.6.7", "lower", 0, []string{"P:v[1..1]", "C:v", "P:v[0..0]"}, []string{"C", "P"}, []string{"P", "C"}},
		{"2.6.33", "upper", 1, []string{"P:v[1..1]", "C:v", "P:v[0..0]"}, []string{"C", "P"}, []string{"P", "C"}},
		{"2.6.33", "lower", 0, []string{"P:v[0..0]", "C:v", "P:v[1..1]"}, []string{"P", "C"}, []string{"C", "P"}},
	} {
		t.Run(tt.model+"/"+tt.name, func(t *testing.T) {
			s := lastState(t, tt.model, append(slices.Clone(forked), mp(rng("P", "v", tt.split, tt.split), false))...)
			if got := listOrder(s, "P", "v", 0); !slices.Equal(got, tt.list) {
				t.Errorf("anon_vma list %v, want %v", got, tt.list)
			}
			if got := foundProcs(s, "P", "v", 0); !slices.Equal(got, tt.walk0) {
				t.Errorf("walk of v:0 finds %v, want %v", got, tt.walk0)
			}
			if got := foundProcs(s, "P", "v", 1); !slices.Equal(got, tt.walk1) {
				t.Errorf("walk of v:1 finds %v, want %v", got, tt.walk1)
			}
		})
	}
}

// TestAbsorbTakesPlace2_6_7: 2.6.7's vma_adjust has no importer; when a
// VMA without an anon_vma absorbs the next one (vma_merge case 8, here
// mprotect rw of C's lower page), __anon_vma_merge gives it next's
// anon_vma and puts it on the list right after next
// (list_add(&vma->anon_vma_node, &next->anon_vma_node)) before
// list_del of next: next's place, neither the head nor the tail.
func TestAbsorbTakesPlace2_6_7(t *testing.T) {
	res := run(t, New(mustModel(t, "2.6.7")), steps(sp("P"), mm("P", "v", 2, pageA, true), mp(rng("P", "v", 0, 0), false),
		wr(rng("P", "v", 1, 1)), fk("P", "C"), fk("P", "D"), mp(rng("C", "v", 0, 0), true))...)
	before, after := &res[len(res)-2].State, &res[len(res)-1].State
	checks := []struct {
		what      string
		got, want any
	}{
		{"list before", listOrder(before, "P", "v", 1), []string{"D:v[1..1]", "C:v[1..1]", "P:v[1..1]"}},
		{"list after", listOrder(after, "P", "v", 1), []string{"D:v[1..1]", "C:v", "P:v[1..1]"}},
		{"walk of v:1", foundProcs(after, "P", "v", 1), []string{"D", "C", "P"}},
	}
	for _, c := range checks {
		if !slices.Equal(c.got.([]string), c.want.([]string)) {
			t.Errorf("%s: got %v, want %v", c.what, c.got, c.want)
		}
	}
	if n := vmaCount(after, "C"); n != 1 {
		t.Fatalf("C has %d VMAs, want 1", n)
	}
	cv := after.VMA(after.ProcByName("C").VMAs[0])
	pte, _ := pteOf(after, "C", "v", 1)
	if cv.AnonVMA == 0 || cv.AnonVMA != after.Page(pte.Page).Mapping {
		t.Errorf("C's merged VMA has anon_vma %d, want the family's %d", cv.AnonVMA, after.Page(pte.Page).Mapping)
	}
	if len(res[len(res)-1].Violations) > 0 {
		t.Errorf("violations: %v", res[len(res)-1].Violations)
	}
}

// TestSwapInReuse2_6_33: 2.6.33's do_swap_page maps the page writable on a
// write fault if reuse_swap_page says the faulting PTE is its only user:
// page_mapcount (0 before the page is mapped) plus page_swapcount ≤ 1;
// then it deletes the page from the swap cache. Otherwise, and on every
// read, the page stays in the swap cache, read-only, and a write breaks
// COW in do_wp_page. page_add_anon_rmap files it under the family's
// anon_vma.
func TestSwapInReuse2_6_33(t *testing.T) {
	out := []Event{sp("P"), mm("P", "a", 1, pageA, true), wr(whole("P", "a")), so(whole("P", "a"))}
	shared := []Event{sp("P"), mm("P", "a", 1, pageA, true), wr(whole("P", "a")), fk("P", "C"), so(whole("P", "a"))}
	for _, tt := range []struct {
		name      string
		evs       []Event
		writable  bool
		swapCache bool // P's page is still in the swap cache
		slotFreed bool // the slot P's swap PTE held is free
		copied    bool // P's page is not the one the slot's swap cache holds
	}{
		{"write, sole user", append(slices.Clone(out), wr(whole("P", "a"))), true, false, true, false},
		{"write after evict", append(slices.Clone(out), evict(whole("P", "a")), wr(whole("P", "a"))), true, false, true, false},
		{"read", append(slices.Clone(out), rd(whole("P", "a"))), false, true, false, false},
		{"write, slot shared", append(slices.Clone(shared), wr(whole("P", "a"))), true, false, false, true},
		{"write, sharer gone", append(slices.Clone(shared), ex("C"), wr(whole("P", "a"))), true, false, true, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s0 := lastState(t, "2.6.33", tt.evs[:len(tt.evs)-1]...)
			pte0, _ := pteOf(s0, "P", "a", 0)
			slot := pte0.Swap
			s := lastState(t, "2.6.33", tt.evs...)
			pte, _ := pteOf(s, "P", "a", 0)
			if pte.Kind != PTEPage || pte.Writable != tt.writable {
				t.Fatalf("P's PTE kind %v writable %v, want a page, writable %v", pte.Kind, pte.Writable, tt.writable)
			}
			pg := s.Page(pte.Page)
			if got := pg.Swap != 0; got != tt.swapCache {
				t.Errorf("page in the swap cache: %v, want %v", got, tt.swapCache)
			}
			if sl := s.Slot(slot); sl.Freed != tt.slotFreed || (!sl.Freed && (sl.Page != pte.Page) != tt.copied) {
				t.Errorf("slot freed %v, its page %d, P's page %d; want freed %v, P's page a copy %v",
					sl.Freed, sl.Page, pte.Page, tt.slotFreed, tt.copied)
			}
			if got := avName(s, "P", "a", 0); got != "P:a" {
				t.Errorf("page->mapping %s, want P:a", got)
			}
		})
	}
}

// TestSwapInKSM2_6_33: with CONFIG_KSM, 2.6.33's do_swap_page calls
// ksm_might_need_to_copy, which copies only a page whose anon_vma is not
// the faulting VMA's own (or whose index is not the address's); one
// anon_vma serves a whole fork family, so a page read back by the
// parent and then the child is one page for both, as without KSM.
func TestSwapInKSM2_6_33(t *testing.T) {
	for _, ksm := range []bool{false, true} {
		m, err := Derive("2.6.33-ksm", mustModel(t, "2.6.33"), nil, ksm)
		if err != nil {
			t.Fatal(err)
		}
		res := run(t, New(m), steps(sp("P"), mm("P", "a", 1, pageA, true), wr(whole("P", "a")), fk("P", "C"),
			so(whole("P", "a")), evict(whole("P", "a")), rd(whole("P", "a")), rd(whole("C", "a")))...)
		s := &res[len(res)-1].State
		pp, _ := pteOf(s, "P", "a", 0)
		cp, _ := pteOf(s, "C", "a", 0)
		if pp.Kind != PTEPage || cp.Page != pp.Page || s.Page(pp.Page).Mapcount != 2 {
			t.Errorf("ksm %v: P maps page %d, C page %d; want one page mapped twice", ksm, pp.Page, cp.Page)
		}
	}
}

// TestShrinkListEvict: 2.6.6's and 2.6.7's shrink_list frees a swap-cache
// page after pageout (__delete_from_swap_cache) only once no PTE maps it;
// the next fault reads the data into a new page. A mapped page stays.
func TestShrinkListEvict(t *testing.T) {
	out := []Event{sp("P"), mm("P", "a", 1, pageA, true), wr(whole("P", "a")), so(whole("P", "a"))}
	for _, model := range []string{"2.6.6", "2.6.7"} {
		t.Run(model+"/unmapped", func(t *testing.T) {
			s := lastState(t, model, append(slices.Clone(out), evict(whole("P", "a")), rd(whole("P", "a")))...)
			pte, _ := pteOf(s, "P", "a", 0)
			if pte.Kind != PTEPage || pte.Page == 1 || !s.Page(1).Freed {
				t.Errorf("P maps page %d (page 1 freed: %v), want a new page and page 1 freed", pte.Page, s.Page(1).Freed)
			}
		})
		t.Run(model+"/mapped", func(t *testing.T) {
			s := lastState(t, model, append(slices.Clone(out), rd(whole("P", "a")), evict(whole("P", "a")))...)
			pte, _ := pteOf(s, "P", "a", 0)
			if pte.Kind != PTEPage || pte.Page != 1 || s.Page(1).Freed || s.Page(1).Swap == 0 {
				t.Errorf("P maps page %d (freed %v, swap %d), want page 1 kept in the swap cache", pte.Page, s.Page(1).Freed, s.Page(1).Swap)
			}
		})
	}
}
