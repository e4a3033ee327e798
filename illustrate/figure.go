package illustrate

import (
	"bytes"
	"context"
	"fmt"
	"slices"
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

// Figure draws run k of a story for an article, on the same layout as
// the site, in theme: step (1-based) printed by p; or, with step 0, every
// step, as one film strip when p is [SVG], else each printed in turn
// (as [Text], separated by a blank line). [Text] needs no layout, so for
// it Figure runs no Graphviz.
func Figure(ctx context.Context, g Graphviz, res *story.Result, k, step int, theme render.Theme, p Printer) ([]byte, error) {
	if _, ok := p.(Text); ok {
		return printEach(ctx, p, pick(unplacedFrames(res, k, theme), step), "\n")
	}
	d, err := Draw(ctx, g, res, Style{Theme: theme, Prefixed: step == 0})
	if err != nil {
		return nil, err
	}
	if svg, ok := p.(SVG); ok && step == 0 {
		return d.Strip(ctx, g, k, svg.Adaptive)
	}
	return printEach(ctx, p, pick(d.Frames(k), step), "")
}

// pick is the frame of step (1-based), or every frame for step 0.
func pick(frames []Frame, step int) []Frame {
	if step > 0 {
		return frames[step-1 : step]
	}
	return frames
}

// printEach prints the frames in turn, sep between two.
func printEach(ctx context.Context, p Printer, frames []Frame, sep string) ([]byte, error) {
	var b bytes.Buffer
	for i, f := range frames {
		out, err := p.Print(ctx, f)
		if err != nil {
			return nil, err
		}
		if i > 0 {
			b.WriteString(sep)
		}
		b.Write(out)
	}
	return b.Bytes(), nil
}

// unplacedFrames are the frames of run k drawn as the site draws them
// but laid out by nobody, with no [Frame.Layout]: for printers that need
// no positions.
func unplacedFrames(res *story.Result, k int, theme render.Theme) []Frame {
	run := &res.Runs[k]
	out := make([]Frame, len(run.Steps))
	for i := range out {
		out[i] = frameOf(res, k, i, render.Draw(&run.Steps[i].State, StepOptions(run, i, Style{Theme: theme})), nil)
	}
	return out
}
