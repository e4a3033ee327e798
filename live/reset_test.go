package live

import (
	"slices"
	"testing"
)

// TestResetStartsAfresh: after Reset the session's processes are gone
// and the next run names its objects as a new session would (av(P:heap),
// not av(P:heap#2)), on the same programs and calibration.
func TestResetStartsAfresh(t *testing.T) {
	s := open(t)
	first := run(t, s, "spawn P", "mmap P heap 2 at 16", "write P:heap:0", "fork P C")
	if err := s.Reset(); err != nil {
		t.Fatal(err)
	}
	if len(s.Pids()) != 0 {
		t.Errorf("after Reset, live pids %v", s.Pids())
	}
	second := run(t, s, "spawn P", "mmap P heap 2 at 16", "write P:heap:0")
	if got := avNames(second); !slices.Equal(got, []string{"P:heap"}) || !slices.Equal(avNames(first), []string{"P:heap", "C:heap"}) {
		t.Errorf("anon_vmas: first run %v, after Reset %v; want [P:heap C:heap], then [P:heap]", avNames(first), got)
	}
	if len(second.Procs) != 1 {
		t.Errorf("after Reset the observation has %d processes; want only the new P", len(second.Procs))
	}
}

// TestMunmapForgetsAWholeRegion: as in the engine, a region that munmap
// covers whole is forgotten, so its name can be mapped again.
func TestMunmapForgetsAWholeRegion(t *testing.T) {
	s := open(t)
	run(t, s, "spawn P", "mmap P heap 1 at 16", "mmap P low 1 at 15", "munmap P:low:0")
	o := run(t, s, "mmap P low 1 at 15", "write P:low:0")
	if p := o.Procs[0]; len(p.Regions) != 2 || len(p.VMAs) == 0 {
		t.Errorf("regions %v, VMAs %v; want heap and low again", p.Regions, p.VMAs)
	}
}

// avNames lists the names of the anon_vmas an observation saw, alive.
func avNames(o *Observation) []string {
	var out []string
	for _, a := range o.AnonVMAs {
		if !a.Gone {
			out = append(out, a.Name)
		}
	}
	return out
}
