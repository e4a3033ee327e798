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
// step, as one film strip when p is [SVG], else each printed in turn.
func Figure(ctx context.Context, g Graphviz, res *story.Result, k, step int, theme render.Theme, p Printer) ([]byte, error) {
	d, err := Draw(ctx, g, res, Style{Theme: theme, Prefixed: step == 0})
	if err != nil {
		return nil, err
	}
	if svg, ok := p.(SVG); ok && step == 0 {
		return d.Strip(k, svg.Adaptive), nil
	}
	frames := d.Frames(k)
	if step > 0 {
		frames = frames[step-1 : step]
	}
	var b bytes.Buffer
	for _, f := range frames {
		out, err := p.Print(ctx, f)
		if err != nil {
			return nil, err
		}
		b.Write(out)
	}
	return b.Bytes(), nil
}
