package figure

import (
	"strings"
	"testing"
)

// TestParseRoute: a route of one Bézier, with or without its end point,
// is read in Graphviz's coordinates; what Graphviz, not avdoc, must draw
// is an error naming the route.
func TestParseRoute(t *testing.T) {
	tests := []struct {
		pos     string
		points  int
		tip     *Point
		wantErr string
	}{
		{pos: "e,1,2 3,4 5,6 7,8 9,10", points: 4, tip: &Point{1, 2}},
		{pos: "3,4 5,6 7,8 9,10", points: 4},
		{pos: "3,4 5,6 7,8 9,10 11,12 13,14 15,16", points: 7},
		{pos: "e,1,2 3,4 5,6 7,8", wantErr: "3 points"},
		{pos: "", wantErr: "0 points"},
		{pos: "s,1,2 3,4 5,6 7,8 9,10", wantErr: `point "s,1,2"`},
		{pos: "3,4 5,6 e,1,2 7,8 9,10", wantErr: "end point is not first"},
		{pos: "e,1,2 e,1,2 3,4 5,6 7,8 9,10", wantErr: "end point is not first"},
		{pos: "3,4 5,6 7,8 9,10;3,4 5,6 7,8 9,10", wantErr: "more than one"},
		{pos: "3,4 5,x 7,8 9,10", wantErr: `point "5,x"`},
		{pos: "3,4 5 7,8 9,10", wantErr: `point "5"`},
	}
	for _, tt := range tests {
		r, err := ParseRoute(tt.pos)
		switch {
		case tt.wantErr != "":
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), tt.pos) {
				t.Errorf("ParseRoute(%q) = %v, want an error naming it and saying %q", tt.pos, err, tt.wantErr)
			}
		case err != nil:
			t.Errorf("ParseRoute(%q): %v", tt.pos, err)
		case len(r.Points) != tt.points || (r.Tip == nil) != (tt.tip == nil) || tt.tip != nil && *r.Tip != *tt.tip:
			t.Errorf("ParseRoute(%q) = %d points, tip %v; want %d, %v", tt.pos, len(r.Points), r.Tip, tt.points, tt.tip)
		}
	}
}

// TestEdgeShapesRound: an edge's shapes hold what Graphviz's SVG writes,
// two decimals as printf rounds them (7.125, exact in binary, to even),
// and a route without a tip has no arrowhead.
func TestEdgeShapesRound(t *testing.T) {
	r := Route{Points: []Point{{1.004, 2.006}, {3, 4}, {5, 6}, {7.125, 8}}}
	got := EdgeShapes(r, Pen{Color: "#123456", Width: 0.8049, Style: "dashed"}, 0.7)
	if len(got) != 1 || got[0].Op != Bezier || got[0].Points[0] != (Point{1, 2.01}) || got[0].Points[3] != (Point{7.12, 8}) || got[0].Pen.Width != 0.8 {
		t.Errorf("EdgeShapes without a tip = %+v", got)
	}
	r.Tip = &Point{9, 8}
	got = EdgeShapes(r, Pen{Color: "#123456", Width: 1.3, Style: "dashed"}, 0.7)
	if len(got) != 2 || got[1].Op != Polygon || !got[1].Filled || got[1].Pen.Style != "solid" || got[1].Fill != "#123456" || len(got[1].Points) != 3 {
		t.Errorf("EdgeShapes' arrowhead = %+v, want a filled, solid triangle", got)
	}
}
