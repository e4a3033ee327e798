package figure

import "math"

// A node drawn as a box of fixed size, its corners rounded, square or
// one folded (a note), filled or not, in one or two outlines, with
// lines of text centred in it, is drawn here rather than by Graphviz.
// The arithmetic follows Graphviz 12.1.2, operation for operation:
// lib/common/shapes.c poly_init (a box of the node's fixed size about
// its centre, its corners from the top right anticlockwise, and each
// further periphery GAP outside the one within) and poly_gencode (the
// peripheries from the innermost, only it filled), round_corners (its
// ROUNDED and DOGEAR cases), lib/common/labels.c emit_label, and
// svg_textspan; an HTML-like label's lines are placed as htmltext.go
// says. TestBoxesAsGraphviz and TestHTMLBoxesAsGraphviz hold it to
// Graphviz.

// Box is a node avdoc draws itself into a drawing of pieces: its centre,
// in the pieces' coordinates, and size, in points; its outline; and its
// label's lines, each centred.
type Box struct {
	Centre      Point
	W, H        float64
	Rounded     bool
	Note        bool // its top right corner folded, as Graphviz's shape "note"
	Peripheries int  // its outlines, 1 or 2; 0 counts as 1
	Pen         Pen
	Fill        string // the innermost outline's inside, "#rrggbb"; "" for none
	Lines       []string
	HTML        []HTMLLine // an HTML-like label's lines, in place of Lines
	Font        string
	Size        float64
	Colour      string // the label's
}

// gap is Graphviz's GAP: the distance between a node's peripheries.
const gap = 4.0

// BoxShapes is a box node drawn as Graphviz's SVG renderer draws it: its
// outlines from the innermost, the innermost filled if it is (a closed
// Bézier if rounded; a polygon and the fold's two lines if a note; else
// a polygon), then its label, a line at a time from the top.
// Coordinates are rounded as the SVG writes them.
func BoxShapes(b Box) []Shape {
	c := b.Centre
	px, py := b.W/2.0, b.H/2.0
	vertices := []Point{{px, py}, {-px, py}, {-px, -py}, {px, -py}}
	pen := b.Pen
	pen.Width = round2(pen.Width)
	var out []Shape
	for j := range max(b.Peripheries, 1) {
		if j > 0 {
			vertices = outerPeriphery(vertices)
		}
		af := make([]Point, len(vertices))
		for i, v := range vertices {
			af[i] = Point{v.X + c.X, v.Y + c.Y}
		}
		fill := ""
		if j == 0 {
			fill = b.Fill
		}
		out = append(out, boxOutline(af, b, pen, fill)...)
	}
	if len(b.HTML) > 0 {
		_, h, _ := htmlBaselines(b.HTML, b.Size)
		return append(out, htmlLines(b.HTML, c, h, b.Font, b.Size, b.Colour)...)
	}
	return append(out, centredLines(b.Lines, c, b.Font, b.Size, b.Colour)...)
}

// boxOutline is one periphery af of box b, drawn as poly_gencode draws
// it, filled with fill unless that is "".
func boxOutline(af []Point, b Box, pen Pen, fill string) []Shape {
	s := Shape{Op: Polygon, Points: rounded(af), Pen: pen, Fill: "transparent"}
	if fill != "" {
		s.Filled, s.Fill = true, fill
	}
	switch {
	case b.Rounded:
		s.Op, s.Points = Bezier, rounded(roundedBox(af))
	case b.Note:
		poly, fold := dogEar(af)
		s.Points = rounded(poly)
		line := func(p, q Point) Shape {
			return Shape{Op: Polyline, Points: rounded([]Point{p, q}), Pen: pen, Fill: "transparent"}
		}
		return []Shape{s, line(fold[1], fold[2]), line(fold[0], fold[2])}
	}
	return []Shape{s}
}

// dogEar is round_corners' DOGEAR: the polygon af with its first corner
// cut off (half a rounded corner's reach along each side), and the fold
// C: where the cut meets the last side and the first, and the corner
// folded in.
func dogEar(af []Point) (poly []Point, fold [3]Point) {
	n := len(af)
	r := roundedRadius
	for i, p0 := range af {
		r = min(r, hypot(p0, af[(i+1)%n])/3.0)
	}
	cut := func(p0, p1 Point, far bool) Point {
		t := r / hypot(p0, p1)
		t = float64(t / 2)
		if far {
			return lerp(1.0-t, p0, p1)
		}
		return lerp(t, p0, p1)
	}
	first, last := cut(af[0], af[1], false), cut(af[n-1], af[0], true)
	poly = append(append([]Point{first}, af[1:]...), last)
	fold = [3]Point{last, first, {first.X + (last.X - af[0].X), first.Y + (last.Y - af[0].Y)}}
	return poly, fold
}

// outerPeriphery is poly_init's next periphery of the polygon v (about
// its centre, anticlockwise): each corner moved GAP out from both its
// sides, along the bisector of its angle.
func outerPeriphery(v []Point) []Point {
	n := len(v)
	out := make([]Point, n)
	q, r := v[n-1], v[0]
	beta := math.Atan2(r.Y-q.Y, r.X-q.X)
	for i := range v {
		q, r = r, v[(i+1)%n]
		alpha := beta
		beta = math.Atan2(r.Y-q.Y, r.X-q.X)
		gamma := float64((alpha + math.Pi - beta) / 2.0)
		temp := gap / math.Sin(gamma)
		sinx, cosx := math.Sincos(alpha - gamma)
		sinx, cosx = float64(sinx*temp), float64(cosx*temp)
		out[i] = Point{q.X + cosx, q.Y + sinx}
	}
	return out
}

// centredLines is emit_label's drawing of lines centred on c, each as
// svg_textspan writes it.
func centredLines(lines []string, c Point, font string, size float64, colour string) []Shape {
	var height float64
	lineHeight := float64(size * lineSpacing) // float64(): never fused into a multiply-add (see edge.go)
	for range lines {
		height += lineHeight
	}
	y := c.Y + float64(height/2.0) - size
	var out []Shape
	for _, s := range lines {
		t := TextSpan{S: s, Align: 'c', Width: textWidth(s, size, false), Face: font, Size: size}
		at := Point{round2(c.X), round2(y + float64(centreLineOffset*size))}
		out = append(out, Shape{Op: Text, Points: []Point{at}, Pen: Pen{Color: colour, Width: 1, Style: "solid"}, Text: t})
		y -= lineHeight
	}
	return out
}
