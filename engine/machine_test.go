package engine

import (
	"strings"
	"testing"
)

// TestRefusedEvents: an event that cannot apply is refused with a reason
// naming the wrong field, and leaves the state exactly as it was.
func TestRefusedEvents(t *testing.T) {
	setup := []Event{{Op: OpSpawn, Proc: "P"}, {Op: OpMmap, Proc: "P", Region: "heap", Pages: 2, Writable: true},
		{Op: OpMmap, Proc: "P", Region: "ro", Pages: 1}, {Op: OpSpawn, Proc: "X"}, {Op: OpExit, Proc: "X"}}
	tests := []struct {
		name  string
		ev    Event
		field Field
		msg   string
	}{
		{"no such process", Event{Op: OpWrite, Range: rng("Q", "heap", 0, 0)}, FieldProc, "no process Q"},
		{"exited process", Event{Op: OpWrite, Range: rng("X", "heap", 0, 0)}, FieldProc, "process X has exited"},
		{"no such region", Event{Op: OpRead, Range: rng("P", "stack", 0, 0)}, FieldRegion, "process P has no region stack"},
		{"index outside region", Event{Op: OpWrite, Range: rng("P", "heap", 1, 3)}, FieldIndex, "page index 3 is outside region heap of P (2 pages: 0..1)"},
		{"write to read-only", Event{Op: OpWrite, Range: whole("P", "ro")}, FieldIndex, "writing P:ro:0 would raise SIGSEGV"},
		{"spawn a taken name", Event{Op: OpSpawn, Proc: "X"}, FieldProc, "process name X is already taken"},
		{"fork to a taken name", Event{Op: OpFork, Proc: "P", Child: "P"}, FieldChild, "process name P is already taken"},
		{"region twice", Event{Op: OpMmap, Proc: "P", Region: "heap", Pages: 1}, FieldRegion, "already has a region heap"},
		{"overlapping mmap", Event{Op: OpMmap, Proc: "P", Region: "x", Pages: 1, At: 0x101, HasAt: true}, FieldAt, "overlap P:heap"},
		{"walk of a page never written", Event{Op: OpWalk, Range: rng("P", "heap", 0, 0)}, FieldIndex, "holds no anonymous page"},
		{"mprotect over a hole", Event{Op: OpMprotect, Range: rng("P", "gap", 0, 0)}, FieldRegion, "process P has no region gap"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := New(mustModel(t, "2.6.34"))
			before := run(t, m, setup)[0].State.Dump()
			res, err := m.Step([]Event{tt.ev})
			errs, ok := err.(Errors)
			if !ok || len(errs) != 1 {
				t.Fatalf("got error %v, want one refused event", err)
			}
			if errs[0].Field != tt.field || !strings.Contains(errs[0].Msg, tt.msg) {
				t.Errorf("refusal = field %d %q, want field %d containing %q", errs[0].Field, errs[0].Msg, tt.field, tt.msg)
			}
			if after := res.State.Dump(); after != before {
				t.Errorf("the refused event changed the state:\n%s", after)
			}
		})
	}
}

// TestSnapshotsAreImmutable: later steps never change an earlier step's
// snapshot.
func TestSnapshotsAreImmutable(t *testing.T) {
	m := New(mustModel(t, "2.6.34"))
	res := run(t, m, g1()...)
	first := res[0].State.Dump()
	run(t, m, []Event{{Op: OpExit, Proc: "C"}}, []Event{{Op: OpWrite, Range: whole("P", "heap")}})
	if got := res[0].State.Dump(); got != first {
		t.Errorf("step 1's snapshot changed:\n%s\nwant:\n%s", got, first)
	}
}

// TestExitAndCOWReuse follows §13 G6's variant: P forks C, P exits, C
// writes: the page is reused in place and moves to C's anon_vma; P's
// anon_vma survives while C's VMA is still linked to it.
func TestExitAndCOWReuse(t *testing.T) {
	m := New(mustModel(t, "2.6.34"))
	res := run(t, m,
		[]Event{{Op: OpSpawn, Proc: "P"}, {Op: OpMmap, Proc: "P", Region: "heap", Pages: 1, Writable: true},
			{Op: OpWrite, Range: whole("P", "heap")}, {Op: OpFork, Proc: "P", Child: "C"}},
		[]Event{{Op: OpExit, Proc: "P"}},
		[]Event{{Op: OpWrite, Range: whole("C", "heap")}})
	s := &res[2].State
	cv := s.VMA(s.ProcByName("C").VMAs[0])
	pg := s.Page(cv.PTEs[0].Page)
	if pg.ID != 1 || pg.Mapping != cv.AnonVMA || s.AnonVMA(cv.AnonVMA).Name != "C:heap" {
		t.Errorf("page %d mapping %d; want page 1 reused and moved to C's anon_vma %d", pg.ID, pg.Mapping, cv.AnonVMA)
	}
	if s.AnonVMA(1).Freed || len(s.AnonVMA(1).Head) != 1 {
		t.Errorf("P's anon_vma: freed=%v list=%v; want alive with C's AVC", s.AnonVMA(1).Freed, s.AnonVMA(1).Head)
	}
	if !strings.Contains(res[2].Log[len(res[2].Log)-1].String(), "page_move_anon_rmap: page 1->mapping moves from anon_vma P:heap to anon_vma C:heap") {
		t.Errorf("log does not show page_move_anon_rmap: %v", res[2].Log)
	}
	if len(res[2].Violations) != 0 {
		t.Errorf("violations: %v", res[2].Violations)
	}
}
