// Package figure is a drawing kept as data, shapes grouped by the object
// they draw, and its printers: SVG, PDF and PNG. Graphviz computes the
// geometry once per scene (see [ParseSVG]), but for what is drawn here
// from the layout as Graphviz would draw it, number for number: the edges
// from their routes ([EdgeShapes]), the clusters ([ClusterShapes]), the
// boxes and notes of fixed size, their lines plain or HTML-like
// ([BoxShapes]), and the tables of one column ([TableShapes]), even the
// whole drawing when it has nothing else ([BlankPieces]); avdoc composes
// every frame from it and prints it in any format, as go/doc/comment
// prints one model as text, Markdown and HTML. Nothing here does I/O.
package figure

import "math"

// Point is a position in points (1/72 inch), in Graphviz's coordinates:
// y grows upwards.
type Point struct{ X, Y float64 }

// Figure is what a printer prints: one or more drawings, each placed on
// the page with an optional caption above it.
type Figure struct {
	Width, Height float64 // the page, in points; ignored for one panel without a caption
	Title, Desc   string  // what the figure is, for readers who cannot see it
	Style         string  // CSS for the SVG printer
	Background    string  // the page's colour when there are several panels or captions
	Foreground    string  // the captions' colour
	Panels        []Panel
}

// Panel is one drawing placed on a figure's page.
type Panel struct {
	X, Y    float64 // the drawing's top-left corner on the page, in points, y down
	Caption string  // above the drawing, at CaptionY; "" for none
	Drawing *Drawing
}

// Drawing is one picture as Graphviz would draw it: its box, and its
// groups in drawing order.
type Drawing struct {
	BB     [4]float64 // the box Graphviz's geometry lies in: x0, y0, x1, y1
	Pad    float64    // the margin around the box, in points
	Groups []Group
}

// Size is the drawing's width and height with its margin.
func (d *Drawing) Size() (w, h float64) {
	return d.BB[2] - d.BB[0] + 2*d.Pad, d.BB[3] - d.BB[1] + 2*d.Pad
}

// Group is the shapes of one object: the graph's background, a cluster,
// a node or an edge. Its ID, Class and Title reach the SVG.
type Group struct {
	Kind   string // "graph", "cluster", "node" or "edge"
	ID     string
	Class  string
	Title  string
	Shapes []Shape
	// Opacity, when above 0, fades the group in printers without CSS
	// (PDF, PNG); the SVG printer leaves it to the style sheet.
	Opacity float64
}

// Op is what a shape is.
type Op int

// The shapes Graphviz draws with.
const (
	Polygon Op = iota
	Polyline
	Bezier
	Ellipse // Points[0] is the centre, Points[1] the radii
	Text
)

// Shape is one drawing operation, with the pen, fill and font in force.
type Shape struct {
	Op     Op
	Points []Point
	Filled bool   // a polygon, Bézier or ellipse is filled with Fill
	Fill   string // a colour as Graphviz gives it: "#rrggbb", "#rrggbbaa" or a name
	Pen    Pen
	Text   TextSpan // for Text
}

// Pen is how lines are stroked.
type Pen struct {
	Color string
	Width float64 // in points; Graphviz's default is 1
	Style string  // "solid", "dashed" or "dotted"
}

// TextSpan is one line of text: its baseline point is the shape's
// Points[0].
type TextSpan struct {
	S      string
	Align  byte    // 'l', 'c' or 'r': where Points[0] is on the line
	Width  float64 // the width Graphviz measured, in points
	Face   string  // the font's name, "Arial"
	Size   float64 // in points
	Bold   bool
	Italic bool
}

// The spacing of a sheet of panels, in points.
const (
	sheetGap    = 24 // between panels
	sheetMargin = 8  // around the sheet
	captionSize = 14 // a caption's font size, bold
)

// Sheet lays drawings out in rows of at most columns (all in one row when
// columns < 1), each under its caption, on a page of colour bg with
// captions in fg: a film strip, or kernels side by side.
func Sheet(ds []*Drawing, captions []string, columns int, bg, fg string) *Figure {
	if columns < 1 || columns > len(ds) {
		columns = len(ds)
	}
	f := &Figure{Background: bg, Foreground: fg}
	y := float64(sheetMargin)
	for row := 0; row*columns < len(ds); row++ {
		x, rowH := float64(sheetMargin), 0.0
		for i := row * columns; i < min(len(ds), (row+1)*columns); i++ {
			w, h := ds[i].pageSize()
			w = max(w, math.Ceil(textWidth(captions[i], captionSize, true))) // a caption never runs into the next
			f.Panels = append(f.Panels, Panel{X: x, Y: y + captionBand, Caption: captions[i], Drawing: ds[i]})
			f.Width = max(f.Width, x+w+sheetMargin)
			x, rowH = x+w+sheetGap, max(rowH, h)
		}
		y += captionBand + rowH + sheetGap
	}
	f.Height = y - sheetGap + sheetMargin
	return f
}

// pageSize is the drawing's size on a page, in whole points, as
// Graphviz's SVG gives it.
func (d *Drawing) pageSize() (w, h float64) {
	w, h = d.Size()
	return math.Floor(w + 0.5), math.Floor(h + 0.5)
}
