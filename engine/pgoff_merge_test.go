package engine

import "testing"

// TestMovedRegionMergesIn2_6_6 pins D14: a region mremap moves keeps its old
// vm_pgoff (move_vma), and 2.6.6's vma_merge does not compare vm_pgoff for
// anonymous memory, so the moved region merges with the one it lands next
// to; from 2.6.7 the pgoffs differ and the two stay apart. In 2.6.6 no
// invariant breaks: its rmap never computes a page's index from vm_pgoff.
func TestMovedRegionMergesIn2_6_6(t *testing.T) {
	tests := []struct {
		model string
		vmas  int // P's VMAs after the move
	}{
		{"2.6.6", 1},
		{"2.6.7", 2},
		{"2.6.34", 2},
		{"6.0", 2},
	}
	for _, tt := range tests {
		{
			// a faulted region: from 2.6.7 its anon_vma keeps copy_vma from
			// giving it a pgoff from its new address.
			evs := []Event{sp("P"), mm("P", "a", 2, pageA, true), mm("P", "b", 1, pageA+8, true), wr(whole("P", "a"))}
			t.Run(tt.model, func(t *testing.T) {
				res := run(t, New(mustModel(t, tt.model)), steps(append(evs, mrem("P", "a", 2, pageA+6))...)...)
				s := &res[len(res)-1].State
				if got := len(s.ProcByName("P").VMAs); got != tt.vmas {
					t.Errorf("P has %d VMAs after moving a next to b, want %d", got, tt.vmas)
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
