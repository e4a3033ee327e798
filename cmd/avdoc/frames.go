package main

import (
	"context"
	"fmt"

	"github.com/avdoc/avdoc/internal/stepopts"
	"github.com/avdoc/avdoc/render"
	"github.com/avdoc/avdoc/render/gv"
	"github.com/avdoc/avdoc/story"
)

// drawStyle is how a story's frames are drawn.
type drawStyle struct {
	theme    render.Theme
	adaptive bool // switch to dark colours by CSS when the reader prefers them (the site)
	prefixed bool // prefix ids with the step, "s2-", to put all steps in one document
}

// renderer lays DOT out and draws it with Graphviz: a [gv.Renderer] in
// this process, or a pool of worker processes that render in parallel.
type renderer interface {
	Render(ctx context.Context, dot []byte, e gv.Engine, f gv.Format) ([]byte, error)
}

// storyDrawing is a story drawn on one layout: a picture per step per run.
type storyDrawing struct {
	res  *story.Result
	pics [][]*render.Picture // [run][step]
	lay  *render.Layout
}

// drawStory draws every step of every run of a story and lays them all
// out at once, so that each object keeps its place in every step and in
// every kernel's column.
func drawStory(ctx context.Context, rd renderer, res *story.Result, lk drawStyle) (*storyDrawing, error) {
	d := &storyDrawing{res: res, pics: make([][]*render.Picture, len(res.Runs))}
	var all []*render.Picture
	for k := range res.Runs {
		run := &res.Runs[k]
		for i := range run.Steps {
			p := render.Draw(&run.Steps[i].State, frameOptions(run, i, lk))
			d.pics[k] = append(d.pics[k], p)
			all = append(all, p)
		}
	}
	lay, err := layOut(ctx, rd, all)
	if err != nil {
		return nil, err
	}
	d.lay = lay
	return d, nil
}

// frameOptions are the render options of step i of a run: the step's
// display options, its first walk, and the state before it, for the
// change marks.
func frameOptions(run *story.Run, i int, lk drawStyle) render.Options {
	opt := stepopts.For(run, i)
	opt.Theme = lk.theme
	if lk.prefixed {
		opt.ID = fmt.Sprintf("s%d-", i+1)
	}
	return opt
}

// layOut runs Graphviz's two passes of a story-wide layout: measure every
// look of every node, then lay the union of the pictures out with dot.
func layOut(ctx context.Context, rd renderer, pics []*render.Picture) (*render.Layout, error) {
	l := render.NewLayout(pics)
	sizes, err := rd.Render(ctx, l.SizingDOT(), gv.NOP, gv.JSON)
	if err != nil {
		return nil, fmt.Errorf("measuring the diagram's nodes: %w", err)
	}
	if err := l.SetSizes(sizes); err != nil {
		return nil, err
	}
	pos, err := rd.Render(ctx, l.DOT(), gv.DOT, gv.JSON)
	if err != nil {
		return nil, fmt.Errorf("laying the diagrams out: %w", err)
	}
	return l, l.SetPositions(pos)
}

// rawSVG draws step i of run k where the layout put everything, as
// Graphviz writes it.
func (d *storyDrawing) rawSVG(ctx context.Context, rd renderer, k, i int) ([]byte, error) {
	return rd.Render(ctx, d.lay.Place(d.pics[k][i]), gv.NOP2, gv.SVG)
}

// svg draws step i of run k as a finished SVG document.
func (d *storyDrawing) svg(ctx context.Context, rd renderer, k, i int, lk drawStyle) ([]byte, error) {
	raw, err := d.rawSVG(ctx, rd, k, i)
	if err != nil {
		return nil, err
	}
	p := d.pics[k][i]
	return render.FinishSVG(raw, render.SVGInfo{Title: d.frameTitle(k, i), Desc: p.Describe(),
		Titles: p.Titles(), Adaptive: lk.adaptive})
}

// frameTitle names a frame: "Fork: step 2 of 3, kernel 2.6.34".
func (d *storyDrawing) frameTitle(k, i int) string {
	run := &d.res.Runs[k]
	return fmt.Sprintf("%s: step %d of %d, kernel %s", d.res.Story.Title, i+1, len(run.Steps), run.Kernel.Model.Name)
}

// strip draws every step of run k side by side in one SVG document. The
// story must have been drawn with prefixed ids.
func (d *storyDrawing) strip(ctx context.Context, rd renderer, k int, lk drawStyle) ([]byte, error) {
	var frames [][]byte
	var captions []string
	info := render.SVGInfo{Title: d.res.Story.Title + ", kernel " + d.res.Runs[k].Kernel.Model.Name,
		Titles: map[string]string{}, Adaptive: lk.adaptive}
	for i, p := range d.pics[k] {
		raw, err := d.rawSVG(ctx, rd, k, i)
		if err != nil {
			return nil, err
		}
		frames = append(frames, raw)
		captions = append(captions, stepCaption(&d.res.Story.Steps[i], i))
		info.Desc += fmt.Sprintf("Step %d: %s ", i+1, p.Describe())
		for id, t := range p.Titles() {
			info.Titles[id] = t
		}
	}
	return render.Strip(frames, captions, info, lk.theme)
}

// stepCaption is "Step 2: fork P C", or "Step 2" for a step that only
// narrates.
func stepCaption(st *story.Step, i int) string {
	s := fmt.Sprintf("Step %d", i+1)
	for j, e := range eventTexts(st) {
		sep := ", "
		if j == 0 {
			sep = ": "
		}
		s += sep + e
	}
	return s
}
