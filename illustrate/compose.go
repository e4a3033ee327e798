package illustrate

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/avdoc/avdoc/figure"
	"github.com/avdoc/avdoc/render"
	"github.com/avdoc/avdoc/render/gv"
)

// Legend is where a composed figure explains its colours.
type Legend int

// The places of a legend.
const (
	// LegendBelow draws the frames without their legends and one legend
	// under the whole figure: the entries of every frame shown, each once.
	LegendBelow Legend = iota
	// LegendNone draws no legend: the text around the figure explains it.
	LegendNone
	// LegendOnly draws the legend alone: a key drawn once for a document
	// of several figures.
	LegendOnly
)

// legendNames names the legends, by the name `avdoc render --legend`
// takes, the default first.
var legendNames = [...]string{LegendBelow: "below", LegendNone: "none", LegendOnly: "only"}

// LegendNamed returns the legend called name, if there is one.
func LegendNamed(name string) (Legend, bool) {
	for l, n := range legendNames {
		if n == name {
			return Legend(l), true
		}
	}
	return 0, false
}

// LegendNames lists the legends' names for a message: "below, none or
// only".
func LegendNames() string { return orList(legendNames[:]) }

// FigureFormatNames lists the formats whose printers compose figures
// (see [FigurePrinter]): "svg, pdf or png".
func FigureFormatNames() string {
	var names []string
	for _, f := range Formats() {
		if _, ok := f.Printer(nil).(FigurePrinter); ok {
			names = append(names, f.Name)
		}
	}
	return orList(names)
}

// orList is "a, b or c".
func orList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// Compose is what req asks of the story as one figure: one frame alone,
// or, under their captions, a row per step with a column per kernel (a
// film strip of one kernel wraps at req.Columns), each cropped to what
// the frames show, with the legend req asks for. The story must have
// been drawn without legends, and with [Style.Prefixed] for several
// frames.
func (d *Drawing) Compose(ctx context.Context, g Graphviz, req Request) (*figure.Figure, error) {
	req = req.resolve(d.res)
	var frames []Frame
	for _, i := range req.Steps {
		for _, k := range req.Runs {
			frames = append(frames, d.Frame(k, i-1))
		}
	}
	key, err := d.legend(ctx, g, frames, req.Legend)
	if err != nil {
		return nil, err
	}
	if req.Legend == LegendOnly {
		return d.legendFigure(frames, key), nil
	}
	fig := d.sheet(frames, req)
	if key != nil {
		bg, fg := render.PageColours(d.style.Theme)
		fig.Background, fig.Foreground = bg, fg
		fig.Below(key)
	}
	return fig, nil
}

// sheet is the frames on one page, cropped together to what they show:
// one frame alone, else a row per step of a column per kernel.
func (d *Drawing) sheet(frames []Frame, req Request) *figure.Figure {
	kernels := len(req.Runs)
	ds := make([]*figure.Drawing, len(frames))
	captions := make([]string, len(frames))
	var desc strings.Builder
	for j, f := range frames {
		ds[j] = f.Drawing()
		label := d.res.Runs[req.Runs[j%kernels]].Kernel.Label()
		captions[j] = stepCaption(&d.res.Story.Steps[f.Step-1], f.Step-1)
		if kernels > 1 {
			// The kernel first: along a row it is what changes.
			captions[j] = label + " · " + captions[j]
			prefixIDs(ds[j], fmt.Sprintf("k%d-", j%kernels+1))
		}
		fmt.Fprintf(&desc, "Step %d, kernel %s: %s ", f.Step, label, f.Picture.Describe())
	}
	cropByLayout(frames, ds)
	if len(frames) == 1 {
		fig := frames[0].Figure(false)
		fig.Panels[0].Drawing = ds[0]
		return fig
	}
	columns := req.Columns
	if kernels > 1 {
		columns = kernels
	}
	bg, fg := render.PageColours(d.style.Theme)
	fig := figure.Sheet(ds, captions, columns, bg, fg)
	fig.Title, fig.Desc, fig.Style = d.figureTitle(req.Runs), strings.TrimSpace(desc.String()), render.Style(false)
	return fig
}

