package figure

import "math"

// A node's natural size is measured here as Graphviz 12.1.2 measures it
// when it lays a graph out, so that avdoc need not ask Graphviz for the
// sizes of the looks it knows: lib/common/labels.c make_label (a plain
// label's lines, make_simple_label and storeline), lib/common/htmltable.c
// make_html_label (an HTML-like label of lines, size_html_txt; a table,
// size_html_tbl and size_html_cell), and lib/common/shapes.c poly_init (a
// box, a cylinder or an octagon about its label and margin, at least the
// node's width and height, each further periphery GAP outside the one
// within).
// The widths are those of estimate_textspan_size (see htmltext.go).
// illustrate's TestLookSizesAsGraphviz holds it to Graphviz.

// LabelSize is make_label's size of a plain label of lines in Arial at
// size points: make_simple_label stores each line (storeline), the
// label as wide as its widest line and as high as its lines, each
// size × LINESPACING high. The lines are non-empty.
func LabelSize(lines []string, size float64) (w, h float64) {
	for _, l := range lines {
		w = max(w, estimatedWidth(l, size, false))
		h += float64(size * lineSpacing) // float64(): never fused into a multiply-add (see edge.go)
	}
	return w, h
}

// HTMLSize is make_html_label's size of an HTML-like label of lines
// (no TABLE) in Arial at size points: size_html_txt's text block, as
// wide as its widest line.
func HTMLSize(lines []HTMLLine, size float64) (w, h float64) {
	for _, l := range lines {
		w = max(w, estimatedWidth(l.S, size, l.Bold))
	}
	_, h, _ = htmlBaselines(lines, size)
	return w, h
}

// TableCell is a cell of a table of one column to measure: its lines
// and its WIDTH, in points (0 for none).
type TableCell struct {
	Lines []HTMLLine
	Width float64
}

// TableSize is make_html_label's size of an HTML-like TABLE of one
// column, BORDER 1, CELLBORDER 0 and CELLSPACING 0, its cells padded by
// pad, in Arial at size points, with the TABLE's WIDTH and HEIGHT
// (0 for none): size_html_tbl's box about size_html_cell's cells (see
// [tableBox]).
func TableSize(cells []TableCell, pad int, width, height, size float64) (w, h float64) {
	sizes := make([][2]float64, len(cells))
	for i, c := range cells {
		sizes[i][0], sizes[i][1] = cellSize(c.Lines, c.Width, pad, size)
	}
	_, box := tableBox(sizes, width, height)
	return box.UR.X - box.LL.X, box.UR.Y - box.LL.Y
}

// NodeLook is what poly_init sizes a node of a polygon shape from.
type NodeLook struct {
	Shape         string     // "box", "note", "plaintext", "plain", "cylinder", "octagon" or "doubleoctagon"
	Label         [2]float64 // the label's width and height, in points
	Margin        []float64  // the margin attribute's one or two numbers, in inches; nil for none
	Width, Height float64    // the node's, in inches
	Peripheries   int        // -1 for the shape's own
}

// NodeSize is poly_init's size of node n, in inches, as the node's
// width and height: the label and its margin (2 × margin on each axis,
// or PAD's 16 and 8 points without one; none for shape "plain"), grown
// to the shape's polygon about it (see [polygon]), at least the node's
// width and height (none for "plain"), and each periphery past the
// first GAP outside the one within.
func NodeSize(n NodeLook) (w, h float64) {
	dimen := n.Label
	width, height := n.Width*pointsPerInch, n.Height*pointsPerInch
	peripheries := shapePeripheries(n.Shape)
	if n.Peripheries >= 0 {
		peripheries = n.Peripheries
	}
	if n.Shape == "plain" {
		width, height = 0, 0
	} else if dimen[0] > 0 || dimen[1] > 0 {
		dimen = padded(dimen, n.Margin)
	}
	fit := labelFit(n.Shape, dimen, height)
	width, height = max(width, fit[0]), max(height, fit[1])
	v := polygon(n.Shape, [2]float64{width, height})
	var xmax, ymax float64
	for _, p := range v {
		xmax, ymax = max(xmax, math.Abs(p.X)), max(ymax, math.Abs(p.Y))
	}
	xmax, ymax = 2*xmax, 2*ymax
	bb := [2]float64{max(width, xmax), max(height, ymax)}
	if peripheries >= 1 {
		for i, p := range v {
			v[i] = Point{p.X * (bb[0] / xmax), p.Y * (bb[1] / ymax)}
		}
		for range peripheries - 1 {
			v = outerPeriphery(v)
		}
		for _, p := range v {
			bb = [2]float64{max(2*math.Abs(p.X), bb[0]), max(2*math.Abs(p.Y), bb[1])}
		}
	}
	return bb[0] / pointsPerInch, bb[1] / pointsPerInch
}

