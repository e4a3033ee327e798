package story

import (
	"fmt"
	"runtime"
	"slices"
	"strings"

	"github.com/avdoc/avdoc/engine"
	"github.com/avdoc/avdoc/internal/parallel"
)

// Result is a story run under each of its kernels.
type Result struct {
	Story    *Story
	Runs     []Run     // one per kernel, in the story's order
	Failures []Failure // expectations that did not hold, and steps that broke the honesty rule
}

// Run is the story under one kernel.
type Run struct {
	Kernel Kernel
	Steps  []StepRun
}

// StepRun is one step under one kernel: what the engine did, and how each
// expectation for that kernel fared.
type StepRun struct {
	engine.StepResult
	Checks []Check
	Show   Show // the display options in force for the step
}

// Check is one expectation's outcome.
type Check struct {
	Expectation *Expectation
	OK          bool
	Got         string // what was found instead, when !OK
}

// Failure is a claim of the story that the simulation does not bear out.
type Failure struct {
	Pos    Pos
	Step   int
	Kernel string
	Msg    string
	// Unnamed is set for a step that broke an invariant or oopsed without
	// an expectation naming it (the honesty rule), rather than for an
	// expectation that does not hold.
	Unnamed bool
}

func (f Failure) String() string {
	return fmt.Sprintf("%s: step %d (kernel %s): %s", f.Pos, f.Step, f.Kernel, f.Msg)
}

// Execute runs the story under each of its kernels and checks every
// expectation, and the honesty rule: a step that oopses or breaks an
// invariant must have an expectation naming it. Problems in the story
// itself (an event the engine refuses, an expectation about a region that
// does not exist) are returned as an [ErrorList]; failed expectations are
// in Result.Failures.
//
// The kernels run side by side, each on its own machine, as many at once
// as GOMAXPROCS allows; their results are put together in the story's
// kernel order, so that they are the same whatever ran first.
func Execute(s *Story) (*Result, error) { return ExecuteOn(s, nil) }

// ExecuteOn is [Execute] with each kernel run on the machine that machines
// gives it (nil: [Simulate]). A machine that cannot be made is an error,
// the first in the story's kernel order.
func ExecuteOn(s *Story, machines Machines) (*Result, error) {
	if machines == nil {
		machines = Simulate
	}
	names := processNames(s)
	runs := make([]kernelRun, len(s.Kernels))
	parallel.For(len(s.Kernels), runtime.GOMAXPROCS(0), func(i int) {
		runs[i] = runKernel(s, s.Kernels[i], names, machines)
	})
	res := &Result{Story: s}
	var errs ErrorList
	seen := map[string]bool{}
	for i := range runs {
		if runs[i].err != nil {
			return nil, runs[i].err
		}
		res.Runs = append(res.Runs, runs[i].run)
		res.Failures = append(res.Failures, runs[i].failures...)
		for _, e := range runs[i].errs {
			addOnce(&errs, seen, e)
		}
	}
	errs.Sort()
	errs.clip()
	return res, errs.Err()
}

// kernelRun is the story under one kernel, before it is put together
// with the others: the problems it found in the story, each once, in
// the order it found them.
type kernelRun struct {
	run      Run
	failures []Failure
	errs     ErrorList
	err      error // the kernel's machine could not be made
}

// runKernel runs the story under kernel k.
func runKernel(s *Story, k Kernel, names procNames, machines Machines) kernelRun {
	k.Model.Swap = s.SwapDevice
	out := kernelRun{run: Run{Kernel: k}}
	seen := map[string]bool{}
	m, err := machines(k)
	if err != nil {
		out.err = fmt.Errorf("kernel %s: %w", k.Model.Name, err)
		return out
	}
	out.run.Kernel.Release = release(m)
	for i := range s.Steps {
		st := &s.Steps[i]
		sr := runStep(m, st, s.Show, names, out.run.Steps, &out.errs, seen)
		out.failures = append(out.failures, checkStep(&sr, st, k.Model.Name)...)
		out.run.Steps = append(out.run.Steps, sr)
	}
	if err := closeMachine(m); err != nil {
		out.err = fmt.Errorf("kernel %s: %w", k.Model.Name, err)
	}
	return out
}

