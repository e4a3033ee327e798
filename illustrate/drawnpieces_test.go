package illustrate

import (
	"cmp"
	"context"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/avdoc/avdoc/figure"
	"github.com/avdoc/avdoc/render/gv"
)

// The looks avdoc draws itself (see addDrawn) are held here to
// Graphviz's nop2 drawing of the same looks, shape for shape. Each test
// draws its looks in a graph whose box does not start at (0, 0), so that
// Graphviz moves its drawing as it moves a pieces graph's.

// TestEdgesAsGraphviz: routes in every direction, pens of several widths
// (over 4, Graphviz widens the arrowhead), dashes and dots, an arrowhead
// whose last segment is almost nothing long, and no arrowhead.
func TestEdgesAsGraphviz(t *testing.T) {
	edges := []string{
		`pos="e,188.09,45.76 154.85,38.45 164.09,40.67 173.19,42.72 181.44,44.43", color="#d62728"`,
		`pos="e,124.43,48.72 159.75,48.72 151.55,48.72 142.48,48.72 133.27,48.72", color="#1f77b4", penwidth="0.8", style="dashed"`,
		`pos="e,40,200 40,100 40,130 40,160 40,190", color="#333333", penwidth="1"`,
		`pos="e,40,10 40,100 40,70 40,40 40,17", color="#333333", style="dotted"`,
		`pos="e,300.5,300.25 10,10 100,290 200,10 290.125,290.875", color="#999999", penwidth="5"`,
		`pos="e,100,100.001 10,10 50,50 99.5,99.5 99.999,100", color="#2ca02c", penwidth="8"`,
		`pos="10,10 100,20 200,30 290,40", color="#7b3fa0", dir="none"`,
		`pos="e,263.23,77.86 263.23,77.86 230.99,41.58 203.35,68.72 194.94,76.29", color="#1f77b4", arrowhead="none"`,
	}
	var body strings.Builder
	body.WriteString("\tedge [arrowsize=\"0.7\", penwidth=\"1.3\"]\n\tend0 [" + blankPoint + ", pos=\"0,0\"]\n\tend1 [" + blankPoint + ", pos=\"0,0\"]\n")
	for i, e := range edges {
		fmt.Fprintf(&body, "\tend0 -> end1 [id=\"e%d\", %s]\n", i, e)
	}
	want, shift := graphvizPieces(t, "", body.String())
	for i, e := range edges {
		a := testAttrs(t, e, map[string]string{"penwidth": "1.3", "style": "solid"})
		r, err := figure.ParseRoute(a["pos"])
		if err != nil {
			t.Fatal(err)
		}
		if a["dir"] == "none" || a["arrowhead"] == "none" {
			r.Tip = nil
		}
		got := figure.EdgeShapes(r.Shift(shift.X, shift.Y), testPen(t, a), 0.7)
		if w := want.Shapes[fmt.Sprintf("e%d", i)]; !reflect.DeepEqual(got, w) {
			t.Errorf("edge [%s]:\navdoc draws    %+v\nGraphviz draws %+v", e, got, w)
		}
	}
}

// TestClustersAsGraphviz: labelled or not, solid, dashed or dotted, a
// wider pen, a font of another size, a box too small for Graphviz's full
// rounded corner, text Graphviz escapes.
func TestClustersAsGraphviz(t *testing.T) {
	clusters := []string{
		`bb="-8.001,7.72,131.999,131.72", lp="61.999,113.72", label="P", style="rounded", color="#aaaaaa"`,
		`bb="19.36,474.22,211.36,618.72", lp="115.36,600.72", label="C1000", style="rounded,dashed", color="#aaaaaa", fontcolor="#1a8f3c"`,
		`bb="200.5,10.25,260.125,40.875", lp="230.3125,30.5", label="tiny", style="rounded,dotted", color="#b0287e", penwidth="2"`,
		`bb="300,300,390,390", label="", style="rounded", color="#1f77b4"`,
		`bb="300,100,390,190", lp="345,170", label="a & <b>-c", style="rounded", color="#1f77b4", fontsize="9"`,
	}
	var body strings.Builder
	for i, c := range clusters {
		fmt.Fprintf(&body, "\tsubgraph cluster_q%d {\n\t\tgraph [%s]\n\t\tcluster_q%d_in [%s, pos=\"0,0\"]\n\t}\n", i, c, i, blankPoint)
	}
	graph := `fontname="Arial", fontsize="12", fontcolor="#1d1f23", bgcolor="#ffffff"`
	want, shift := graphvizPieces(t, graph, body.String())
	for i, c := range clusters {
		a := testAttrs(t, c, testAttrs(t, graph, map[string]string{"penwidth": "1", "lp": "0,0"}))
		bb, err1 := figure.ParseBox(a["bb"])
		lp, err2 := figure.ParsePoint(a["lp"])
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		got := figure.ClusterShapes(figure.Cluster{BB: [4]float64{bb[0] + shift.X, bb[1] + shift.Y, bb[2] + shift.X, bb[3] + shift.Y},
			LP: figure.Point{X: lp.X + shift.X, Y: lp.Y + shift.Y}, Pen: testPen(t, a), Fill: a["bgcolor"], Label: a["label"],
			Font: a["fontname"], Size: testFloat(t, a["fontsize"]), Colour: a["fontcolor"]})
		if w := want.Shapes[fmt.Sprintf("cluster_q%d", i)]; !reflect.DeepEqual(got, w) {
			t.Errorf("cluster [%s]:\navdoc draws    %+v\nGraphviz draws %+v", c, got, w)
		}
	}
}

