package differ

import (
	"errors"
	"fmt"
	"slices"

	"github.com/avdoc/avdoc/engine"
	"github.com/avdoc/avdoc/live"
	"github.com/avdoc/avdoc/live/livestory"
)

// KindRefused is the kind of the difference where the kernel refuses an
// event the model runs.
const KindRefused = "refused"

// Found is where a sequence's run on the kernel and under the model
// first part: the step, what differs there, and both runs up to it.
type Found struct {
	Step   int // 1-based; step 1 is the setup
	Diffs  []live.Difference
	Model  []engine.StepResult // the model's steps, up to Step
	Kernel []engine.StepResult // the kernel's, up to Step (the last missing if it refused)
}

// Kind is the kind of the first difference: what shrinking keeps.
func (f *Found) Kind() string { return f.Diffs[0].Kind }

// has reports whether f shows a difference of kind.
func (f *Found) has(kind string) bool {
	return f != nil && slices.ContainsFunc(f.Diffs, func(d live.Difference) bool { return d.Kind == kind })
}

// judge runs sequences on the running kernel.
type judge struct {
	k     livestory.Kernel
	model engine.Model
	runs  int // sequences run
	steps int // steps run live
}

// run runs a sequence on the kernel and under the model, step by step,
// and returns where they first differ, or nil if they agree throughout.
// The model must run every step (see valid).
func (j *judge) run(seq Sequence) (*Found, error) {
	if err := j.reset(); err != nil {
		return nil, err
	}
	j.runs++
	m := engine.New(j.model)
	f := &Found{}
	for i, step := range seq.Steps() {
		mr, err := m.Step(step)
		if err != nil {
			return nil, fmt.Errorf("step %d (%s): the model refuses it: %w", i+1, seq, err)
		}
		f.Step, f.Model = i+1, append(f.Model, mr)
		j.steps++
		kr, err := j.k.Step(step)
		var refused engine.Errors
		if errors.As(err, &refused) {
			f.Diffs = []live.Difference{{Kind: KindRefused, What: step[refused[0].Event].String(), Model: "it runs", Kernel: refused[0].Error()}}
			return f, nil
		}
		if err != nil {
			return nil, fmt.Errorf("step %d: %w", i+1, err)
		}
		f.Kernel = append(f.Kernel, kr)
		if f.Diffs = live.Compare(&mr.State, &kr.State); len(f.Diffs) > 0 {
			return f, nil
		}
	}
	return nil, nil
}

// reset ends the last sequence's processes; if that fails (an agent the
// kernel killed), the kernel is opened afresh.
func (j *judge) reset() error {
	if j.k.Reset() == nil {
		return nil
	}
	if err := j.k.Close(); err != nil {
		return err
	}
	k, err := livestory.OpenKernel()
	if err != nil {
		return err
	}
	j.k = k
	return nil
}