// cropByLayout crops the drawings of frames together, those on one
// layout (a scene's, a kind of kernel's) at a time: frames on one layout
// stay aligned with each other, and a frame on another, laid out apart,
// keeps no room for theirs.
func cropByLayout(frames []Frame, ds []*figure.Drawing) {
	var layouts []*render.Layout
	for _, f := range frames {
		if !slices.Contains(layouts, f.Layout) {
			layouts = append(layouts, f.Layout)
		}
	}
	for _, l := range layouts {
		var same []*figure.Drawing
		for j, f := range frames {
			if f.Layout == l {
				same = append(same, ds[j])
			}
		}
		figure.CropAll(same)
	}
}

// figureTitle is "Fork, kernel 2.6.34", or "Fork, kernels 2.6.34, 6.18".
func (d *Drawing) figureTitle(runs []int) string {
	var labels []string
	for _, k := range runs {
		labels = append(labels, d.res.Runs[k].Kernel.Label())
	}
	if len(labels) == 1 {
		return d.res.Story.Title + ", kernel " + labels[0]
	}
	return d.res.Story.Title + ", kernels " + strings.Join(labels, ", ")
}

// prefixIDs prefixes every id of a drawing, so that the same step under
// several kernels can share a document.
func prefixIDs(d *figure.Drawing, prefix string) {
	for i := range d.Groups {
		d.Groups[i].ID = prefix + d.Groups[i].ID
	}
}

// legendID prefixes the ids of a legend drawn alone.
const legendID = "key-"

// legend draws the legend of frames that mode asks for: nil for none.
// Under one frame it also says what the frame's rmap walk did.
func (d *Drawing) legend(ctx context.Context, g Graphviz, frames []Frame, mode Legend) (*figure.Drawing, error) {
	if mode == LegendNone {
		return nil, nil
	}
	key, walk := keyOf(frames), ""
	if mode == LegendBelow && len(frames) == 1 {
		walk = frames[0].Picture.WalkSummary()
	}
	if len(key) == 0 && walk == "" {
		if mode == LegendOnly {
			return nil, errors.New("the frames asked for have nothing for a legend to explain")
		}
		return nil, nil
	}
	out, err := g.Render(ctx, render.LegendDOT(key, walk, d.style.Theme, legendID), gv.DOT, gv.SVG)
	if err != nil {
		return nil, fmt.Errorf("drawing the legend: %w", err)
	}
	p, err := figure.ParseSVG(out)
	if err != nil {
		return nil, err
	}
	return &figure.Drawing{BB: p.BB, Pad: 4, Groups: []figure.Group{
		{Kind: "graph", ID: legendID + "graph", Class: "graph avdoc", Title: "legend", Shapes: p.Shapes["graph"]},
		{Kind: "node", ID: legendID + "legend", Class: "node legend", Title: "legend", Shapes: p.Shapes["legend"]},
	}}, nil
}

// keyOf is the entries of the frames' keys, each once, in order.
func keyOf(frames []Frame) []render.KeyEntry {
	var keys [][]render.KeyEntry
	for _, f := range frames {
		keys = append(keys, f.Picture.Key())
	}
	return render.UnionKey(keys...)
}

// legendFigure is the legend of frames alone on its page.
func (d *Drawing) legendFigure(frames []Frame, legend *figure.Drawing) *figure.Figure {
	var texts []string
	for _, e := range keyOf(frames) {
		texts = append(texts, e.Text)
	}
	return &figure.Figure{Title: d.res.Story.Title + ": legend", Desc: "Legend: " + strings.Join(texts, "; ") + ".",
		Style: render.Style(false), Panels: []figure.Panel{{Drawing: legend}}}
}
