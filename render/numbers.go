package render

import (
	"fmt"
	"strconv"
	"strings"
)

// parseFloats reads s as len(out) numbers separated by commas, as
// Graphviz writes a point ("x,y") or a box ("x0,y0,x1,y1"), into out.
// Anything else, a missing or extra number included, is an error.
func parseFloats(s string, out []float64) error {
	rest := s
	for i := range out {
		field := rest
		if i < len(out)-1 {
			j := strings.IndexByte(rest, ',')
			if j < 0 {
				return fmt.Errorf("%q is not %d numbers separated by commas", s, len(out))
			}
			field, rest = rest[:j], rest[j+1:]
		}
		f, err := strconv.ParseFloat(field, 64)
		if err != nil {
			return fmt.Errorf("%q is not %d numbers separated by commas: %w", s, len(out), err)
		}
		out[i] = f
	}
	return nil
}

// parsePoint reads "x,y".
func parsePoint(s string) (x, y float64, err error) {
	var p [2]float64
	if err := parseFloats(s, p[:]); err != nil {
		return 0, 0, err
	}
	return p[0], p[1], nil
}

// splineBox is the box of the control points of an edge's route as
// Graphviz writes it: points "x,y" separated by spaces, the first ones
// perhaps an end point "e,x,y" or a start point "s,x,y", and the
// splines of an edge drawn as several separated by ";". A point that
// does not read as one is left out; ok is false when none does.
func splineBox(route string) (box [4]float64, ok bool) {
	isSep := func(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == ';' }
	for _, pt := range strings.FieldsFunc(route, isSep) {
		x, y, err := parsePoint(strings.TrimPrefix(strings.TrimPrefix(pt, "e,"), "s,"))
		if err != nil {
			continue
		}
		if !ok {
			box, ok = [4]float64{x, y, x, y}, true
			continue
		}
		box = [4]float64{min(box[0], x), min(box[1], y), max(box[2], x), max(box[3], y)}
	}
	return box, ok
}
