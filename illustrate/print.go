package illustrate

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/avdoc/avdoc/figure"
	"github.com/avdoc/avdoc/render"
)

// Frame is one step of a story under one kernel, drawn and placed on the
// story's layout: the figure a [Printer] prints.
type Frame struct {
	Title   string // "Fork: step 2 of 3, kernel 2.6.34"
	Kernel  string
	Step    int      // 1-based
	Events  []string // the step's events as the story wrote them
	Picture *render.Picture
	Layout  *render.Layout
	Pieces  *figure.Pieces // what Graphviz drew of the layout, piece by piece

	scene  []render.Piece // the picture's pieces, listed when the layout's were; nil: list them
	styles *[2]string     // render.Style(false) and (true), made once for all frames; nil: make them
}

// Drawing is the frame composed from the story's pieces: every cluster,
// node and edge of its picture, as Graphviz draws them, titled in words.
func (f Frame) Drawing() *figure.Drawing {
	titles := f.Picture.Titles()
	scene := f.scene
	if scene == nil {
		scene = f.Layout.Scene(f.Picture)
	}
	d := &figure.Drawing{BB: f.Pieces.BB, Pad: 4, Groups: make([]figure.Group, len(scene))}
	for i, pc := range scene {
		t, ok := titles[pc.ID]
		if !ok {
			t = pc.Title
		}
		d.Groups[i] = figure.Group{Kind: pc.Kind, ID: pc.ID, Class: pc.Class, Title: t, Shapes: f.Pieces.Shapes[pc.Name]}
	}
	return d
}

// Figure is the frame alone on its page, titled and described, with the
// CSS of render.Style for an SVG, cropped to what it shows: the story's
// layout keeps room for every object of every step, which one frame
// need not show. Its objects keep their places on the layout.
func (f Frame) Figure(adaptive bool) *figure.Figure {
	fig := f.wholeFigure(adaptive)
	if story, ok := f.Pieces.Bounds(); ok {
		fig.Panels[0].Drawing.CropFrom(story)
	}
	return fig
}

// wholeFigure is the frame alone on its page as large as the whole
// layout, as Graphviz draws its placed DOT.
func (f Frame) wholeFigure(adaptive bool) *figure.Figure {
	return &figure.Figure{Title: f.Title, Desc: f.Picture.Describe(), Style: f.style(adaptive),
		Panels: []figure.Panel{{Drawing: f.Drawing()}}}
}

// style is render.Style(adaptive), made once for a drawing's frames.
func (f Frame) style(adaptive bool) string {
	switch {
	case f.styles == nil:
		return render.Style(adaptive)
	case adaptive:
		return f.styles[1]
	}
	return f.styles[0]
}

// PlacedDOT is the frame as DOT with every node at its place on the layout.
func (f Frame) PlacedDOT() []byte { return f.Layout.Place(f.Picture) }

// FigurePrinter is a [Printer] that also prints composed figures: several
// frames on one page, a legend alone (see [Figure]).
type FigurePrinter interface {
	Printer
	PrintFigure(f *figure.Figure) ([]byte, error)
}

// Printer prints a frame in one format. The site prints its frames with
// [SVG]; `avdoc render` chooses one by its --format.
type Printer interface {
	Print(ctx context.Context, f Frame) ([]byte, error)
}

// SVG prints a frame as a standalone SVG document with its title,
// description, a title per object and its styles.
type SVG struct {
	// Adaptive switches the colours to dark by CSS when the reader prefers
	// them (the site does).
	Adaptive bool
}

// Print draws f as an SVG document.
func (p SVG) Print(_ context.Context, f Frame) ([]byte, error) {
	return f.Figure(p.Adaptive).SVG(), nil
}

// PrintFigure prints a composed figure as an SVG document.
func (SVG) PrintFigure(f *figure.Figure) ([]byte, error) { return f.SVG(), nil }

