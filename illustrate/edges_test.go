package illustrate

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/avdoc/avdoc/figure"
	"github.com/avdoc/avdoc/render/gv"
)

// TestEdgesAsGraphviz holds avdoc's drawing of an edge from its route
// (figure.EdgeShapes) to Graphviz's nop2 drawing of the same route, for
// routes in every direction, pens of several widths (over 4, Graphviz
// widens the arrowhead), dashes and dots, an arrowhead whose last
// segment is almost nothing long, and no arrowhead; in a graph whose box
// does not start at (0, 0), so that Graphviz moves the drawing as it
// moves the pieces graph's.
func TestEdgesAsGraphviz(t *testing.T) {
	edges := []struct{ pos, attrs string }{
		{"e,188.09,45.76 154.85,38.45 164.09,40.67 173.19,42.72 181.44,44.43", `color="#d62728"`},
		{"e,124.43,48.72 159.75,48.72 151.55,48.72 142.48,48.72 133.27,48.72", `color="#1f77b4", penwidth="0.8", style="dashed"`},
		{"e,40,200 40,100 40,130 40,160 40,190", `color="#333333", penwidth="1"`},
		{"e,40,10 40,100 40,70 40,40 40,17", `color="#333333", style="dotted"`},
		{"e,300.5,300.25 10,10 100,290 200,10 290.125,290.875", `color="#999999", penwidth="5"`},
		{"e,100,100.001 10,10 50,50 99.5,99.5 99.999,100", `color="#2ca02c", penwidth="8"`},
		{"10,10 100,20 200,30 290,40", `color="#7b3fa0", dir="none"`},
		{"e,263.23,77.86 263.23,77.86 230.99,41.58 203.35,68.72 194.94,76.29", `color="#1f77b4", arrowhead="none"`},
	}
	var b strings.Builder
	b.WriteString("digraph pieces {\n\tedge [arrowsize=\"0.7\", penwidth=\"1.3\"]\n")
	corner := figure.Point{X: -8.000999999999998, Y: -0.28}
	for i, c := range []figure.Point{corner, {X: 400, Y: 400}} {
		fmt.Fprintf(&b, "\tcorner%d [style=\"invis\", shape=\"point\", width=\"0.01\", height=\"0.01\", fixedsize=\"true\", label=\"\", pos=\"%g,%g\"]\n", i, c.X, c.Y)
	}
	b.WriteString("\tend0 [style=\"invis\", shape=\"point\", width=\"0.01\", height=\"0.01\", fixedsize=\"true\", label=\"\", pos=\"0,0\"]\n")
	b.WriteString("\tend1 [style=\"invis\", shape=\"point\", width=\"0.01\", height=\"0.01\", fixedsize=\"true\", label=\"\", pos=\"0,0\"]\n")
	for i, e := range edges {
		fmt.Fprintf(&b, "\tend0 -> end1 [id=\"e%d\", pos=\"%s\", %s]\n", i, e.pos, e.attrs)
	}
	b.WriteString("}\n")
	svg, err := newGraphviz(t).Render(context.Background(), []byte(b.String()), gv.NOP2, gv.SVG)
	if err != nil {
		t.Fatal(err)
	}
	want, err := figure.ParseSVG(svg)
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range edges {
		got := edgeShapes(t, e.pos, e.attrs, corner)
		if w := want.Shapes[fmt.Sprintf("e%d", i)]; !reflect.DeepEqual(got, w) {
			t.Errorf("edge %q [%s]:\navdoc draws    %+v\nGraphviz draws %+v", e.pos, e.attrs, got, w)
		}
	}
}

// edgeShapes is avdoc's drawing of an edge of route pos and attributes
// attrs, in a graph whose lowest corner point is at corner.
func edgeShapes(t *testing.T, pos, attrs string, corner figure.Point) []figure.Shape {
	t.Helper()
	r, err := figure.ParseRoute(pos)
	if err != nil {
		t.Fatal(err)
	}
	pen := figure.Pen{Width: 1.3, Style: "solid"}
	for _, kv := range strings.Split(attrs, ", ") {
		k, v, _ := strings.Cut(kv, "=")
		v = strings.Trim(v, `"`)
		switch k {
		case "color":
			pen.Color = v
		case "penwidth":
			fmt.Sscan(v, &pen.Width)
		case "style":
			pen.Style = v
		case "dir", "arrowhead":
			r.Tip = nil
		}
	}
	const half = 0.36 // a corner point's half width
	r = r.Shift(-(corner.X - half), -(corner.Y - half))
	return figure.EdgeShapes(r, pen, 0.7)
}
