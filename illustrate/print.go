package illustrate

import (
	"context"
	"strings"

	"github.com/avdoc/avdoc/render"
	"github.com/avdoc/avdoc/render/gv"
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
}

// PlacedDOT is the frame as DOT with every node at its place on the layout.
func (f Frame) PlacedDOT() []byte { return f.Layout.Place(f.Picture) }

// Printer prints a frame in one format. The site prints its frames with
// [SVG]; `avdoc render` chooses one by its --format.
type Printer interface {
	Print(ctx context.Context, f Frame) ([]byte, error)
}

// SVG prints a frame as a standalone SVG document: Graphviz draws it at
// its place, and [render.FinishSVG] gives it its title, description,
// titles per object and styles.
type SVG struct {
	Graphviz Graphviz
	// Adaptive switches the colours to dark by CSS when the reader prefers
	// them (the site does).
	Adaptive bool
}

// Print draws f as an SVG document.
func (p SVG) Print(ctx context.Context, f Frame) ([]byte, error) {
	raw, err := p.Graphviz.Render(ctx, f.PlacedDOT(), gv.NOP2, gv.SVG)
	if err != nil {
		return nil, err
	}
	return render.FinishSVG(raw, render.SVGInfo{Title: f.Title, Desc: f.Picture.Describe(),
		Titles: f.Picture.Titles(), Adaptive: p.Adaptive})
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
		{"svg", func(g Graphviz) Printer { return SVG{Graphviz: g} }},
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