// shapePeripheries is a shape's own peripheries (shapes.c's polygon_t
// of each).
func shapePeripheries(shape string) int {
	switch shape {
	case "plain", "plaintext":
		return 0
	case "doubleoctagon":
		return 2
	}
	return 1
}

// labelFit is poly_init's smallest node of the shape about a label box
// dimen, in a node height high: the box itself ("for regular boxes the
// fit should be exact"); a cylinder 1.375 times as high (cylinder_size);
// for an octagon the ellipse about the box (√2 times as large, or only
// wider if the node's height leaves room), grown by 1/cos(π/8).
func labelFit(shape string, bb [2]float64, height float64) [2]float64 {
	switch shape {
	case "cylinder":
		bb[1] *= 1.375
	case "octagon", "doubleoctagon":
		if temp := bb[1] * math.Sqrt2; height > temp {
			bb[0] *= math.Sqrt(1.0 / (1.0 - float64((bb[1]/height)*(bb[1]/height))))
		} else {
			bb[0], bb[1] = bb[0]*math.Sqrt2, temp
		}
		temp := math.Cos(math.Pi / octagonSides)
		bb[0], bb[1] = bb[0]/temp, bb[1]/temp
	}
	return bb
}

// polygon is poly_init's polygon of a node bb large, before it is
// scaled to the node's size: a box's or a cylinder's corners (the
// curves' ends and control points of cylinder_vertices lie within
// them), or an octagon's vertices (see [octagon]).
func polygon(shape string, bb [2]float64) []Point {
	if shape == "octagon" || shape == "doubleoctagon" {
		return octagon(bb)
	}
	p := Point{bb[0] / 2, bb[1] / 2}
	return []Point{p, {-p.X, p.Y}, {-p.X, -p.Y}, {p.X, -p.Y}}
}

// octagonSides is an octagon's sides.
const octagonSides = 8

// octagon is poly_init's regular polygon of eight sides in a node bb
// large: its vertices found by walking the unit polygon's sides, each
// scaled by bb.
func octagon(bb [2]float64) []Point {
	const sides = octagonSides
	sectorangle := 2.0 * math.Pi / sides
	sidelength := math.Sin(sectorangle / 2.0)
	angle := (sectorangle - math.Pi) / 2.0
	sinx, cosx := math.Sincos(angle)
	r := Point{0.5 * cosx, 0.5 * sinx}
	angle += (math.Pi - sectorangle) / 2.0
	v := make([]Point, sides)
	for i := range v {
		angle += sectorangle
		sinx, cosx = math.Sincos(angle)
		r = Point{r.X + float64(sidelength*cosx), r.Y + float64(sidelength*sinx)}
		sinx, cosx = math.Sincos(math.Atan2(r.Y, r.X))
		hyp := math.Hypot(r.X, r.Y)
		v[i] = Point{hyp * cosx * bb[0], hyp * sinx * bb[1]}
	}
	return v
}

// pointsPerInch is Graphviz's POINTS_PER_INCH.
const pointsPerInch = 72.0

// padded is poly_init's room about a label: twice the margin (read as
// sscanf reads "%lf,%lf", each at least 0; one number for both axes),
// or PAD (4 × GAP across, 2 × GAP down) without one.
func padded(dimen [2]float64, margin []float64) [2]float64 {
	if len(margin) == 0 {
		return [2]float64{dimen[0] + 4*gap, dimen[1] + 2*gap}
	}
	mx := max(margin[0], 0)
	my := mx
	if len(margin) > 1 {
		my = max(margin[1], 0)
	}
	return [2]float64{dimen[0] + float64(2*mx*pointsPerInch), dimen[1] + float64(2*my*pointsPerInch)}
}
