package engine

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// Event constructors for compact scenarios.
func sp(p string) Event { return Event{Op: OpSpawn, Proc: p} }
func mm(p, r string, n int, at uint64, rw bool) Event {
	return Event{Op: OpMmap, Proc: p, Region: r, Pages: n, At: at, HasAt: at != 0, Writable: rw}
}
func wr(r Range) Event          { return Event{Op: OpWrite, Range: r} }
func rd(r Range) Event          { return Event{Op: OpRead, Range: r} }
func mp(r Range, rw bool) Event { return Event{Op: OpMprotect, Range: r, Writable: rw} }
func fk(p, c string) Event      { return Event{Op: OpFork, Proc: p, Child: c} }
func ex(p string) Event         { return Event{Op: OpExit, Proc: p} }
func so(r Range) Event          { return Event{Op: OpSwapout, Range: r} }
func steps(evs ...Event) [][]Event {
	out := make([][]Event, len(evs))
	for i, e := range evs {
		out[i] = []Event{e}
	}
	return out
}

const pageA = 0x200

// bugSeqs are kernel-rmap-spec §6.3's minimal sequences, with the new
// violations §13 expects per step (1-based) under the buggy model and
// none under 2.6.34.
var bugSeqs = []struct {
	name  string
	buggy string // model name, or base+fixes for a custom model
	fixes []string
	steps [][]Event
	want  map[int][]string
}{
	{"B2 vma_adjust clones from the wrong VMA (G3)", "2.6.34-rc3", nil, steps(
		sp("P"), mm("P", "v", 2, pageA, true), mp(rng("P", "v", 0, 0), false), wr(rng("P", "v", 1, 1)),
		mp(rng("P", "v", 0, 0), true)),
		map[int][]string{5: {"I3", "I7", "R2"}}},
	{"B1 reuse of a forked neighbour's anon_vma (G4)", "2.6.34-rc3", nil, append(steps(
		sp("P"), mm("P", "v", 1, pageA, true), wr(whole("P", "v")), fk("P", "C"), mp(whole("C", "v"), false),
		mm("C", "w", 1, pageA-1, true), wr(whole("C", "w")), mp(whole("C", "v"), true)), []Event{ex("P")}),
		map[int][]string{7: {"I5", "I6"}, 8: {"R1", "R5"}, 9: {"R2"}}},
	{"B3 clone order with only the oldest-anon_vma fix (G5)", "2.6.34-rc3", []string{"oldest-anon-vma"}, steps(
		sp("P"), mm("P", "v", 1, pageA, true), wr(whole("P", "v")), fk("P", "C"), fk("C", "G"),
		so(whole("P", "v")), rd(whole("G", "v")), rd(whole("P", "v")), ex("G"), ex("C")),
		map[int][]string{5: {"I5"}, 8: {"R1", "R5"}, 10: {"R2"}}},
}

func TestBugSequences(t *testing.T) {
	for _, seq := range bugSeqs {
		t.Run(seq.name, func(t *testing.T) {
			buggy := mustModel(t, seq.buggy)
			if seq.fixes != nil {
				var err error
				if buggy, err = Derive("custom", buggy, seq.fixes, false); err != nil {
					t.Fatal(err)
				}
			}
			for _, model := range []Model{buggy, mustModel(t, "2.6.34")} {
				res := run(t, New(model), seq.steps...)
				var got, want []string
				for i, r := range res {
					if n := names(r.New); len(n) > 0 {
						got = append(got, fmt.Sprintf("%d:%v", i+1, n))
					}
					if w := seq.want[i+1]; model.Name != "2.6.34" && w != nil {
						want = append(want, fmt.Sprintf("%d:%v", i+1, w))
					}
				}
				if !slices.Equal(got, want) {
					t.Errorf("%s: new violations by step %v, want %v", model.Name, got, want)
				}
			}
		})
	}
}

// TestSplitAndMerge checks the shapes mprotect and munmap leave: a split
// keeps the chain on both halves, a merge back drops one, page indexes
// stay valid, and 2.6.34 stays clean throughout.
func TestSplitAndMerge(t *testing.T) {
	m := New(mustModel(t, "2.6.34"))
	res := run(t, m, steps(
		sp("P"), mm("P", "v", 4, pageA, true), wr(whole("P", "v")), fk("P", "C"),
		mp(rng("C", "v", 1, 2), false), // split C's VMA in three
		mp(rng("C", "v", 1, 2), true),  // and merge it back
		Event{Op: OpMunmap, Range: rng("C", "v", 3, 3)},
		mm("C", "x", 1, pageA+4, true), // after the hole munmap left: a VMA of its own
	)...)
	vmas := func(i int, p string) string {
		s := &res[i].State
		var out []string
		for _, id := range s.ProcByName(p).VMAs {
			v := s.VMA(id)
			out = append(out, fmt.Sprintf("%s%s%d", s.VMAName(id), protName(v.Writable), len(v.Chain)))
		}
		return strings.Join(out, " ")
	}
	checks := []struct {
		step int
		proc string
		want string
	}{
		{5, "C", "C:v[0..0]rw2 C:v[1..2]ro2 C:v[3..3]rw2"},
		{6, "C", "C:vrw2"},
		{7, "C", "C:v[0..2]rw2"},
		{8, "C", "C:v[0..2]rw2 C:xrw0"},
	}
	for _, c := range checks {
		if got := vmas(c.step-1, c.proc); got != c.want {
			t.Errorf("step %d: %s has %s, want %s", c.step, c.proc, got, c.want)
		}
	}
	for i, r := range res {
		if len(r.Violations) > 0 {
			t.Errorf("step %d: %v", i+1, r.Violations)
		}
	}
	// Every page of P is still found by a walk after C's splits and merges.
	s := &res[6].State
	for _, pid := range []PageID{1, 2, 3} {
		if w := s.Walk(pid, "page_referenced"); w.Found != s.Page(pid).Mapcount {
			t.Errorf("walk of page %d finds %d of %d", pid, w.Found, s.Page(pid).Mapcount)
		}
	}
}

// TestMmapMerges: a region placed right after another with the same
// protection extends its VMA instead of making a new one (vma_merge).
func TestMmapMerges(t *testing.T) {
	res := run(t, New(mustModel(t, "2.6.34")), steps(
		sp("P"), mm("P", "a", 2, pageA, true), wr(whole("P", "a")), mm("P", "b", 1, pageA+2, true),
		wr(whole("P", "b")), mm("P", "c", 1, pageA+3, false))...)
	s := &res[5].State
	p := s.ProcByName("P")
	if len(p.VMAs) != 2 {
		t.Fatalf("P has %d VMAs, want 2 (a+b merged, c read-only apart)", len(p.VMAs))
	}
	v := s.VMA(p.VMAs[0])
	if v.Start != pageA || v.End != pageA+3 || s.Page(3).Mapping != v.AnonVMA {
		t.Errorf("merged VMA %#x..%#x, page 3 mapping %d; want %#x..%#x and a's anon_vma", v.Start, v.End, s.Page(3).Mapping, pageA, pageA+3)
	}
	if got := s.VMAName(p.VMAs[0]); got != "P:a" {
		t.Errorf("merged VMA named %s, want P:a", got)
	}
}
