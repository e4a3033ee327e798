package illustrate

import (
	"context"
	"fmt"

	"github.com/avdoc/avdoc/figure"
	"github.com/avdoc/avdoc/internal/stepopts"
	"github.com/avdoc/avdoc/render"
	"github.com/avdoc/avdoc/render/gv"
	"github.com/avdoc/avdoc/story"
)

// Graphviz lays DOT out and draws it: a [gv.Renderer] in this process, a
// pool of worker processes, or either behind a cache. It is the only way
// this package reaches Graphviz.
type Graphviz interface {
	Render(ctx context.Context, dot []byte, e gv.Engine, f gv.Format) ([]byte, error)
}

// Style is how a story's frames are drawn.
type Style struct {
	Theme render.Theme
	// Prefixed prefixes every id with its step, "s2-", to put all steps
	// in one document (a film strip).
	Prefixed bool
	// NoLegend draws no legend: the page around the figure explains its
	// colours (see [render.Picture.Key]).
	NoLegend bool
}

// Drawing is a story's runs drawn on one layout: a picture per step per
// kernel, every object in the same place in all of them. Kernels that
// keep different kinds of object (2.6.6's PTE chains, 2.6.33's AVCs)
// each get a layout of their own instead.
type Drawing struct {
	res    *story.Result
	pics   [][]*render.Picture // [run][step]
	places []*placing          // [run]: its layout, shared by runs that keep the same objects
	scenes [][][]render.Piece  // [run][step]: each picture's pieces
	style  Style
	styles [2]string // render.Style(false) and (true), for every frame
}

// placing is a layout and Graphviz's drawing of every look on it.
type placing struct {
	lay    *render.Layout
	pieces *figure.Pieces
	scenes [][]render.Piece // each picture's pieces, in the order place was given them
}

// Draw draws every step of every run of a story and lays them all out at
// once, so that each object keeps its place in every step and in every
// kernel's column. Runs whose pictures draw different columns (see
// [render.Picture.Columns]) are laid out apart: sharing places with
// objects another kernel does not have would only spread each apart.
func Draw(ctx context.Context, g Graphviz, res *story.Result, st Style) (*Drawing, error) {
	d := &Drawing{res: res, pics: make([][]*render.Picture, len(res.Runs)), style: st,
		styles: [2]string{render.Style(false), render.Style(true)}}
	cols := make([]uint, len(res.Runs))
	for k := range res.Runs {
		run := &res.Runs[k]
		for i := range run.Steps {
			p := render.Draw(&run.Steps[i].State, StepOptions(run, i, st))
			d.pics[k] = append(d.pics[k], p)
			cols[k] |= p.Columns()
		}
	}
	d.places, d.scenes = make([]*placing, len(res.Runs)), make([][][]render.Piece, len(res.Runs))
	for k := range res.Runs {
		if d.places[k] != nil {
			continue
		}
		var pics []*render.Picture
		for j := k; j < len(res.Runs); j++ {
			if cols[j] == cols[k] {
				pics = append(pics, d.pics[j]...)
			}
		}
		pl, err := place(ctx, g, pics)
		if err != nil {
			return nil, err
		}
		scenes := pl.scenes
		for j := k; j < len(res.Runs); j++ {
			if cols[j] == cols[k] {
				d.places[j], d.scenes[j] = pl, scenes[:len(d.pics[j])]
				scenes = scenes[len(d.pics[j]):]
			}
		}
	}
	return d, nil
}

// place lays the pictures out on one layout and has Graphviz draw every
// look on it.
func place(ctx context.Context, g Graphviz, pics []*render.Picture) (*placing, error) {
	lay, err := layOut(ctx, g, pics)
	if err != nil {
		return nil, err
	}
	dot, scenes, derived := lay.PiecesScenes()
	ops, err := g.Render(ctx, dot, gv.NOP2, gv.SVG)
	if err != nil {
		return nil, fmt.Errorf("drawing the diagrams' pieces: %w", err)
	}
	pieces, err := figure.ParseSVG(ops)
	if err != nil {
		return nil, err
	}
	if err := pieces.Derive(derivedPieces(derived)); err != nil {
		return nil, err
	}
	return &placing{lay: lay, pieces: pieces, scenes: scenes}, nil
}

