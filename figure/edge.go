package figure

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// An edge of a laid-out graph is drawn from its route alone, so avdoc
// draws it rather than asking Graphviz: a Bézier through the route and,
// at its head, Graphviz's normal arrowhead. The arithmetic follows
// Graphviz 12.1.2 (go-graphviz v0.2.10's), lib/common/arrows.c:
// arrow_gen, arrow_gen_type, arrow_type_normal0 and miter_point, operation
// for operation, each product rounded as C rounds it (float64(...) keeps
// Go from fusing a multiply and an add), so that the SVG printer writes
// the numbers Graphviz writes. TestEdgesAsGraphviz holds it to Graphviz.

// arrowLength is Graphviz's ARROW_LENGTH, an arrowhead's length at
// arrowsize 1; arrowEpsilon its EPSILON.
const (
	arrowLength  = 10.0
	arrowEpsilon = 0.0001
)

// Route is an edge's route as Graphviz's "pos" attribute gives it: the
// Bézier's points and, when the edge has an arrowhead at its head, the
// arrowhead's tip.
type Route struct {
	Points []Point
	Tip    *Point
}

// ParseRoute reads a "pos" of one Bézier with at most an end point,
// "e,x,y x,y x,y ...". A route with a start point ("s,x,y"), several
// Béziers (";") or a number of points other than 3n+1 is refused:
// Graphviz, not avdoc, draws those.
func ParseRoute(pos string) (Route, error) {
	var r Route
	if strings.ContainsAny(pos, ";") {
		return r, fmt.Errorf("route %q: more than one Bézier", pos)
	}
	for f := range strings.FieldsSeq(pos) {
		end := strings.HasPrefix(f, "e,")
		if end {
			f = f[2:]
		}
		p, err := parsePoint(f)
		if err != nil {
			return r, fmt.Errorf("route %q: %w", pos, err)
		}
		switch {
		case end && (r.Tip != nil || len(r.Points) > 0):
			return r, fmt.Errorf("route %q: its end point is not first", pos)
		case end:
			r.Tip = &p
		default:
			r.Points = append(r.Points, p)
		}
	}
	if len(r.Points) < 4 || len(r.Points)%3 != 1 {
		return r, fmt.Errorf("route %q: %d points, not a Bézier's 3n+1", pos, len(r.Points))
	}
	return r, nil
}

// parsePoint reads "x,y".
func parsePoint(s string) (Point, error) {
	xs, ys, ok := strings.Cut(s, ",")
	x, err1 := strconv.ParseFloat(xs, 64)
	y, err2 := strconv.ParseFloat(ys, 64)
	if !ok || err1 != nil || err2 != nil || strings.Contains(s, "s,") {
		return Point{}, fmt.Errorf("point %q", s)
	}
	return Point{x, y}, nil
}

// EdgeShapes is an edge drawn as Graphviz's SVG renderer draws it: its
// route stroked with pen and, if the route has a tip, a normal arrowhead
// of arrowSize, filled and stroked in pen's colour and width, solid.
// Coordinates are rounded as the SVG writes them, so that every printer
// draws what the SVG does.
func EdgeShapes(r Route, pen Pen, arrowSize float64) []Shape {
	width := pen.Width
	pen.Width = round2(width)
	line := Shape{Op: Bezier, Points: rounded(r.Points), Fill: "transparent", Pen: pen}
	if r.Tip == nil {
		return []Shape{line}
	}
	head := arrowhead(*r.Tip, r.Points[len(r.Points)-1], width, arrowSize)
	headPen := Pen{Color: pen.Color, Width: pen.Width, Style: "solid"}
	return []Shape{line, {Op: Polygon, Points: rounded(head), Filled: true, Fill: pen.Color, Pen: headPen}}
}

// rounded is ps as Graphviz's SVG prints them, to two decimals.
func rounded(ps []Point) []Point {
	out := make([]Point, len(ps))
	for i, p := range ps {
		out[i] = Point{round2(p.X), round2(p.Y)}
	}
	return out
}

