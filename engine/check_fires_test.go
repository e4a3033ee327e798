package engine

import (
	"slices"
	"strings"
	"testing"
)

// brokenState is one way of breaking the state after §13 G1's COW step
// (P maps and writes 2 pages, forks C, C writes page 0) under a model,
// and the violation Check must report for it.
type brokenState struct {
	model  string
	name   string // the invariant
	says   string // a fragment of its message
	mutate func(s *State)
}

// In the G1 state of every model: VMA 1 is P:heap, VMA 2 C:heap; pages 1
// and 2 are P's, page 2 shared with C, page 3 C's copy of page 0. Under
// anon_vma_chain, anon_vma 1 is P:heap and 2 C:heap; AVC 1 links P:heap
// to 1, AVC 2 C:heap to 1, AVC 3 C:heap to 2, and C's chain is [3, 2].
// Under 2.6.7-2.6.33 anon_vma 1 lists both VMAs.
var brokenStates = []brokenState{
	// I1, anon_vma_chain: each way an AVC can be off its lists.
	{"2.6.34", "I1", "AVC 2 is live but its VMA C:heap was freed", func(s *State) { s.VMA(2).Gone = true }},
	{"2.6.34", "I1", "AVC 2 is on the same_vma list of C:heap 0 times", func(s *State) { s.VMA(2).Chain = []AVCID{3} }},
	{"2.6.34", "I1", "AVC 2 is on the same_vma list of C:heap 2 times", func(s *State) { s.VMA(2).Chain = []AVCID{3, 2, 2} }},
	{"2.6.34", "I1", "AVC 2 is on the same_anon_vma list of anon_vma P:heap 0 times", func(s *State) { s.AnonVMA(1).Head = []AVCID{1} }},
	{"2.6.34", "I1", "the chain of C:heap holds AVC 2, which is freed or belongs to another VMA", func(s *State) { s.AVC(2).Freed = true }},
	{"2.6.34", "I1", "the chain of C:heap holds AVC 1, which is freed or belongs to another VMA", func(s *State) { s.VMA(2).Chain = []AVCID{3, 2, 1} }},
	// I1, 2.6.7-2.6.33: a VMA off its anon_vma's list, or a list holding
	// a VMA that is gone or has another anon_vma.
	{"2.6.33", "I1", "C:heap has anon_vma P:heap but is on its list 0 times", func(s *State) { s.AnonVMA(1).VMAs = []VMAID{1} }},
	{"2.6.7", "I1", "P:heap has anon_vma P:heap but is on its list 2 times", func(s *State) { s.AnonVMA(1).VMAs = []VMAID{1, 1, 2} }},
	{"2.6.33", "I1", "the list of anon_vma P:heap holds C:heap, which is gone or has another anon_vma", func(s *State) { s.VMA(2).Gone = true }},
	{"2.6.33", "I1", "the list of anon_vma P:heap holds C:heap, which is gone or has another anon_vma", func(s *State) {
		s.AnonVMAs = append(s.AnonVMAs, AnonVMA{ID: 2, Name: "X", VMAs: []VMAID{2}})
		s.VMA(2).AnonVMA = 2
	}},
	{"2.6.34", "I2", "C:heap has two AVCs to anon_vma P:heap", func(s *State) {
		s.AVCs = append(s.AVCs, AVC{ID: 4, VMA: 2, AnonVMA: 1})
		s.VMA(2).Chain = append(s.VMA(2).Chain, 4)
		s.AnonVMA(1).Head = append(s.AnonVMA(1).Head, 4)
	}},
	{"2.6.34", "I3", "C:heap has anon_vma C:heap but no AVC linking it there", func(s *State) {
		s.VMA(2).Chain = []AVCID{2}
		s.AVC(3).Freed = true
		s.AnonVMA(2).Head = nil
		s.AnonVMA(2).Freed = true
	}},
	{"2.6.34", "I3", "the head of its chain is anon_vma P:heap", func(s *State) { s.VMA(2).Chain = []AVCID{2, 3} }},
	{"2.6.34", "I4", "C:heap has no anon_vma but 2 AVC(s) on its chain", func(s *State) { s.VMA(2).AnonVMA = 0 }},
	{"2.6.34", "I5", "the chain of C:heap lists anon_vma P:heap before its descendant C:heap", func(s *State) { s.VMA(2).Chain = []AVCID{2, 3} }},
	{"2.6.36", "I5", "the tail of the chain of C:heap is anon_vma P:heap, not the root of its family", func(s *State) { s.AnonVMA(1).Root = 2 }},
	{"2.6.34", "I5", "the tail of the chain of P:heap is anon_vma P:heap, not the root of its family", func(s *State) { s.AnonVMA(1).Parent = 2 }},
	{"2.6.36", "I5", "anon_vma C:heap on the chain of C:heap has root C:heap, not the chain's tail P:heap", func(s *State) {
		s.AnonVMA(2).Root = 2
		s.AnonVMA(1).Refcount = 0
	}},
	{"2.6.34", "I6", "P:a and P:b share anon_vma", nil}, // see TestCheckSameAnonVMAChains
	// I7, anon_vma_chain: a freed anon_vma pointed at by a VMA or an AVC,
	// an empty one left live.
	{"2.6.34", "I7", "C:heap points at anon_vma C:heap, which was freed", func(s *State) { s.AnonVMA(2).Freed = true }},
	{"2.6.34", "I7", "AVC 3 links C:heap to anon_vma C:heap, which was freed", func(s *State) { s.AnonVMA(2).Freed = true }},
	{"2.6.34", "I7", "anon_vma C:heap has no AVCs left and no references, but was not freed", func(s *State) { s.AnonVMA(2).Head = nil }},
	// I7, 2.6.7-2.6.33: the same on the list of VMAs.
	{"2.6.33", "I7", "C:heap points at anon_vma P:heap, which was freed", func(s *State) { s.AnonVMA(1).Freed = true }},
	{"2.6.7", "I7", "anon_vma P:heap has no VMAs left but was not freed", func(s *State) { s.AnonVMA(1).VMAs = nil }},
	{"2.6.36", "I8", "anon_vma C:heap has no root", func(s *State) { s.AnonVMA(2).Root = 0 }},
	{"2.6.36", "I8", "the root of anon_vma C:heap, P:heap, was freed", func(s *State) { s.AnonVMA(1).Freed = true }},
	{"2.6.36", "I8", "the root of anon_vma P:heap, C:heap, is not a root itself", func(s *State) { s.AnonVMA(1).Root = 2 }},
	{"3.19", "I9", "anon_vma P:heap has degree 4, but 1 VMA(s) use it and 2 anon_vma(s) descend from it", func(s *State) { s.AnonVMA(1).Degree++ }},
	{"3.19", "I9", "anon_vma C:heap has degree 0, but 1 VMA(s) use it and 0 anon_vma(s) descend from it", func(s *State) { s.AnonVMA(2).Degree-- }},
	{"6.0", "I9", "anon_vma C:heap has num_children 0 and num_active_vmas 0, but 0 child(ren) (a root counting itself) and 1 VMA(s)", func(s *State) { s.AnonVMA(2).NumActiveVMAs = 0 }},
	{"6.0", "I9", "anon_vma P:heap has num_children 3 and num_active_vmas 1, but 2 child(ren)", func(s *State) { s.AnonVMA(1).NumChildren++ }},
	{"3.7", "I10", "AVC 2 is filed under page offsets 0x100..0x102, but C:heap now covers 0x100..0x101", func(s *State) { s.AVC(2).Last++ }},
	{"3.7", "I10", "AVC 1 is filed under page offsets 0x101..0x101", func(s *State) { s.AVC(1).First, s.AVC(1).Last = 0x101, 0x101 }},
	{"2.6.34", "R1", "page 2 is mapped by P:heap, which is not on the list of anon_vma C:heap", func(s *State) { s.Page(2).Mapping = 2 }},
	{"2.6.34", "R1", "page 1 is mapped by P:heap at 0x100, but page->index does not lead there", func(s *State) { s.Page(1).Index = 0x101 }},
	{"2.6.33", "R1", "page 3 is mapped by C:heap at 0x100, but page->index does not lead there", func(s *State) { s.VMA(2).Pgoff = 0x101 }},
	{"2.6.34", "R2", "page 2 is mapped 2 time(s) but page->mapping points at no anon_vma", func(s *State) { s.Page(2).Mapping = 0 }},
	{"2.6.34", "R2", "page 3 is mapped 1 time(s) but page->mapping points at anon_vma C:heap, which was freed", func(s *State) { s.AnonVMA(2).Freed = true }},
	{"2.6.36", "R3", "page 2's anon_vma has root P:heap, but C:heap, which maps it, has root C:heap", func(s *State) { s.AnonVMA(2).Root = 2 }},
	{"2.6.34", "R4", "the 2 mappings of page 2 do not all compute the same page index", func(s *State) { s.VMA(2).Pgoff++ }},
	{"2.6.34", "R5", "an rmap walk of page 2 finds 1 of the 2 PTEs that map it", func(s *State) { s.Page(2).Mapping = 2 }},
	{"2.6.34", "R5", "an rmap walk of page 2 finds 1 of the 2 PTEs that map it", func(s *State) { s.Page(2).Mapcount = 1 }},
	{"2.6.34", "R6", "swap slot 1 has count 3, but 1 swap entries hold it", func(s *State) {
		s.Swap = append(s.Swap, SwapSlot{ID: 1, Count: 3})
		s.VMA(1).PTEs[1] = PTE{Kind: PTESwap, Swap: 1}
	}},
	{"2.6.6", "R6", "swap slot 1 has count 0, but 2 swap entries hold it", func(s *State) {
		s.Swap = append(s.Swap, SwapSlot{ID: 1})
		s.VMA(1).PTEs[1] = PTE{Kind: PTESwap, Swap: 1}
		s.VMA(2).PTEs[1] = PTE{Kind: PTESwap, Swap: 1}
	}},
}

