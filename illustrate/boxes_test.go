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

// TestBoxesAsGraphviz holds avdoc's drawing of a box node of fixed size
// (figure.BoxShapes) to Graphviz's nop2 drawing of the same node: corners
// rounded or square, solid, dashed or dotted, one to three lines, a
// wider pen (which moves no corner), sizes in inches that are no whole
// number of points, and a box too flat for Graphviz's full rounded
// corner; in a graph whose box does not start at (0, 0), so that
// Graphviz moves the drawing as it moves the pieces graph's.
func TestBoxesAsGraphviz(t *testing.T) {
	boxes := []struct {
		pos, w, h, label, attrs string
	}{
		{"221,525.72", "0.8611", "0.3056", "AVC 1", `style="rounded", fontsize="10"`},
		{"221.36,277.72", "0.8611", "0.5278", `AVC 4\nx 998`, `style="rounded,dashed", fontsize="10", color="#1a8f3c", penwidth="2.2"`},
		{"61.999,48.72", "1.7222", "0.9167", `one\ntwo\nthree`, `style="dotted", fontcolor="#d62728"`},
		{"300.125,300.875", "2.0139", "0.1389", "flat", `style="rounded", fontsize="7", penwidth="0.8"`},
		{"100,600", "1", "1", "a & <b>-c", ``},
	}
	var b strings.Builder
	b.WriteString("digraph pieces {\n\tnode [fontname=\"Arial\", fontsize=\"11\", fontcolor=\"#1d1f23\", color=\"#1d1f23\"]\n")
	corner := figure.Point{X: -8.000999999999998, Y: -0.28}
	for i, c := range []figure.Point{corner, {X: 400, Y: 700}} {
		fmt.Fprintf(&b, "\tcorner%d [style=\"invis\", shape=\"point\", width=\"0.01\", height=\"0.01\", fixedsize=\"true\", label=\" \", pos=\"%g,%g\"]\n", i, c.X, c.Y)
	}
	for i, x := range boxes {
		attrs := strings.TrimPrefix(x.attrs+`, `, `, `)
		fmt.Fprintf(&b, "\tn%d [shape=\"box\", %slabel=\"%s\", pos=%q, width=%q, height=%q, fixedsize=\"true\"]\n", i, attrs, x.label, x.pos, x.w, x.h)
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
	for i, x := range boxes {
		got := figure.BoxShapes(boxOf(t, x.pos, x.w, x.h, x.label, x.attrs, dx, dy))
		if w := want.Shapes[fmt.Sprintf("n%d", i)]; !reflect.DeepEqual(got, w) {
			t.Errorf("box %s %q [%s]:\navdoc draws    %+v\nGraphviz draws %+v", x.pos, x.label, x.attrs, got, w)
		}
	}
}

// boxOf is the figure.Box of a box node at pos, w by h inches, labelled
// label, of attributes attrs, moved by (dx, dy), in a graph whose nodes
// are in 11-point Arial in #1d1f23.
func boxOf(t *testing.T, pos, w, h, label, attrs string, dx, dy float64) figure.Box {
	t.Helper()
	c, err := figure.ParsePoint(pos)
	if err != nil {
		t.Fatal(err)
	}
	x := figure.Box{Centre: figure.Point{X: c.X + dx, Y: c.Y + dy}, Lines: strings.Split(label, `\n`),
		Pen: figure.Pen{Color: "#1d1f23", Width: 1, Style: "solid"}, Font: "Arial", Size: 11, Colour: "#1d1f23"}
	fmt.Sscan(w, &x.W)
	fmt.Sscan(h, &x.H)
	x.W, x.H = x.W*72, x.H*72
	for _, kv := range strings.Split(attrs, ", ") {
		k, v, _ := strings.Cut(kv, "=")
		v = strings.Trim(v, `"`)
		switch k {
		case "color":
			x.Pen.Color = v
		case "fontcolor":
			x.Colour = v
		case "penwidth":
			fmt.Sscan(v, &x.Pen.Width)
		case "fontsize":
			fmt.Sscan(v, &x.Size)
		case "style":
			x.Rounded = strings.Contains(v, "rounded")
			x.Pen.Style = strings.Trim(strings.TrimPrefix(v, "rounded"), ",")
			if x.Pen.Style == "" {
				x.Pen.Style = "solid"
			}
		}
	}
	return x
}