// processNames returns every process name the story's events use.
func processNames(s *Story) procNames {
	out := procNames{set: map[string]bool{}}
	for _, st := range s.Steps {
		for _, ev := range st.Events {
			for _, n := range []string{ev.Proc, ev.Child, ev.Range.Proc} {
				if n != "" && !out.set[n] {
					out.set[n] = true
					out.sorted = append(out.sorted, n)
				}
			}
		}
	}
	slices.Sort(out.sorted)
	return out
}

// runStep runs one step, after the steps past, and checks its expectations.
func runStep(m Machine, st *Step, show Show, names procNames, past []StepRun, errs *ErrorList, seen map[string]bool) StepRun {
	events := make([]engine.Event, len(st.Events))
	for i, ev := range st.Events {
		events[i] = ev.Event
	}
	r, err := m.Step(events)
	sr := StepRun{StepResult: r, Show: show.merge(st.Show)}
	if refused, ok := err.(engine.Errors); ok {
		for _, e := range refused {
			addOnce(errs, seen, &Error{Pos: st.Events[e.Event].PosOf(e.Field), Msg: e.Msg, Hint: e.Hint})
		}
	} else if err != nil {
		// The machine failed (a live kernel that could not be read):
		// its state says nothing, and no expectation is judged on it.
		addOnce(errs, seen, &Error{Pos: st.Pos, Msg: fmt.Sprintf("kernel %s could not run this step: %v", m.Model().Name, err),
			Hint: "the step's expectations were not checked"})
		return sr
	}
	ev := &evaluator{res: &sr.StepResult, st: &sr.State, model: m.Model(), names: names, past: past}
	for i := range st.Expect {
		x := &st.Expect[i]
		if x.Kernel != "" && x.Kernel != m.Model().Name {
			continue
		}
		ok, got, ierr := ev.holds(x.Expr, x.Pos)
		if ierr != nil {
			pos := ierr.pos
			if pos.Line == 0 {
				pos = x.Pos
			}
			addOnce(errs, seen, &Error{Pos: pos, Msg: ierr.msg, Hint: ierr.hint})
			continue
		}
		sr.Checks = append(sr.Checks, Check{Expectation: x, OK: ok, Got: got})
	}
	return sr
}

// addOnce adds an error unless the same one was added already (under
// another kernel, or for another name of a name range).
func addOnce(errs *ErrorList, seen map[string]bool, e *Error) {
	if key := e.Error(); !seen[key] {
		seen[key] = true
		*errs = append(*errs, e)
	}
}

// checkStep returns the failures of one step under one kernel.
func checkStep(sr *StepRun, st *Step, kernel string) []Failure {
	var out []Failure
	for _, c := range sr.Checks {
		if !c.OK {
			out = append(out, Failure{Pos: c.Expectation.Pos, Step: sr.Step, Kernel: kernel,
				Msg: fmt.Sprintf("expected %s, got %s", c.Expectation.Text, c.Got)})
		}
	}
	if sr.Clean() || namesAnOutcome(sr.Checks) {
		return out
	}
	return append(out, Failure{Pos: st.Pos, Step: sr.Step, Kernel: kernel, Unnamed: true,
		Msg: "the step " + outcomeText(&sr.StepResult) + ", but no expectation names it (add " + outcomeHint(&sr.StepResult) + " to its expect)"})
}

// namesAnOutcome reports whether a step's expectations name an oops or a
// violation: the honesty rule of story-format v1.
func namesAnOutcome(checks []Check) bool {
	for _, c := range checks {
		if p := c.Expectation.Expr.Pred; p == "oops" || p == "violation" {
			return true
		}
	}
	return false
}

func outcomeText(r *engine.StepResult) string {
	var parts []string
	for _, v := range r.New {
		parts = append(parts, "broke "+v.String())
	}
	if r.Oopsed() {
		parts = append(parts, "oopsed")
	}
	return strings.Join(parts, "; ")
}

func outcomeHint(r *engine.StepResult) string {
	if len(r.New) > 0 {
		return "`violation " + r.New[0].Name + "`"
	}
	return "`oops`"
}
