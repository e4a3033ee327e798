package illustrate

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/avdoc/avdoc/render"
	"github.com/avdoc/avdoc/story"
)

// RunIndex is the index of the run of the named kernel, or of the first
// run when kernel is empty.
func RunIndex(res *story.Result, kernel string) (int, error) {
	if kernel == "" {
		return 0, nil
	}
	i := slices.IndexFunc(res.Runs, func(r story.Run) bool { return r.Kernel.Model.Name == kernel })
	if i < 0 {
		return 0, fmt.Errorf("the story does not run kernel %s (it runs %s)", kernel, strings.Join(res.Story.KernelNames(), ", "))
	}
	return i, nil
}

// Request is what to draw of a story for an article: which kernels'
// runs, which steps, and how.
type Request struct {
	Runs    []int // indexes of res.Runs, in the order drawn; empty: the first
	Steps   []int // 1-based, in the order drawn; empty: every step
	Columns int   // a film strip's frames per row (one kernel only); 0: one row
	Theme   render.Theme
	Legend  Legend
}

// Figure draws what req asks of a story, every frame on the story's
// layout, as the site does, printed by p. One frame is that frame; with a
// [FigurePrinter], several are one figure, a row per step and a column
// per kernel (see [Compose]); any other printer prints each in turn.
func Figure(ctx context.Context, g Graphviz, res *story.Result, req Request, p Printer) ([]byte, error) {
	req = req.resolve(res)
	if _, ok := p.(Text); ok {
		return printText(ctx, p, res, req)
	}
	fp, composes := p.(FigurePrinter)
	if req.Legend == LegendOnly && !composes {
		return nil, fmt.Errorf("a legend alone is a figure: print it as %s", FigureFormatNames())
	}
	st := Style{Theme: req.Theme, Prefixed: len(req.Runs)*len(req.Steps) > 1, NoLegend: composes || req.Legend == LegendNone}
	d, err := Draw(ctx, g, res, st)
	if err != nil {
		return nil, err
	}
	if composes {
		fig, err := d.Compose(ctx, g, req)
		if err != nil {
			return nil, err
		}
		return fp.PrintFigure(fig)
	}
	var b bytes.Buffer
	for _, i := range req.Steps {
		for _, k := range req.Runs {
			out, err := p.Print(ctx, d.Frame(k, i-1))
			if err != nil {
				return nil, err
			}
			b.Write(out)
		}
	}
	return b.Bytes(), nil
}

// printText prints each frame req asks for as [Text], a blank line
// between two: text needs no layout, so it runs no Graphviz.
func printText(ctx context.Context, p Printer, res *story.Result, req Request) ([]byte, error) {
	var b bytes.Buffer
	for _, i := range req.Steps {
		for _, k := range req.Runs {
			run := &res.Runs[k]
			pic := render.Draw(&run.Steps[i-1].State, StepOptions(run, i-1, Style{Theme: req.Theme}))
			out, err := p.Print(ctx, frameOf(res, k, i-1, pic, nil))
			if err != nil {
				return nil, err
			}
			if b.Len() > 0 {
				b.WriteString("\n")
			}
			b.Write(out)
		}
	}
	return b.Bytes(), nil
}

// resolve fills in the defaults: the first run, every step.
func (req Request) resolve(res *story.Result) Request {
	if len(req.Runs) == 0 {
		req.Runs = []int{0}
	}
	if len(req.Steps) == 0 {
		for i := range res.Story.Steps {
			req.Steps = append(req.Steps, i+1)
		}
	}
	return req
}

// RunIndexes is the runs that kernels names: the first for "", every one
// for "all", else the runs of a comma-separated list of kernel names, in
// its order.
func RunIndexes(res *story.Result, kernels string) ([]int, error) {
	switch kernels {
	case "":
		return []int{0}, nil
	case "all":
		out := make([]int, len(res.Runs))
		for k := range out {
			out[k] = k
		}
		return out, nil
	}
	var out []int
	for _, name := range strings.Split(kernels, ",") {
		k, err := RunIndex(res, strings.TrimSpace(name))
		if err != nil {
			return nil, err
		}
		if slices.Contains(out, k) {
			return nil, fmt.Errorf("kernel %s is named twice", name)
		}
		out = append(out, k)
	}
	return out, nil
}

// ParseSteps reads a list of steps of a story of n steps, "2,4-6", into
// the steps it names, in its order. Its errors say how many steps the
// story has.
func ParseSteps(list string, n int) ([]int, error) {
	var out []int
	for _, item := range strings.Split(list, ",") {
		from, to, err := stepRange(strings.TrimSpace(item), n)
		if err != nil {
			return nil, fmt.Errorf("%w (the story has %d steps)", err, n)
		}
		for i := from; i <= to; i++ {
			if slices.Contains(out, i) {
				return nil, fmt.Errorf("step %d is asked for twice (the story has %d steps)", i, n)
			}
			out = append(out, i)
		}
	}
	return out, nil
}

// stepRange reads "4" or "4-6" of a story of n steps.
func stepRange(item string, n int) (from, to int, err error) {
	a, b, isRange := strings.Cut(item, "-")
	if from, err = stepNumber(a, item, n); err != nil {
		return 0, 0, err
	}
	if !isRange {
		return from, from, nil
	}
	if to, err = stepNumber(b, item, n); err != nil {
		return 0, 0, err
	}
	if to < from {
		return 0, 0, fmt.Errorf("%s runs backwards: write %d-%d", item, to, from)
	}
	return from, to, nil
}

// stepNumber reads one step number of item.
func stepNumber(s, item string, n int) (int, error) {
	i, err := strconv.Atoi(s)
	switch {
	case err != nil || strings.HasPrefix(s, "+"):
		return 0, fmt.Errorf("%q is not a step or a range of steps like 4-6", item)
	case i < 1:
		return 0, fmt.Errorf("there is no step %d: steps count from 1", i)
	case i > n:
		return 0, fmt.Errorf("step %d is past the last", i)
	}
	return i, nil
}
