package engine

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// vmaLayout describes the VMAs of proc as "FIRST..LAST rw|ro", page
// indexes counted from region's first page.
func vmaLayout(s *State, proc, region string) []string {
	p := s.ProcByName(proc)
	r, _ := p.Region(region)
	var out []string
	for _, id := range p.VMAs {
		v := s.VMA(id)
		out = append(out, fmt.Sprintf("%d..%d %s", v.Start-r.Start, v.End-1-r.Start, protName(v.Writable)))
	}
	return out
}

// TestMprotectPrevOnly pins D6: 2.6.6 has no vma_merge. mprotect_fixup
// merges a range only into prev, through mprotect_attempt_merge, and only
// when the range starts at its VMA's start; sys_mprotect merges the VMA
// after the range into the last one changed, and only when the range ends
// at a VMA's end (mm/mprotect.c mprotect_attempt_merge, mprotect_fixup,
// sys_mprotect, v2.6.6). 2.6.7's vma_merge (mm/mmap.c, v2.6.7) merges with
// either neighbour, or both.
func TestMprotectPrevOnly(t *testing.T) {
	v := func(first, last int) Range { return rng("P", "v", first, last) }
	roMiddle := mp(v(1, 2), false)
	for _, tt := range []struct {
		name   string
		evs    []Event
		v266   []string
		v267up []string
	}{
		// The range's first VMA goes into prev; its last one, [3], has
		// its flags already, and nothing follows it: no merge with next.
		{"rw over a split VMA and the one after", []Event{roMiddle, mp(v(1, 3), true)},
			[]string{"0..2 rw", "3..3 rw"}, []string{"0..3 rw"}},
		// The same with a child sharing every page: the PTEs and their
		// pte_chains follow the VMAs' new bounds (no invariant breaks).
		{"rw over a split VMA and the one after, after fork", []Event{fk("P", "C"), roMiddle, mp(v(1, 3), true)},
			[]string{"0..2 rw", "3..3 rw"}, []string{"0..3 rw"}},
		// The range ends at its VMA's end: sys_mprotect's merge after
		// the loop takes [3] in, so 2.6.6 ends with one VMA too.
		{"rw over the split VMA alone", []Event{roMiddle, mp(v(1, 2), true)},
			[]string{"0..3 rw"}, []string{"0..3 rw"}},
		// [0] has no prev to merge into and mprotect_fixup never looks
		// at next; the range then ends inside [1..2]: no merge after
		// the loop either.
		{"ro up to a read-only VMA", []Event{roMiddle, mp(v(0, 1), false)},
			[]string{"0..0 ro", "1..2 ro", "3..3 rw"}, []string{"0..2 ro", "3..3 rw"}},
		// split_vma at the start, then the merge after the loop: the
		// same bounds as vma_merge's case 4.
		{"ro at the end of a VMA before a read-only one", []Event{mp(v(2, 3), false), mp(v(1, 1), false)},
			[]string{"0..0 rw", "1..3 ro"}, []string{"0..0 rw", "1..3 ro"}},
		// Flags unchanged, yet sys_mprotect merges the VMA after the
		// range: the two rw VMAs the first mprotect left become one.
		{"unchanged flags merge with next", []Event{roMiddle, mp(v(1, 3), true), mp(v(0, 2), true)},
			[]string{"0..3 rw"}, []string{"0..3 rw"}},
	} {
		for _, model := range []string{"2.6.6", "2.6.7", "2.6.34", "6.18"} {
			t.Run(tt.name+"/"+model, func(t *testing.T) {
				evs := append([]Event{sp("P"), mm("P", "v", 4, pageA, true), wr(v(0, 3))}, tt.evs...)
				want := tt.v267up
				if model == "2.6.6" {
					want = tt.v266
				}
				res := run(t, New(mustModel(t, model)), steps(evs...)...)
				for _, r := range res {
					if len(r.Violations) > 0 {
						t.Errorf("step %d breaks invariants: %v", r.Step, r.Violations)
					}
				}
				if got := vmaLayout(&res[len(res)-1].State, "P", "v"); !slices.Equal(got, want) {
					t.Errorf("VMAs %v, want %v", got, want)
				}
			})
		}
	}
}

// TestMprotectStopsAtHole pins D12: sys_mprotect applies mprotect_fixup
// VMA by VMA and fails with ENOMEM only when it reaches a hole, so the
// VMAs before the hole keep their new protection (mm/mprotect.c
// sys_mprotect, v2.6.6 and v2.6.34: `if (!vma || vma->vm_start != nstart)
// { error = -ENOMEM; goto out; }`; do_mprotect_pkey, v6.18: `if
// (vma->vm_start != tmp) { error = -ENOMEM; break; }`). A hole at the start
// fails before any change (`if (vma->vm_start > start) goto out;`): that
// event is refused.
func TestMprotectStopsAtHole(t *testing.T) {
	for _, tt := range []struct {
		name    string
		hole    int
		want    []string
		log     string // a log line the step must have, or ""
		refused bool
	}{
		{"hole in the middle", 2, []string{"0..1 ro", "3..3 rw"}, "sys_mprotect: ENOMEM at P:v:2 (changed up to it)", false},
		{"hole at the start", 0, []string{"1..3 rw"}, "", true},
	} {
		for _, model := range ModelNames() {
			t.Run(tt.name+"/"+model, func(t *testing.T) {
				m := New(mustModel(t, model))
				run(t, m, steps(sp("P"), mm("P", "v", 4, pageA, true), wr(rng("P", "v", 0, 3)),
					Event{Op: OpMunmap, Range: rng("P", "v", tt.hole, tt.hole)})...)
				res, err := m.Step([]Event{mp(rng("P", "v", 0, 3), false)})
				if (err != nil) != tt.refused {
					t.Fatalf("refused = %v (%v), want %v", err != nil, err, tt.refused)
				}
				if got := vmaLayout(&res.State, "P", "v"); !slices.Equal(got, tt.want) {
					t.Errorf("VMAs %v, want %v", got, tt.want)
				}
				if tt.log != "" && !slices.ContainsFunc(res.Log, func(l LogLine) bool {
					return strings.HasPrefix(l.Func+": "+l.Msg, tt.log)
				}) {
					t.Errorf("no log line %q in %v", tt.log, res.Log)
				}
			})
		}
	}
}
