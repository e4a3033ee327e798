package illustrate

import (
	"context"
	"fmt"
	"slices"

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

// Drawing is a story's runs drawn on layouts shared across steps and
// kernels: a picture per step per kernel, every object in the same place
// in all of them within a scene (see [render.Layout.SceneStarts]), a run
// of consecutive steps; a new scene lays its steps out afresh. Kernels
// that keep different kinds of object (2.6.6's PTE chains, 2.6.33's
// AVCs) each get layouts of their own instead, and so do the kernels of
// a one-step scene that would cost too much side by side.
type Drawing struct {
	res    *story.Result
	pics   [][]*render.Picture // [run][step]
	places [][]*placing        // [run][step]: its scene's layout, shared by runs that keep the same objects
	scenes [][][]render.Piece  // [run][step]: each picture's pieces
	style  Style
	styles [2]string // render.Style(false) and (true), for every frame
}

// placing is a layout and Graphviz's drawing of every look on it.
type placing struct {
	lay    *render.Layout
	pieces *figure.Pieces
	scenes [][]render.Piece // each picture's pieces, in the order the layout was given them
}

// maxScenePrice bounds the price of stable places, in area, that a
// scene may cost a frame, as [render.Layout.SceneStarts] estimates it
// before any layout: the first cut, which the measure on each scene's
// layout then refines (see cutAt). Lower, it cuts more scenes than the
// measure needs; higher, the measure throws more layouts away.
const maxScenePrice = 2.0

// Draw draws every step of every run of a story and lays them out, so
// that each object keeps its place from step to step within a scene
// and in every kernel's column. Runs whose pictures draw different
// columns (see [render.Picture.Columns]) are laid out apart: sharing
// places with objects another kernel does not have would only spread
// each apart.
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
	d.places, d.scenes = make([][]*placing, len(res.Runs)), make([][][]render.Piece, len(res.Runs))
	for k := range res.Runs {
		if d.places[k] != nil {
			continue
		}
		var runs []int
		for j := k; j < len(res.Runs); j++ {
			if cols[j] == cols[k] {
				runs = append(runs, j)
			}
		}
		if err := d.placeRuns(ctx, g, runs); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// placeRuns lays out runs that share layouts: measures their nodes once,
// cuts their steps into scenes, and lays each scene out. A scene in
// which the frames, measured on its layout, cost too much (see cutAt)
// is cut again; a scene of one step whose kernels cost too much side by
// side lays each kernel's frame out alone.
func (d *Drawing) placeRuns(ctx context.Context, g Graphviz, runs []int) error {
	var pics []*render.Picture
	for _, k := range runs {
		pics = append(pics, d.pics[k]...)
	}
	all, err := measure(ctx, g, pics)
	if err != nil {
		return err
	}
	steps := len(d.pics[runs[0]])
	starts := append(all.SceneStarts(steps, maxScenePrice), steps)
	var scenes [][2]int
	for s := range len(starts) - 1 {
		scenes = append(scenes, [2]int{starts[s], starts[s+1]})
	}
	for _, k := range runs {
		d.places[k], d.scenes[k] = make([]*placing, steps), make([][]render.Piece, steps)
	}
	for len(scenes) > 0 {
		rest, err := d.settle(ctx, g, all, runs, scenes[0])
		if err != nil {
			return err
		}
		scenes = append(rest, scenes[1:]...)
	}
	return nil
}

// settle lays scene sc out and places its steps, if their frames cost
// little enough on it, and returns the scenes left to lay out: when the
// frames cost too much it cuts the scene (see cutAt), places the steps
// before the cut on the layout if they alone cost little enough, and
// leaves the rest. A scene of one step whose kernels cost too much side
// by side lays each kernel's frame out alone.
func (d *Drawing) settle(ctx context.Context, g Graphviz, all *render.Layout, runs []int, sc [2]int) ([][2]int, error) {
	lay, err := d.layOutScene(ctx, g, all, runs, sc)
	if err != nil {
		return nil, err
	}
	prices := lay.Prices()
	if cut, ok := cutAt(prices, sc); ok {
		if !cheap(prices, sc, cut) {
			return [][2]int{{sc[0], cut}, {cut, sc[1]}}, nil
		}
		return [][2]int{{cut, sc[1]}}, d.placeScene(ctx, g, all, runs, [2]int{sc[0], cut}, lay, sc)
	}
	if len(runs) > 1 && sc[1]-sc[0] == 1 && slices.Max(prices) > maxPrice {
		for _, k := range runs {
			if err := d.placeScene(ctx, g, all, []int{k}, sc, nil, sc); err != nil {
				return nil, err
			}
		}
		return nil, nil
	}
	return nil, d.placeScene(ctx, g, all, runs, sc, lay, sc)
}

// cheap reports whether the frames of the steps of scene sc before cut,
// whose frames, run by run, cost prices, cost no more than maxPrice
// each and maxMeanPrice on average.
func cheap(prices []float64, sc [2]int, cut int) bool {
	n, sum, count := sc[1]-sc[0], 0.0, 0
	for i, p := range prices {
		if sc[0]+i%n >= cut {
			continue
		}
		if p > maxPrice {
			return false
		}
		sum, count = sum+p, count+1
	}
	return count > 0 && sum <= maxMeanPrice*float64(count)
}

// placeScene draws the pieces of steps [sc[0], sc[1]) of runs on lay,
// laid out for steps span of runs, or if nil on a layout of their own,
// and places those steps on it.
func (d *Drawing) placeScene(ctx context.Context, g Graphviz, all *render.Layout, runs []int, sc [2]int, lay *render.Layout, span [2]int) error {
	if lay == nil {
		var err error
		if lay, err = d.layOutScene(ctx, g, all, runs, sc); err != nil {
			return err
		}
	}
	pl, err := drawPieces(ctx, g, lay)
	if err != nil {
		return err
	}
	n := span[1] - span[0]
	for r, k := range runs {
		for i := sc[0]; i < sc[1]; i++ {
			d.places[k][i], d.scenes[k][i] = pl, pl.scenes[r*n+i-span[0]]
		}
	}
	return nil
}

// maxPrice and maxMeanPrice bound the price of stable places, in area,
// that a frame may cost, and a scene's frames on average, as
// [render.Layout.Prices] measures it on their scene's layout. Issue 17
// allows 2 and 1.5 against dot's own layout of each frame. Over the
// shipped stories the measure runs from 0.64 to 1.10 times that (its
// estimate of a frame alone is never much over dot's), hence the margin
// under 2; on average it runs a little over it. Every cut costs a
// Graphviz layout and a drawing of pieces: the bounds are no stricter
// than that.
const (
	maxPrice     = 1.8
	maxMeanPrice = 1.5
)

// cutAt returns where to cut scene sc, steps [sc[0], sc[1]), whose
// frames, run by run, cost prices: at its costliest frame, if that
// costs more than maxPrice or the frames more than maxMeanPrice on
// average; after it, if it is the scene's first.
func cutAt(prices []float64, sc [2]int) (int, bool) {
	n := sc[1] - sc[0]
	if n < 2 || len(prices) == 0 {
		return 0, false
	}
	worst, sum := 0, 0.0
	for i, p := range prices {
		sum += p
		if p > prices[worst] {
			worst = i
		}
	}
	if prices[worst] <= maxPrice && sum <= maxMeanPrice*float64(len(prices)) {
		return 0, false
	}
	return sc[0] + max(worst%n, 1), true
}

// layOutScene lays out steps [sc[0], sc[1]) of runs, with the sizes
// measured for all, the layout of all their steps under all the runs
// that share layouts with them: all itself when they are all its
// pictures.
func (d *Drawing) layOutScene(ctx context.Context, g Graphviz, all *render.Layout, runs []int, sc [2]int) (*render.Layout, error) {
	var scene []*render.Picture
	for _, k := range runs {
		scene = append(scene, d.pics[k][sc[0]:sc[1]]...)
	}
	lay := all
	if len(scene) < all.Pictures() {
		lay = render.NewLayout(scene)
		if err := lay.SizesFrom(all); err != nil {
			return nil, err
		}
	}
	pos, err := g.Render(ctx, lay.DOT(), gv.DOT, gv.JSON)
	if err != nil {
		return nil, fmt.Errorf("laying the diagrams out: %w", err)
	}
	return lay, lay.SetPositions(pos)
}

// drawPieces has every look on a laid-out layout drawn: by Graphviz,
// but those avdoc draws itself; when it draws them all, by avdoc alone.
func drawPieces(ctx context.Context, g Graphviz, lay *render.Layout) (*placing, error) {
	pcs := lay.PiecesScenes()
	pieces, err := piecesOf(ctx, g, pcs)
	if err != nil {
		return nil, err
	}
	if err := addDrawn(pieces, pcs); err != nil {
		return nil, err
	}
	if err := pieces.Derive(derivedPieces(pcs.Derived)); err != nil {
		return nil, err
	}
	return &placing{lay: lay, pieces: pieces, scenes: pcs.Scenes}, nil
}

// piecesOf is Graphviz's nop2 drawing of the pieces graph, or,
// when Graphviz would draw nothing of it but its background, that
// drawing without Graphviz.
func piecesOf(ctx context.Context, g Graphviz, pcs render.Pieces) (*figure.Pieces, error) {
	if pcs.Blank {
		return figure.BlankPieces(pcs.Size[0], pcs.Size[1], pcs.Background)
	}
	ops, err := g.Render(ctx, pcs.DOT, gv.NOP2, gv.SVG)
	if err != nil {
		return nil, fmt.Errorf("drawing the diagrams' pieces: %w", err)
	}
	return figure.ParseSVG(ops)
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

// measure starts a layout of the pictures and measures every look of
// every node: avdoc the looks it knows (see lookSizes), Graphviz the
// others, if any are left.
func measure(ctx context.Context, g Graphviz, pics []*render.Picture) (*render.Layout, error) {
	l := render.NewLayout(pics)
	measured := lookSizes(l.Looks())
	var plain []byte
	if dot := l.SizingDOTWithout(measured); dot != nil {
		var err error
		if plain, err = g.Render(ctx, dot, gv.NOP, gv.Plain); err != nil {
			return nil, fmt.Errorf("measuring the diagram's nodes: %w", err)
		}
	}
	return l, l.SetMeasuredSizes(measured, plain)
}

// NewScene reports whether step i (0-based) of run k starts a new scene:
// its objects are laid out afresh, not where the step before had them.
func (d *Drawing) NewScene(k, i int) bool {
	return i > 0 && d.places[k][i] != d.places[k][i-1]
}

// Frame is step i (0-based) of run k, placed, ready to print.
func (d *Drawing) Frame(k, i int) Frame {
	pl := d.places[k][i]
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
