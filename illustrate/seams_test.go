package illustrate

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/avdoc/avdoc/engine"
	"github.com/avdoc/avdoc/story"
)

// namePrinter prints a frame as its title: a format of its own.
type namePrinter struct{}

func (namePrinter) Print(_ context.Context, f Frame) ([]byte, error) {
	return fmt.Appendf(nil, "%s [%d, %s]", f.Title, f.Step, f.Kernel), nil
}

// observed is a machine whose states come from elsewhere than the
// caller's model: here the engine, counting the steps it observes.
type observed struct {
	*engine.Machine
	steps *atomic.Int64
}

func (o observed) Step(events []engine.Event) (engine.StepResult, error) {
	o.steps.Add(1)
	return o.Machine.Step(events)
}

// TestSeams: a run comes from the machines given, and every frame is
// printed by the printer given, without the CLI.
func TestSeams(t *testing.T) {
	file := filepath.Join(t.TempDir(), "fork.yaml")
	src := "title: Fork\nkernels: [2.6.33, 2.6.34]\nsteps:\n  - do: [spawn P, mmap P heap 1, write P:heap:0]\n  - do: fork P C\n"
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	var steps atomic.Int64
	il := &Illustrator{Limits: story.DefaultLimits(), Graphviz: newGraphviz(t), Printer: namePrinter{}, Read: readFile,
		Machines: func(k story.Kernel) (story.Machine, error) { return observed{engine.New(k.Model), &steps}, nil }}
	p := il.Page(context.Background(), file)
	if p.Err != nil {
		t.Fatal(p.Err)
	}
	if steps.Load() != 4 {
		t.Errorf("the machines ran %d steps, want 2 steps under 2 kernels", steps.Load())
	}
	got := string(p.Story.Steps[1].Frames[1].SVG)
	if want := "Fork: step 2 of 2, kernel 2.6.34 [2, 2.6.34]"; got != want {
		t.Errorf("step 2's second frame printed %q, want %q", got, want)
	}
	if len(p.Story.Steps[1].Differs) == 0 {
		t.Error("the kernels' chains differ after the fork, and the page does not say so")
	}
}

// TestFormats: every format has a printer, names are unique, and a figure
// of every step in DOT is each step's placed DOT in turn.
func TestFormats(t *testing.T) {
	seen := map[string]bool{}
	for _, f := range Formats() {
		if seen[f.Name] || f.Printer(nil) == nil {
			t.Errorf("format %q: twice, or no printer", f.Name)
		}
		seen[f.Name] = true
		if g, ok := FormatNamed(f.Name); !ok || g.Name != f.Name {
			t.Errorf("FormatNamed(%q) = %v, %v", f.Name, g.Name, ok)
		}
	}
	if _, ok := FormatNamed("jpeg"); ok {
		t.Error("a format jpeg, which nothing prints")
	}
	if got := FormatNames(); got != "svg, pdf, png, dot or text" {
		t.Errorf("FormatNames() = %q, want svg (the default) first and every format named", got)
	}
	ctx, g := context.Background(), newGraphviz(t)
	res := load(t, "../stories/02-fork.yaml")
	all, err := Figure(ctx, g, res, Request{}, DOT{})
	if err != nil {
		t.Fatal(err)
	}
	var want []byte
	for i := range res.Runs[0].Steps {
		one, err := Figure(ctx, g, res, Request{Steps: []int{i + 1}}, DOT{})
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, one...)
	}
	// Every step in one go: a graph per step, ids prefixed by the step
	// ("s2-vma1") so that they can share a document; one step alone: not.
	steps := len(res.Runs[0].Steps)
	if n := bytes.Count(all, []byte("digraph avdoc")); n != steps || !bytes.Contains(all, []byte(`id="s2-`)) {
		t.Errorf("every step in DOT: %d graphs for %d steps, or ids without their step", n, steps)
	}
	if n := bytes.Count(want, []byte("digraph avdoc")); n != steps || bytes.Contains(want, []byte(`id="s2-`)) {
		t.Errorf("the steps one by one: %d graphs for %d steps, or ids with a step prefix", n, steps)
	}
}
