package differ

import (
	"slices"

	"github.com/avdoc/avdoc/engine"
)

// shrinker reduces a sequence that shows a difference of one kind.
type shrinker struct {
	kind  string
	model engine.Model
	try   func(Sequence) (*Found, error) // runs a sequence (live)
	runs  int                            // tries left
	best  Sequence
	found *Found
}

// Shrink reduces seq, whose run found f, to a shorter sequence whose run
// still shows a difference of f's kind, and returns it with what its run
// found. try runs a sequence; it is called at most maxRuns times, and
// only on sequences the model runs. The passes, repeated until none
// shortens it: cut the events after the difference, drop a forked
// process with every event of it and of its descendants, map one page
// fewer, and drop events by delta debugging (Zeller's ddmin: chunks of
// halving size, then single events), so that the result is 1-minimal: no
// single event can go (within the budget).
func Shrink(model engine.Model, seq Sequence, f *Found, try func(Sequence) (*Found, error), maxRuns int) (Sequence, *Found, error) {
	s := &shrinker{kind: f.Kind(), model: model, try: try, runs: maxRuns}
	s.keep(seq, f)
	for {
		before := s.size()
		for _, pass := range []func() (bool, error){s.dropProcs, s.dropPages, s.ddmin} {
			if _, err := pass(); err != nil {
				return s.best, s.found, err
			}
		}
		if s.size() == before || s.runs <= 0 {
			return s.best, s.found, nil
		}
	}
}

// size orders sequences by events, then pages.
func (s *shrinker) size() int { return len(s.best.Events)*16 + s.best.Setup[len(s.best.Setup)-1].Pages }

// keep makes seq the best so far, cut after the step where f found it.
func (s *shrinker) keep(seq Sequence, f *Found) {
	seq = seq.clone()
	seq.Events = seq.Events[:min(len(seq.Events), f.Step-1)]
	s.best, s.found = seq, f
}

// test runs a candidate and keeps it if it shows the difference.
func (s *shrinker) test(c Sequence) (bool, error) {
	if s.runs <= 0 || !valid(s.model, c) {
		return false, nil
	}
	s.runs--
	f, err := s.try(c)
	if err != nil || !f.has(s.kind) {
		return false, err
	}
	s.keep(c, f)
	return true, nil
}

// ddmin drops chunks of events, halving their size down to single
// events.
func (s *shrinker) ddmin() (bool, error) {
	shrunk := false
	for n := 2; len(s.best.Events) > 0; {
		evs := s.best.Events
		n = min(n, len(evs))
		reduced := false
		for i := 0; i < n && !reduced; i++ {
			lo, hi := i*len(evs)/n, (i+1)*len(evs)/n
			c := s.best.clone()
			c.Events = slices.Delete(c.Events, lo, hi)
			ok, err := s.test(c)
			if err != nil {
				return shrunk, err
			}
			reduced, shrunk = ok, shrunk || ok
		}
		switch {
		case reduced:
			n = max(n-1, 2)
		case n >= len(evs) || s.runs <= 0:
			return shrunk, nil
		default:
			n = min(2*n, len(evs))
		}
	}
	return shrunk, nil
}

// dropProcs tries each forked process: without its fork and every event
// of it and of the processes it forked.
func (s *shrinker) dropProcs() (bool, error) {
	shrunk := false
	for _, name := range forked(s.best) {
		c := s.best.clone()
		c.Events = withoutProc(c.Events, name)
		if len(c.Events) == len(s.best.Events) {
			continue // already gone with an ancestor
		}
		ok, err := s.test(c)
		if err != nil {
			return shrunk, err
		}
		shrunk = shrunk || ok
	}
	return shrunk, nil
}

// dropPages tries the setup's region one page smaller, without the
// events on pages past its end.
func (s *shrinker) dropPages() (bool, error) {
	shrunk := false
	for s.best.Setup[len(s.best.Setup)-1].Pages > 1 {
		c := s.best.clone()
		mm := &c.Setup[len(c.Setup)-1]
		mm.Pages--
		c.Events = slices.DeleteFunc(c.Events, func(ev engine.Event) bool {
			return ev.Range.Region == mm.Region && !ev.Range.Whole && ev.Range.Last >= mm.Pages
		})
		ok, err := s.test(c)
		if !ok || err != nil {
			return shrunk, err
		}
		shrunk = true
	}
	return shrunk, nil
}

// forked lists the processes the sequence forks, in order.
func forked(seq Sequence) []string {
	var out []string
	for _, ev := range seq.Events {
		if ev.Op == engine.OpFork {
			out = append(out, ev.Child)
		}
	}
	return out
}

// withoutProc drops process name's fork and every event of it and of
// its descendants.
func withoutProc(evs []engine.Event, name string) []engine.Event {
	gone := map[string]bool{name: true}
	var out []engine.Event
	for _, ev := range evs {
		switch {
		case ev.Op == engine.OpFork && (gone[ev.Child] || gone[ev.Proc]):
			gone[ev.Child] = true
		case gone[ev.Proc] || gone[ev.Range.Proc]:
		default:
			out = append(out, ev)
		}
	}
	return out
}