// TestEveryCheckFires breaks the G1 state of each design in every way
// the checker looks for, one at a time, and asserts that Check reports
// the violation with its message. The unbroken state must be clean, so
// that each report is the break's.
func TestEveryCheckFires(t *testing.T) {
	for _, tt := range brokenStates {
		if tt.mutate == nil {
			continue
		}
		t.Run(tt.model+" "+tt.name+" "+tt.says, func(t *testing.T) {
			res := run(t, New(mustModel(t, tt.model)), g1()[:3]...)
			s := res[2].State.clone()
			if v := Check(&s); len(v) != 0 {
				t.Fatalf("the unbroken state has violations: %v", v)
			}
			tt.mutate(&s)
			got := Check(&s)
			if !slices.ContainsFunc(got, func(v Violation) bool { return v.Name == tt.name && strings.Contains(v.Msg, tt.says) }) {
				t.Errorf("Check did not report %s %q; it reported:\n%v", tt.name, tt.says, got)
			}
		})
	}
}

// TestEveryInvariantHasABreak: each invariant the engine checks, and the
// list-model (2.6.7-2.6.33) and pte_chain (2.6.6) checks, is made to fire
// by some case of brokenStates, so that a checker removed or disabled
// fails a test.
func TestEveryInvariantHasABreak(t *testing.T) {
	covered := map[string]bool{}
	for _, tt := range brokenStates {
		covered[tt.name] = true
		m := mustModel(t, tt.model)
		covered[m.Design.String()+" "+tt.name] = true
	}
	for _, inv := range Invariants() {
		if !covered[inv.Name] {
			t.Errorf("no case of brokenStates breaks %s (%s)", inv.Name, inv.Text)
		}
	}
	for _, want := range []string{"anon_vma with a list of VMAs I1", "anon_vma with a list of VMAs I7",
		"anon_vma with a list of VMAs R1", "pte_chain R6"} {
		if !covered[want] {
			t.Errorf("no case of brokenStates breaks %s", want)
		}
	}
}
