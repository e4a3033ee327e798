package story

import "github.com/avdoc/avdoc/engine"

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

// Simulate runs kernel k on the engine, as its model.
func Simulate(k Kernel) (Machine, error) { return engine.New(k.Model), nil }
