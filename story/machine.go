package story

import (
	"errors"
	"io"

	"github.com/avdoc/avdoc/engine"
)

// Machine runs a story's events under one kernel, a step at a time, and
// reports after each step the state it reached, its log and its walks: an
// [engine.Machine] simulating a model does, and so can a real kernel
// observed running the same events. Expectations are checked against what
// it reports, whichever it is.
type Machine interface {
	Step(events []engine.Event) (engine.StepResult, error)
	Model() *engine.Model
}

// Machines gives the machine that runs a story under kernel k. Nil means
// [Simulate]: every kernel is its model, simulated by the engine.
type Machines func(k Kernel) (Machine, error)

// Simulate runs kernel k on the engine, as its model. The live kernel
// has no model of its own: it needs a Machines that observes it.
func Simulate(k Kernel) (Machine, error) {
	if k.Live {
		return nil, ErrLiveNeedsKernel
	}
	return engine.New(k.Model), nil
}

// ErrLiveNeedsKernel is Simulate's answer for `kernel: live`.
var ErrLiveNeedsKernel = errors.New("the live kernel runs only where avdoc can read the running kernel (check, build, render, serve and live give it one)")

// LiveModel is the model a live kernel's states are labelled with: the
// newest, named `live`.
func LiveModel() engine.Model {
	names := engine.ModelNames()
	m, err := engine.Lookup(names[len(names)-1])
	if err != nil {
		panic(err) // unreachable: ModelNames lists models Lookup knows
	}
	m.Name = LiveKernel
	return m
}

func liveKernel(pos Pos) Kernel { return Kernel{Model: LiveModel(), Pos: pos, Live: true} }

// closeMachine closes a machine that holds something (a live kernel's
// processes), once its run is over.
func closeMachine(m Machine) error {
	if c, ok := m.(io.Closer); ok {
		return c.Close()
	}
	return nil
}

// release is a live machine's kernel release, or "".
func release(m Machine) string {
	if r, ok := m.(interface{ Release() string }); ok {
		return r.Release()
	}
	return ""
}
