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

// releasingMachine is a live kernel's stand-in: a model that tells its
// release and must be closed.
type releasingMachine struct {
	*engine.Machine
	closed *int
}

func (m releasingMachine) Release() string { return "6.18.44" }
func (m releasingMachine) Close() error    { *m.closed++; return nil }

// TestLiveKernel: `live` names the running kernel, alone or beside a
// model; Simulate refuses it; a live machine's release labels the run,
// and the machine is closed once the run is over.
func TestLiveKernel(t *testing.T) {
	s, err := Parse("t.yaml", []byte("title: t\nkernels: [6.18, live]\nsteps:\n  - do: [spawn P, mmap P heap 1, write P:heap:0]\n    expect:\n      live: [count(anon_vma) == 1]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := s.KernelNames(); len(got) != 2 || got[1] != "live" || !s.Kernels[1].Live || s.Kernels[0].Live {
		t.Fatalf("kernels %v (live %v)", got, s.Kernels[1].Live)
	}
	if _, err := Execute(s); !errors.Is(err, ErrLiveNeedsKernel) {
		t.Errorf("Execute simulated the live kernel: %v", err)
	}
	closed := 0
	res, err := ExecuteOn(s, func(k Kernel) (Machine, error) {
		if k.Live {
			return releasingMachine{engine.New(k.Model), &closed}, nil
		}
		return Simulate(k)
	})
	if err != nil || len(res.Failures) != 0 {
		t.Fatalf("ExecuteOn: %v %v", err, res.Failures)
	}
	for i, want := range []string{"6.18", "live (6.18.44)"} {
		if got := res.Runs[i].Kernel.Label(); got != want {
			t.Errorf("run %d is labelled %q, want %q", i, got, want)
		}
	}
	if closed != 1 {
		t.Errorf("the live machine was closed %d times, want 1", closed)
	}
	if _, err := Parse("t.yaml", []byte("title: t\nkernels: [live, live]\nsteps:\n  - do: spawn P\n")); err == nil || !strings.Contains(err.Error(), "t.yaml:2:17: kernel live is listed twice") {
		t.Errorf("live listed twice: %v", err)
	}
}

// failingMachine fails its second step, as a live kernel that could no
// longer be read would.
type failingMachine struct {
	*engine.Machine
	steps *int
}

func (m failingMachine) Step(events []engine.Event) (engine.StepResult, error) {
	if *m.steps++; *m.steps == 2 {
		return engine.StepResult{}, errors.New("reading the kernel: the iterator failed")
	}
	return m.Machine.Step(events)
}

// TestMachineFailure: a machine that fails a step stops the run with an
// error at that step naming the kernel and the cause; its expectations
// are not judged on the empty state it returned.
func TestMachineFailure(t *testing.T) {
	s, err := Parse("t.yaml", []byte("title: t\nkernel: 6.18\nsteps:\n  - do: [spawn P, mmap P heap 1, write P:heap:0]\n  - do: fork P C\n    expect:\n      - count(process) == 2\n"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := ExecuteOn(s, func(k Kernel) (Machine, error) { return failingMachine{engine.New(k.Model), new(int)}, nil })
	if err == nil || !strings.Contains(err.Error(), "t.yaml:5:5: kernel 6.18 could not run this step: reading the kernel: the iterator failed") {
		t.Errorf("ExecuteOn with a machine that fails a step: %v", err)
	}
	if res != nil && len(res.Failures) != 0 {
		t.Errorf("expectations judged on a failed step: %v", res.Failures)
	}
}