// round2 is x as num prints it, read back: rounded to two decimals as
// printf rounds (the nearest, of the exact binary value), -0 as 0.
func round2(x float64) float64 {
	if x > -0.005 && x < 0.005 {
		return 0
	}
	v, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'f', 2, 64), 64)
	return v
}

// arrowhead is the triangle Graphviz's arrow_gen draws for a normal
// arrowhead whose tip is p, pointing away from u, the route's last point.
func arrowhead(p, u Point, penWidth, arrowSize float64) []Point {
	u = Point{u.X - p.X, u.Y - p.Y}
	s := arrowLength / (math.Hypot(u.X, u.Y) + arrowEpsilon)
	u.X += math.Copysign(arrowEpsilon, signOf(u.X))
	u.Y += math.Copysign(arrowEpsilon, signOf(u.Y))
	u.X *= s
	u.Y *= s
	f := 1.0 * arrowSize // arrow_gen_type: lenfact times arrowsize, then u
	u.X *= f
	u.Y *= f
	return normalArrow(p, u, penWidth)
}

// signOf is 1 for x >= 0 (C's "x >= 0.0 ? EPSILON : -EPSILON"), else -1.
func signOf(x float64) float64 {
	if x >= 0 {
		return 1
	}
	return -1
}

// normalArrow is arrow_type_normal0 without modifiers: the polygon's
// three points, base left, tip, base right (a[1..3]).
func normalArrow(p, u Point, penWidth float64) []Point {
	width := 0.35
	if penWidth > 4 {
		width *= penWidth / 4
	}
	v := Point{float64(-u.Y * width), float64(u.X * width)}
	q := Point{p.X + u.X, p.Y + u.Y}
	tip := Point{-u.X, -u.Y}
	p3 := miterPoint(Point{-v.X, -v.Y}, tip, v, penWidth)
	delta := Point{p3.X - tip.X, p3.Y - tip.Y}
	p = Point{p.X - delta.X, p.Y - delta.Y}
	q = Point{q.X - delta.X, q.Y - delta.Y}
	return []Point{{q.X - v.X, q.Y - v.Y}, p, {q.X + v.X, q.Y + v.Y}}
}

// miterPoint is Graphviz's miter_point: where the outline of a stroke of
// penWidth along baseLeft→tip→baseRight has its corner at tip. Graphviz
// bevels a corner sharper than the miter limit allows (4, a half angle
// under 14.5°); a normal arrowhead's is never so sharp (atan 0.35, 19.3°
// or wider), so it is always mitred.
func miterPoint(baseLeft, tip, baseRight Point, penWidth float64) Point {
	dxA, dyA := tip.X-baseLeft.X, tip.Y-baseLeft.Y
	hypotA := math.Hypot(dxA, dyA)
	cosAlpha, sinAlpha := dxA/hypotA, dyA/hypotA
	alpha := acosSigned(cosAlpha, dyA)
	half := penWidth / 2.0
	p1 := Point{tip.X - float64(half*sinAlpha), tip.Y + float64(half*cosAlpha)}
	dxB, dyB := baseRight.X-tip.X, baseRight.Y-tip.Y
	beta := acosSigned(dxB/math.Hypot(dxB, dyB), dyB)
	betaRev := beta - math.Pi
	theta := betaRev - alpha
	if betaRev-alpha <= -math.Pi {
		theta += 2 * math.Pi
	}
	l := penWidth / 2.0 / math.Tan(theta/2.0)
	return Point{p1.X + float64(l*cosAlpha), p1.Y + float64(l*sinAlpha)}
}

// acosSigned is miter_point's angle of a direction: acos(c), negated
// unless dy > 0.
func acosSigned(c, dy float64) float64 {
	if dy > 0 {
		return math.Acos(c)
	}
	return -math.Acos(c)
}

// Shift is the route moved by (dx, dy), as Graphviz moves a drawing so
// that its box starts at (0, 0).
func (r Route) Shift(dx, dy float64) Route {
	out := Route{Points: make([]Point, len(r.Points))}
	for i, p := range r.Points {
		out.Points[i] = Point{p.X + dx, p.Y + dy}
	}
	if r.Tip != nil {
		out.Tip = &Point{r.Tip.X + dx, r.Tip.Y + dy}
	}
	return out
}