// TestBoxesAsGraphviz: box nodes of fixed size, corners rounded or
// square, solid, dashed or dotted, one to three lines, a wider pen (which
// moves no corner), sizes in inches that are no whole number of points,
// a box too flat for Graphviz's full rounded corner, text Graphviz
// escapes.
func TestBoxesAsGraphviz(t *testing.T) {
	boxes := []string{
		`pos="221,525.72", width="0.8611", height="0.3056", label="AVC 1", style="rounded", fontsize="10"`,
		`pos="221.36,277.72", width="0.8611", height="0.5278", label="AVC 4\nx 998", style="rounded,dashed", fontsize="10", color="#1a8f3c", penwidth="2.2"`,
		`pos="61.999,48.72", width="1.7222", height="0.9167", label="one\ntwo\nthree", style="dotted", fontcolor="#d62728"`,
		`pos="300.125,300.875", width="2.0139", height="0.1389", label="flat", style="rounded", fontsize="7", penwidth="0.8"`,
		`pos="100,600", width="1", height="1", label="a & <b>-c"`,
	}
	defaults := `fontname="Arial", fontsize="11", fontcolor="#1d1f23", color="#1d1f23"`
	var body strings.Builder
	body.WriteString("\tnode [" + defaults + "]\n")
	for i, x := range boxes {
		fmt.Fprintf(&body, "\tn%d [shape=\"box\", fixedsize=\"true\", %s]\n", i, x)
	}
	want, shift := graphvizPieces(t, "", body.String())
	for i, x := range boxes {
		a := testAttrs(t, x, testAttrs(t, defaults, map[string]string{"penwidth": "1", "style": "solid"}))
		c, err := figure.ParsePoint(a["pos"])
		if err != nil {
			t.Fatal(err)
		}
		got := figure.BoxShapes(figure.Box{Centre: figure.Point{X: c.X + shift.X, Y: c.Y + shift.Y},
			W: testFloat(t, a["width"]) * 72, H: testFloat(t, a["height"]) * 72, Rounded: strings.Contains(a["style"], "rounded"),
			Pen: testPen(t, a), Lines: strings.Split(a["label"], `\n`), Font: a["fontname"], Size: testFloat(t, a["fontsize"]), Colour: a["fontcolor"]})
		if w := want.Shapes[fmt.Sprintf("n%d", i)]; !reflect.DeepEqual(got, w) {
			t.Errorf("box [%s]:\navdoc draws    %+v\nGraphviz draws %+v", x, got, w)
		}
	}
}

// blankPoint is an invisible point's attributes, as a pieces graph has.
const blankPoint = `style="invis", shape="point", width="0.01", height="0.01", fixedsize="true", label=" "`

// graphvizPieces has Graphviz's nop2 draw body, statements of a graph of
// attributes graph whose lowest corner point is not at (0, 0), and
// returns its drawing and how far Graphviz moved it (the corner less
// half a corner point, as render.Pieces' Origin).
func graphvizPieces(t *testing.T, graph, body string) (*figure.Pieces, figure.Point) {
	t.Helper()
	corner := figure.Point{X: -8.000999999999998, Y: -0.28}
	dot := fmt.Sprintf("digraph pieces {\n\tgraph [%s]\n\tcorner0 [%s, pos=\"%g,%g\"]\n\tcorner1 [%s, pos=\"400,700\"]\n%s}\n",
		graph, blankPoint, corner.X, corner.Y, blankPoint, body)
	svg, err := newGraphviz(t).Render(context.Background(), []byte(dot), gv.NOP2, gv.SVG)
	if err != nil {
		t.Fatal(err)
	}
	pieces, err := figure.ParseSVG(svg)
	if err != nil {
		t.Fatal(err)
	}
	const half = 0.36 // a corner point's half width
	return pieces, figure.Point{X: -(corner.X - half), Y: -(corner.Y - half)}
}

// testAttrs reads the test's attributes `k="v", k="v"` over defaults.
func testAttrs(t *testing.T, s string, defaults map[string]string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for k, v := range defaults {
		out[k] = v
	}
	for kv := range strings.SplitSeq(s, ", ") {
		k, v, ok := strings.Cut(kv, "=")
		uq, err := strconv.Unquote(v)
		if !ok || err != nil {
			t.Fatalf("attribute %q", kv)
		}
		out[k] = strings.ReplaceAll(uq, "\n", `\n`)
	}
	return out
}

// testPen is the pen of attributes a.
func testPen(t *testing.T, a map[string]string) figure.Pen {
	style := strings.Trim(strings.TrimPrefix(a["style"], "rounded"), ",")
	return figure.Pen{Color: a["color"], Width: testFloat(t, a["penwidth"]), Style: cmp.Or(style, "solid")}
}

// testFloat reads a number of the test's.
func testFloat(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("number %q", s)
	}
	return v
}
