package story

import (
	"errors"
	"strings"
	"testing"

	"github.com/avdoc/avdoc/engine"
)

// countingMachine is a machine that runs on the engine and counts the
// steps it was asked to run, as an observed kernel would be asked.
type countingMachine struct {
	*engine.Machine
	steps *int
}

func (m countingMachine) Step(events []engine.Event) (engine.StepResult, error) {
	*m.steps++
	return m.Machine.Step(events)
}

// TestExecuteOn: each kernel runs on the machine given for it, and its
// expectations are checked against what that machine reports; a machine
// that cannot be made stops the run with an error naming the kernel.
func TestExecuteOn(t *testing.T) {
	s, err := Parse("t.yaml", []byte("title: t\nkernels: [2.6.33, 2.6.34]\nsteps:\n  - do: [spawn P, mmap P heap 1, write P:heap:0]\n  - do: fork P C\n    expect:\n      - walk(P:heap:0) == [P, C]\n"))
	if err != nil {
		t.Fatal(err)
	}
	// The kernels run at once: each has its counter, made beforehand.
	counts := map[string]*int{"2.6.33": new(int), "2.6.34": new(int)}
	res, err := ExecuteOn(s, func(k Kernel) (Machine, error) {
		return countingMachine{engine.New(k.Model), counts[k.Model.Name]}, nil
	})
	if err != nil || len(res.Failures) != 0 {
		t.Fatalf("ExecuteOn: %v %v", err, res.Failures)
	}
	for _, name := range []string{"2.6.33", "2.6.34"} {
		if *counts[name] != 2 {
			t.Errorf("kernel %s's machine ran %d steps, want 2", name, *counts[name])
		}
	}
	_, err = ExecuteOn(s, func(k Kernel) (Machine, error) {
		if k.Model.Name == "2.6.34" {
			return nil, errors.New("cannot read the live kernel here")
		}
		return Simulate(k)
	})
	if err == nil || !strings.Contains(err.Error(), "kernel 2.6.34: cannot read the live kernel here") {
		t.Errorf("ExecuteOn with a machine that cannot be made: %v", err)
	}
}