// derivedPieces is render's pieces drawn from others, for figure.
func derivedPieces(ds []render.Derived) []figure.Derived {
	out := make([]figure.Derived, len(ds))
	for i, d := range ds {
		out[i] = figure.Derived{Name: d.Name, Base: d.Base, Colours: d.Colours, Widths: d.Widths}
	}
	return out
}

// StepOptions are the render options of step i of a run: the step's
// display options, its first walk, and the state before it, for the
// change marks.
func StepOptions(run *story.Run, i int, st Style) render.Options {
	opt := stepopts.For(run, i)
	opt.Theme = st.Theme
	opt.HideLegend = st.NoLegend
	if st.Prefixed {
		opt.ID = fmt.Sprintf("s%d-", i+1)
	}
	return opt
}

// StepDOT is step i (0-based) of run r drawn as the site draws it, before
// layout: what `avdoc check --golden` pins.
func StepDOT(r *story.Run, i int) []byte {
	return render.DOT(&r.Steps[i].State, StepOptions(r, i, SiteStyle()))
}

// layOut runs Graphviz's two passes of a story-wide layout: measure every
// look of every node, then lay the union of the pictures out with dot.
func layOut(ctx context.Context, g Graphviz, pics []*render.Picture) (*render.Layout, error) {
	l := render.NewLayout(pics)
	sizes, err := g.Render(ctx, l.SizingDOT(), gv.NOP, gv.Plain)
	if err != nil {
		return nil, fmt.Errorf("measuring the diagram's nodes: %w", err)
	}
	if err := l.SetSizes(sizes); err != nil {
		return nil, err
	}
	pos, err := g.Render(ctx, l.DOT(), gv.DOT, gv.JSON)
	if err != nil {
		return nil, fmt.Errorf("laying the diagrams out: %w", err)
	}
	return l, l.SetPositions(pos)
}

// Frame is step i (0-based) of run k, placed, ready to print.
func (d *Drawing) Frame(k, i int) Frame {
	pl := d.places[k]
	f := frameOf(d.res, k, i, d.pics[k][i], pl.lay)
	f.Pieces, f.scene, f.styles = pl.pieces, d.scenes[k][i], &d.styles
	return f
}

// frameOf is step i (0-based) of run k drawn as pic, on lay.
func frameOf(res *story.Result, k, i int, pic *render.Picture, lay *render.Layout) Frame {
	run := &res.Runs[k]
	return Frame{
		Title:   fmt.Sprintf("%s: step %d of %d, kernel %s", res.Story.Title, i+1, len(run.Steps), run.Kernel.Label()),
		Kernel:  run.Kernel.Model.Name,
		Step:    i + 1,
		Events:  EventTexts(&res.Story.Steps[i]),
		Picture: pic,
		Layout:  lay,
	}
}

// Frames is every step of run k, placed, in order.
func (d *Drawing) Frames(k int) []Frame {
	out := make([]Frame, len(d.pics[k]))
	for i := range out {
		out[i] = d.Frame(k, i)
	}
	return out
}

// stepCaption is "Step 2: fork P C", or "Step 2" for a step that only
// narrates.
func stepCaption(st *story.Step, i int) string {
	s := fmt.Sprintf("Step %d", i+1)
	for j, e := range EventTexts(st) {
		sep := ", "
		if j == 0 {
			sep = ": "
		}
		s += sep + e
	}
	return s
}

// EventTexts is a step's events as the story wrote them, a name range
// once.
func EventTexts(st *story.Step) []string {
	var out []string
	for _, ev := range st.Events {
		if len(out) == 0 || out[len(out)-1] != ev.Text { // a name range is one text
			out = append(out, ev.Text)
		}
	}
	return out
}
