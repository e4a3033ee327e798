package figure

// A node drawn as a box, its corners rounded or not, with lines of text
// centred in it, is drawn here rather than by Graphviz. The arithmetic
// follows Graphviz 12.1.2, operation for operation: lib/common/shapes.c
// poly_init and poly_gencode (a box of the node's fixed size about its
// centre, its corners from the top right anticlockwise) and
// round_corners, lib/common/labels.c emit_label, and svg_textspan.
// TestBoxesAsGraphviz holds it to Graphviz.

// Box is a node avdoc draws itself into a drawing of pieces: its centre,
// in the pieces' coordinates, and size, in points; its outline; and its
// label's lines, each centred.
type Box struct {
	Centre  Point
	W, H    float64
	Rounded bool
	Pen     Pen
	Lines   []string
	Font    string
	Size    float64
	Colour  string // the label's
}

// BoxShapes is a box node drawn as Graphviz's SVG renderer draws it: its
// outline (a closed Bézier if rounded, else a polygon), unfilled, then
// its label, a line at a time from the top. Coordinates are rounded as
// the SVG writes them.
func BoxShapes(b Box) []Shape {
	c := b.Centre
	px, py := b.W/2.0, b.H/2.0
	af := []Point{{px + c.X, py + c.Y}, {-px + c.X, py + c.Y}, {-px + c.X, -py + c.Y}, {px + c.X, -py + c.Y}}
	pen := b.Pen
	pen.Width = round2(pen.Width)
	outline := Shape{Op: Polygon, Points: rounded(af), Pen: pen, Fill: "transparent"}
	if b.Rounded {
		outline.Op, outline.Points = Bezier, rounded(roundedBox(af))
	}
	return append([]Shape{outline}, centredLines(b.Lines, c, b.Font, b.Size, b.Colour)...)
}

// centredLines is emit_label's drawing of lines centred on c, each as
// svg_textspan writes it.
func centredLines(lines []string, c Point, font string, size float64, colour string) []Shape {
	var height float64
	lineHeight := size * lineSpacing
	for range lines {
		height += lineHeight
	}
	y := c.Y + height/2.0 - size
	var out []Shape
	for _, s := range lines {
		t := TextSpan{S: s, Align: 'c', Width: textWidth(s, size, false), Face: font, Size: size}
		at := Point{round2(c.X), round2(y + centreLineOffset*size)}
		out = append(out, Shape{Op: Text, Points: []Point{at}, Pen: Pen{Color: colour, Width: 1, Style: "solid"}, Text: t})
		y -= lineHeight
	}
	return out
}
