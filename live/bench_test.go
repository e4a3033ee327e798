package live

import (
	"strconv"
	"testing"

	"github.com/avdoc/avdoc/engine"
)

// BenchmarkObservedStep measures one step of a live story: an event run in
// an agent (a write faulting one page), then the observation of three
// processes (a fork chain) with two regions of 16 pages each. The issue's
// aim is under 100 ms.
func BenchmarkObservedStep(b *testing.B) {
	s := open(b)
	run(b, s, "spawn P", "mmap P heap 16 at 16", "mmap P stack 16 at 64", "write P:heap:0..7", "write P:stack",
		"fork P C", "fork C G")
	for i := 0; b.Loop(); i++ {
		ev := event(b, "write G:heap:"+strconv.Itoa(i%16))
		if err := s.Apply(ev); err != nil {
			b.Fatal(err)
		}
		if _, err := s.Observe(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEvent measures the event alone (a request to an agent and its
// reply), the baseline the observation adds to.
func BenchmarkEvent(b *testing.B) {
	s := open(b)
	run(b, s, "spawn P", "mmap P heap 16 at 16")
	for i := 0; b.Loop(); i++ {
		if err := s.Apply(event(b, "write P:heap:"+strconv.Itoa(i%16))); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkModelStep is the baseline: the same step (a write, then the
// snapshot) on the engine's 6.0 model, from the same start.
func BenchmarkModelStep(b *testing.B) {
	model, err := engine.Lookup("6.0")
	if err != nil {
		b.Fatal(err)
	}
	m := engine.New(model)
	var setup []engine.Event
	for _, text := range []string{"spawn P", "mmap P heap 16 at 16", "mmap P stack 16 at 64", "write P:heap:0..7", "write P:stack",
		"fork P C", "fork C G"} {
		setup = append(setup, event(b, text))
	}
	if _, err := m.Step(setup); err != nil {
		b.Fatal(err)
	}
	for i := 0; b.Loop(); i++ {
		if _, err := m.Step([]engine.Event{event(b, "write G:heap:"+strconv.Itoa(i%16))}); err != nil {
			b.Fatal(err)
		}
	}
}
