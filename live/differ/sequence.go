package differ

import (
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/avdoc/avdoc/engine"
	"github.com/avdoc/avdoc/engine/explore"
)

// Sequence is a setup, run as one step (explore's: process P maps region
// heap), and events, one step each.
type Sequence struct {
	Setup  []engine.Event
	Events []engine.Event
}

// Steps returns the sequence's steps: the setup, then each event.
func (s Sequence) Steps() [][]engine.Event {
	out := [][]engine.Event{s.Setup}
	for _, ev := range s.Events {
		out = append(out, []engine.Event{ev})
	}
	return out
}

func (s Sequence) String() string {
	var parts []string
	for _, step := range s.Steps() {
		var evs []string
		for _, ev := range step {
			evs = append(evs, ev.String())
		}
		parts = append(parts, strings.Join(evs, ", "))
	}
	return strings.Join(parts, "; ")
}

func (s Sequence) clone() Sequence {
	return Sequence{Setup: slices.Clone(s.Setup), Events: slices.Clone(s.Events)}
}

// Generate returns sequence index of a seed: the same on every machine
// and every run (a PCG stream seeded with the seed and the index), so
// that `--seed S` and the index reproduce it. Each event is drawn
// uniformly from explore's alphabet after the events before it, leaving
// out those the live kernel cannot run, those the model refuses (a write
// to a read-only page would kill the agent) and those that change
// nothing; the sequence ends early if none is left.
func Generate(cfg Config, index int) Sequence {
	cfg = cfg.withDefaults()
	rng := rand.New(rand.NewPCG(cfg.Seed, uint64(index)))
	seq := Sequence{Setup: explore.Setup(cfg.Pages)}
	m := engine.New(cfg.Model)
	if _, err := m.Advance(seq.Setup); err != nil {
		return seq // unreachable: every model runs the setup
	}
	for len(seq.Events) < cfg.Depth {
		next, ev, ok := draw(rng, m, cfg)
		if !ok {
			break
		}
		m = next
		seq.Events = append(seq.Events, ev)
	}
	return seq
}

// draw picks an event to follow m's state and returns the machine after
// it; ok is false when no event can follow.
func draw(rng *rand.Rand, m *engine.Machine, cfg Config) (*engine.Machine, engine.Event, bool) {
	st := m.State()
	var cands []engine.Event
	for _, ev := range explore.Alphabet(st, cfg.Kinds, cfg.Procs) {
		if RunsLive(ev) && !explore.Inert(st, ev) {
			cands = append(cands, ev)
		}
	}
	for len(cands) > 0 {
		i := rng.IntN(len(cands))
		next := m.Clone()
		if _, err := next.Advance([]engine.Event{cands[i]}); err == nil {
			return next, cands[i], true
		}
		cands = slices.Delete(cands, i, i+1)
	}
	return nil, engine.Event{}, false
}

// RunsLive reports whether the live kernel runs an event without a swap
// device: not swapout, evict, hibernate or MADV_PAGEOUT.
func RunsLive(ev engine.Event) bool {
	switch ev.Op {
	case engine.OpSwapout, engine.OpEvict, engine.OpHibernate:
		return false
	case engine.OpMadvise:
		return ev.Advice == engine.AdviceDontneed
	}
	return true
}

// valid reports whether the model runs every step of a sequence: what
// shrinking keeps must still be a sequence the kernel can be given.
func valid(model engine.Model, s Sequence) bool {
	m := engine.New(model)
	for _, step := range s.Steps() {
		if _, err := m.Advance(step); err != nil {
			return false
		}
	}
	return true
}
