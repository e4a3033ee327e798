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

// TestClustersAsGraphviz holds avdoc's drawing of a cluster
// (figure.ClusterShapes) to Graphviz's nop2 drawing of the same box and
// label: labelled or not, solid, dashed or dotted, a wider pen, a font
// of another size, a box too small for Graphviz's full rounded corner;
// in a graph whose box does not start at (0, 0), so that Graphviz moves
// the drawing as it moves the pieces graph's.
func TestClustersAsGraphviz(t *testing.T) {
	clusters := []struct {
		bb, lp, label, attrs string
	}{
		{"-8.001,7.72,131.999,131.72", "61.999,113.72", "P", `style="rounded", color="#aaaaaa"`},
		{"19.36,474.22,211.36,618.72", "115.36,600.72", "C1000", `style="rounded,dashed", color="#aaaaaa", fontcolor="#1a8f3c"`},
		{"200.5,10.25,260.125,40.875", "230.3125,30.5", "tiny", `style="rounded,dotted", color="#b0287e", penwidth="2"`},
		{"300,300,390,390", "", "", `style="rounded", color="#1f77b4"`},
		{"300,100,390,190", "345,170", "a & <b>-c", `style="rounded", color="#1f77b4", fontsize="9"`},
	}
	var b strings.Builder
	b.WriteString("digraph pieces {\n\tgraph [fontname=\"Arial\", fontsize=\"12\", fontcolor=\"#1d1f23\", bgcolor=\"#ffffff\"]\n")
	corner := figure.Point{X: -8.000999999999998, Y: -0.28}
	for i, c := range []figure.Point{corner, {X: 400, Y: 700}} {
		fmt.Fprintf(&b, "\tcorner%d [style=\"invis\", shape=\"point\", width=\"0.01\", height=\"0.01\", fixedsize=\"true\", label=\" \", pos=\"%g,%g\"]\n", i, c.X, c.Y)
	}
	for i, c := range clusters {
		fmt.Fprintf(&b, "\tsubgraph cluster_q%d {\n\t\tgraph [label=%q, %s, bb=%q, lp=%q]\n", i, c.label, c.attrs, c.bb, c.lp)
		fmt.Fprintf(&b, "\t\tcluster_q%d_in [style=\"invis\", shape=\"point\", width=\"0.01\", height=\"0.01\", fixedsize=\"true\", label=\" \", pos=%q]\n\t}\n", i, strings.Split(c.bb, ",")[0]+","+strings.Split(c.bb, ",")[1])
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
	const half = 0.36 // a corner point's half width
	dx, dy := -(corner.X - half), -(corner.Y - half)
	for i, c := range clusters {
		got := figure.ClusterShapes(clusterOf(t, c.bb, c.lp, c.label, c.attrs, dx, dy))
		if w := want.Shapes[fmt.Sprintf("cluster_q%d", i)]; !reflect.DeepEqual(got, w) {
			t.Errorf("cluster %s %q [%s]:\navdoc draws    %+v\nGraphviz draws %+v", c.bb, c.label, c.attrs, got, w)
		}
	}
}

// clusterOf is the figure.Cluster of a cluster of box bb, label label at
// lp and attributes attrs, moved by (dx, dy), in a graph of 12-point
// Arial in #1d1f23 on #ffffff.
func clusterOf(t *testing.T, bb, lp, label, attrs string, dx, dy float64) figure.Cluster {
	t.Helper()
	box, err := figure.ParseBox(bb)
	if err != nil {
		t.Fatal(err)
	}
	c := figure.Cluster{BB: [4]float64{box[0] + dx, box[1] + dy, box[2] + dx, box[3] + dy}, Label: label,
		Pen: figure.Pen{Width: 1, Style: "solid"}, Fill: "#ffffff", Font: "Arial", Size: 12, Colour: "#1d1f23"}
	if lp != "" {
		p, err := figure.ParsePoint(lp)
		if err != nil {
			t.Fatal(err)
		}
		c.LP = figure.Point{X: p.X + dx, Y: p.Y + dy}
	}
	for _, kv := range strings.Split(attrs, ", ") {
		k, v, _ := strings.Cut(kv, "=")
		v = strings.Trim(v, `"`)
		switch k {
		case "color":
			c.Pen.Color = v
		case "fontcolor":
			c.Colour = v
		case "penwidth":
			fmt.Sscan(v, &c.Pen.Width)
		case "fontsize":
			fmt.Sscan(v, &c.Size)
		case "style":
			c.Pen.Style = strings.TrimPrefix(strings.TrimPrefix(v, "rounded"), ",")
			if c.Pen.Style == "" {
				c.Pen.Style = "solid"
			}
		}
	}
	return c
}
