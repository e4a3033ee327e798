package figure

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// A cluster of a laid-out graph is a box with rounded corners and a line
// of text, both where the layout put them, so avdoc draws it rather than
// asking Graphviz. The arithmetic follows Graphviz 12.1.2, operation for
// operation: lib/common/emit.c emit_clusters and emit_label,
// lib/common/shapes.c round_corners, lib/common/textspan.c (a line's
// height and centre line without font files), plugin/core/gvrender_core_svg.c
// svg_textspan. TestClustersAsGraphviz holds it to Graphviz.

// Cluster is a cluster avdoc draws itself into a drawing of pieces: its
// box and its label's centre, in the pieces' coordinates, how its box
// is stroked and filled, and its label.
type Cluster struct {
	BB     [4]float64 // x0, y0, x1, y1
	LP     Point
	Pen    Pen
	Fill   string // "" for none
	Label  string // one line; "" for none
	Font   string
	Size   float64
	Colour string // the label's
}

// Graphviz's constants: the radius of a rounded corner at most, a
// control point's share of it, and a line of text's height for its font
// size, and its centre line's.
const (
	roundedRadius    = 12.0
	roundedCurve     = 0.5
	lineSpacing      = 1.2
	centreLineOffset = 0.1
)

// ClusterShapes is a cluster drawn as Graphviz's SVG renderer draws one
// whose style is "rounded": the box's outline, as a closed Bézier, then
// its label centred on LP. Coordinates are rounded as the SVG writes
// them.
func ClusterShapes(c Cluster) []Shape {
	corners := []Point{{c.BB[0], c.BB[1]}, {c.BB[2], c.BB[1]}, {c.BB[2], c.BB[3]}, {c.BB[0], c.BB[3]}}
	pen := c.Pen
	pen.Width = round2(pen.Width)
	box := Shape{Op: Bezier, Points: rounded(roundedBox(corners)), Pen: pen, Fill: "transparent"}
	if c.Fill != "" {
		box.Filled, box.Fill = true, c.Fill
	}
	out := []Shape{box}
	if c.Label == "" {
		return out
	}
	return append(out, centredLines([]string{c.Label}, c.LP, c.Font, c.Size, c.Colour)...)
}

// roundedBox is round_corners' outline of the polygon af with rounded
// corners: for each side, its start curving in, the side, and the curve
// into the next, as the Bézier Graphviz draws from its second point.
func roundedBox(af []Point) []Point {
	r := roundedRadius
	for i, p0 := range af {
		p1 := af[(i+1)%len(af)]
		r = min(r, hypot(p0, p1)/3.0)
	}
	var b []Point
	for i, p0 := range af {
		p1 := af[(i+1)%len(af)]
		t := r / hypot(p0, p1)
		b = append(b, lerp(roundedCurve*t, p0, p1), lerp(t, p0, p1), lerp(1.0-t, p0, p1), lerp(1.0-float64(roundedCurve*t), p0, p1))
	}
	pts := make([]Point, 0, 6*len(af)+2)
	for s := range af {
		pts = append(pts, b[4*s], b[4*s+1], b[4*s+1], b[4*s+2], b[4*s+2], b[4*s+3])
	}
	pts = append(pts, pts[0], pts[1])
	return pts[1:]
}

// hypot is the distance from p to q, as Graphviz measures it.
func hypot(p, q Point) float64 { return math.Hypot(q.X-p.X, q.Y-p.Y) }

// lerp is Graphviz's interpolate_pointf: p + t(q - p).
func lerp(t float64, p, q Point) Point {
	return Point{p.X + float64(t*(q.X-p.X)), p.Y + float64(t*(q.Y-p.Y))}
}

// ParseBox reads Graphviz's "x0,y0,x1,y1".
func ParseBox(s string) ([4]float64, error) {
	var b [4]float64
	f := strings.Split(s, ",")
	if len(f) != 4 {
		return b, fmt.Errorf("box %q", s)
	}
	for i, v := range f {
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return b, fmt.Errorf("box %q", s)
		}
		b[i] = x
	}
	return b, nil
}

// ParsePoint reads Graphviz's "x,y".
func ParsePoint(s string) (Point, error) { return parsePoint(s) }