// withoutCSS gives a frame's groups the looks the style sheet of
// render.Style gives them by class (its constants), for printers without CSS: a removed
// object fades, an added or changed node's outline thickens, a stack's
// outlines are firmer.
func withoutCSS(d *figure.Drawing) *figure.Drawing {
	d = &figure.Drawing{BB: d.BB, Pad: d.Pad, Groups: slices.Clone(d.Groups)}
	for i := range d.Groups {
		g := &d.Groups[i]
		cls := " " + g.Class + " "
		if strings.Contains(cls, " removed ") {
			g.Opacity = render.RemovedOpacity
		}
		added := g.Kind == "node" && (strings.Contains(cls, " added ") || strings.Contains(cls, " changed "))
		stack := g.Kind == "node" && strings.Contains(cls, " stack ")
		if !added && !stack {
			continue
		}
		g.Shapes = slices.Clone(g.Shapes)
		for j := range g.Shapes {
			s := &g.Shapes[j]
			switch {
			case s.Op != figure.Polygon:
			case added && !s.Filled:
				s.Pen.Width = render.ChangedOutline
			case stack:
				s.Pen.Width = render.StackOutline
			}
		}
	}
	return d
}

// PDF prints a frame, or a composed figure, as a one-page vector PDF.
type PDF struct {
	Fonts *figure.Fonts // nil loads them for each figure
}

// Print draws f as a PDF.
func (p PDF) Print(_ context.Context, f Frame) ([]byte, error) { return p.PrintFigure(f.Figure(false)) }

// PrintFigure prints a composed figure as a PDF.
func (p PDF) PrintFigure(f *figure.Figure) ([]byte, error) {
	fonts, err := loaded(p.Fonts)
	if err != nil {
		return nil, err
	}
	return printable(f).PDF(fonts)
}

// loaded returns fonts, or loads them when nil.
func loaded(fonts *figure.Fonts) (*figure.Fonts, error) {
	if fonts != nil {
		return fonts, nil
	}
	return figure.LoadFonts()
}

// DefaultScale is a PNG's pixels per point unless told otherwise: crisp
// on high-density screens, and on paper at 144 dpi.
const DefaultScale = 2

// printable is f with the looks of its style sheet given to its shapes.
func printable(f *figure.Figure) *figure.Figure {
	out := *f
	out.Panels = slices.Clone(f.Panels)
	for i := range out.Panels {
		out.Panels[i].Drawing = withoutCSS(out.Panels[i].Drawing)
	}
	return &out
}

// PNG prints a frame, or a composed figure, as a PNG image.
type PNG struct {
	Fonts *figure.Fonts // nil loads them for each figure
	Scale float64       // pixels per point; 0 is DefaultScale
}

// Print draws f as a PNG.
func (p PNG) Print(_ context.Context, f Frame) ([]byte, error) { return p.PrintFigure(f.Figure(false)) }

// PrintFigure prints a composed figure as a PNG.
func (p PNG) PrintFigure(f *figure.Figure) ([]byte, error) {
	fonts, err := loaded(p.Fonts)
	if err != nil {
		return nil, err
	}
	return printable(f).PNG(fonts, cmp.Or(p.Scale, DefaultScale))
}

// DOT prints a frame as DOT with its positions (`neato -n2` draws it as
// laid out), for those who restyle it.
type DOT struct{}

// Print writes f as placed DOT.
func (DOT) Print(_ context.Context, f Frame) ([]byte, error) { return f.PlacedDOT(), nil }

// Text prints a frame as plain text for a mail, at most 72 columns wide
// (see [render.Picture.Text]). It needs no layout: [Figure] draws no
// Graphviz for it.
type Text struct{}

// Print writes f as text.
func (Text) Print(_ context.Context, f Frame) ([]byte, error) {
	return f.Picture.Text(f.Title, f.Events), nil
}

// Format is a way to print a frame, by the name `avdoc render --format`
// takes.
type Format struct {
	Name    string
	Printer func(g Graphviz) Printer
}

// Formats are the formats a frame can be printed in, the default first.
// A new format is a new [Printer] added here; the CLI needs no change.
func Formats() []Format {
	return []Format{
		{"svg", func(Graphviz) Printer { return SVG{} }},
		{"pdf", func(Graphviz) Printer { return PDF{} }},
		{"png", func(Graphviz) Printer { return PNG{} }},
		{"dot", func(Graphviz) Printer { return DOT{} }},
		{"text", func(Graphviz) Printer { return Text{} }},
	}
}

// FormatNamed returns the format called name, if there is one.
func FormatNamed(name string) (Format, bool) {
	for _, f := range Formats() {
		if f.Name == name {
			return f, true
		}
	}
	return Format{}, false
}

// FormatNames lists the formats' names for a message: "svg or dot".
func FormatNames() string {
	var names []string
	for _, f := range Formats() {
		names = append(names, f.Name)
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}
