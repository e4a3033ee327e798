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
	"github.com/avdoc/avdoc/render"
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

// TestHTMLBoxesAsGraphviz: box and note nodes of fixed size with
// HTML-like labels of lines, as the anon_vmas and pages have them:
// filled or not, rounded or square, dashed or dotted, two peripheries,
// a wide pen, one to six lines, bold and italic lines (which change how
// Graphviz spaces them), every printable ASCII character but the
// backslash, text Graphviz escapes; and a note with a plain label.
func TestHTMLBoxesAsGraphviz(t *testing.T) {
	b, i := func(s string) figure.HTMLLine { return figure.HTMLLine{S: s, Bold: true} }, func(s string) figure.HTMLLine { return figure.HTMLLine{S: s, Italic: true} }
	p := func(s string) figure.HTMLLine { return figure.HTMLLine{S: s} }
	boxes := []struct {
		attrs, label string
		lines        []figure.HTMLLine
	}{
		{`shape="box", pos="221,525.72", width="0.9583", height="0.5000", style="rounded,filled", fillcolor="#e8f0fb", color="#1f77b4"`,
			`anon_vma<BR/><B>P:heap</B>`, []figure.HTMLLine{p("anon_vma"), b("P:heap")}},
		{`shape="box", pos="121.36,277.72", width="1.1111", height="0.8472", style="rounded,filled,dashed", fillcolor="#fdecea", color="#d62728", penwidth="3"`,
			`anon_vma<BR/><B>C2:heap</B><BR/>degree 1<BR/><I>freed</I>`, []figure.HTMLLine{p("anon_vma"), b("C2:heap"), p("degree 1"), i("freed")}},
		{`shape="box", pos="328,191.72", width="1.1111", height="0.6806", style="rounded,filled", peripheries="2", fillcolor="#e8f0fb", color="#1f77b4"`,
			`anon_vma<BR/><B>C2:heap</B><BR/>x 998`, []figure.HTMLLine{p("anon_vma"), b("C2:heap"), p("x 998")}},
		{`shape="box", pos="284.5,68", width="0.9583", height="0.5000", style="rounded,dashed", fillcolor="#e8f0fb", color="#aaaaaa", fontcolor="#aaaaaa"`,
			`anon_vma<BR/><B>a &amp; &lt;b&gt;-c</B>`, []figure.HTMLLine{p("anon_vma"), b("a & <b>-c")}},
		{`shape="box", pos="60.125,60.875", width="0.7", height="0.3", style="rounded,filled", fillcolor="#e8f0fb", color="#1f77b4"`,
			`<B>one</B>`, []figure.HTMLLine{b("one")}},
		{`shape="note", pos="489,434.72", width="1.4444", height="0.7778", style="filled", fillcolor="#fff7d6", fontsize="10"`,
			`page 1<BR/>C:heap:0<BR/>index 0x100<BR/>mapped once`, []figure.HTMLLine{p("page 1"), p("C:heap:0"), p("index 0x100"), p("mapped once")}},
		{`shape="note", pos="393.49,118", width="1.0694", height="0.9444", style="filled", peripheries="2", fillcolor="#fff7d6", fontsize="10", color="#7b3fa0", penwidth="2"`,
			`page 3<BR/>G:heap:0<BR/>index 0x100<BR/>mapped once<BR/>swap cache`, []figure.HTMLLine{p("page 3"), p("G:heap:0"), p("index 0x100"), p("mapped once"), p("swap cache")}},
		{`shape="note", pos="303.49,628.001", width="1.0694", height="0.7778", style="dashed", fillcolor="#fff7d6", fontsize="10"`,
			`page 3<BR/>P:heap:2<BR/>index 0x102<BR/>mapped once`, []figure.HTMLLine{p("page 3"), p("P:heap:2"), p("index 0x102"), p("mapped once")}},
		{`shape="box", pos="200.5,150.25", width="1.2", height="0.6", style="dotted,filled", peripheries="2", fillcolor="#e8f0fb"`,
			`<I>italic only</I>`, []figure.HTMLLine{i("italic only")}},
		{`shape="note", pos="150.25,400.5", width="0.5", height="0.3", style="filled", fillcolor="#fff7d6", fontsize="7"`,
			`x`, []figure.HTMLLine{p("x")}},
		{`shape="note", pos="350.25,500.5", width="0.9", height="0.5", style="filled", peripheries="2", fillcolor="#e0e0e0", fontsize="10"`,
			`"zero page\nx 2"`, nil},
		{`shape="box", pos="250,400", width="3.5", height="1.2", style="rounded,filled", fillcolor="#e8f0fb"`,
			`!"#$%&amp;'()*+,-./0123456789:;&lt;=&gt;?@<BR/><B>!"#$%&amp;'()*+,-./0123456789:;&lt;=&gt;?@</B><BR/>ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_` + "`" +
				`<BR/><B>ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_` + "`" + `</B><BR/>abcdefghijklmnopqrstuvwxyz{|}~<BR/><B>abcdefghijklmnopqrstuvwxyz{|}~</B>`,
			[]figure.HTMLLine{p(`!"#$%&'()*+,-./0123456789:;<=>?@`), b(`!"#$%&'()*+,-./0123456789:;<=>?@`), p("ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`"),
				b("ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`"), p("abcdefghijklmnopqrstuvwxyz{|}~"), b("abcdefghijklmnopqrstuvwxyz{|}~")}},
	}
	defaults := `fontname="Arial", fontsize="11", fontcolor="#1d1f23", color="#1d1f23"`
	var body strings.Builder
	body.WriteString("\tnode [" + defaults + "]\n")
	for i, x := range boxes {
		label := "<" + x.label + ">"
		if x.lines == nil { // a plain label
			label = x.label
		}
		fmt.Fprintf(&body, "\tn%d [fixedsize=\"true\", margin=\"0.12,0.05\", %s, label=%s]\n", i, x.attrs, label)
	}
	want, shift := graphvizPieces(t, "", body.String())
	for i, x := range boxes {
		a := testAttrs(t, x.attrs, testAttrs(t, defaults, map[string]string{"penwidth": "1", "style": "solid", "peripheries": "1"}))
		c, err := figure.ParsePoint(a["pos"])
		if err != nil {
			t.Fatal(err)
		}
		fill := ""
		if strings.Contains(a["style"], "filled") {
			fill = a["fillcolor"]
		}
		var plain []string
		if x.lines == nil {
			plain = strings.Split(strings.Trim(x.label, `"`), `\n`)
		}
		pen := testPen(t, a)
		pen.Style = cmp.Or(strings.Trim(strings.ReplaceAll(pen.Style, "filled", ""), ","), "solid")
		got := figure.BoxShapes(figure.Box{Centre: figure.Point{X: c.X + shift.X, Y: c.Y + shift.Y},
			W: testFloat(t, a["width"]) * 72, H: testFloat(t, a["height"]) * 72, Rounded: strings.Contains(a["style"], "rounded"),
			Note: a["shape"] == "note", Peripheries: int(testFloat(t, a["peripheries"])), Pen: pen, Fill: fill, Lines: plain, HTML: x.lines,
			Font: a["fontname"], Size: testFloat(t, a["fontsize"]), Colour: a["fontcolor"]})
		if w := want.Shapes[fmt.Sprintf("n%d", i)]; !reflect.DeepEqual(got, w) {
			t.Errorf("node [%s, label=<%s>]:\navdoc draws    %+v\nGraphviz draws %+v", x.attrs, x.label, got, w)
		}
	}
}

// TestHTMLWidthsAsGraphviz: each printable ASCII character but the
// backslash, regular and bold, twelve times on a line, so that its
// width in Graphviz's table, off by one unit, would move the line by
// more than a hundredth of a point: each line starts where Graphviz
// starts it.
func TestHTMLWidthsAsGraphviz(t *testing.T) {
	var body strings.Builder
	var lines []figure.HTMLLine
	body.WriteString("\tnode [fontname=\"Arial\", fontsize=\"11\", fontcolor=\"#1d1f23\", color=\"#1d1f23\", shape=\"box\", fixedsize=\"true\", width=\"1\", height=\"0.2\"]\n")
	for c := byte(' ') + 1; c <= '~'; c++ {
		if c == '\\' {
			continue
		}
		s := strings.Repeat(string(c), 12)
		text := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
		for _, bold := range []bool{false, true} {
			label := text
			if bold {
				label = "<B>" + text + "</B>"
			}
			at := widthsAt(len(lines))
			fmt.Fprintf(&body, "\tn%d [pos=\"%g,%g\", label=<%s>]\n", len(lines), at.X, at.Y, label)
			lines = append(lines, figure.HTMLLine{S: s, Bold: bold})
		}
	}
	want, shift := graphvizPieces(t, "", body.String())
	for i, l := range lines {
		at := widthsAt(i)
		got := figure.BoxShapes(figure.Box{Centre: figure.Point{X: at.X + shift.X, Y: at.Y + shift.Y}, W: 72, H: 14.4,
			Pen: figure.Pen{Color: "#1d1f23", Width: 1, Style: "solid"}, HTML: []figure.HTMLLine{l}, Font: "Arial", Size: 11, Colour: "#1d1f23"})
		if w := want.Shapes[fmt.Sprintf("n%d", i)]; !reflect.DeepEqual(got, w) {
			t.Errorf("line %+v:\navdoc draws    %+v\nGraphviz draws %+v", l, got, w)
		}
	}
}

// widthsAt is where TestHTMLWidthsAsGraphviz puts its ith line: in three
// columns, within the graph's corners.
func widthsAt(i int) figure.Point {
	return figure.Point{X: float64(80 + 120*(i%3)), Y: float64(10 + 11*(i/3))}
}

// TestTablesAsGraphviz: plain nodes whose labels are HTML-like tables
// of one column, as the VMAs have them: one to four rows, bold, italic
// or plain, with and without a filled row or rules, a WIDTH and HEIGHT
// larger than the content or smaller, a cell's WIDTH, another padding,
// font size and colour, odd positions, text Graphviz escapes.
func TestTablesAsGraphviz(t *testing.T) {
	b, i := func(s string) figure.HTMLLine { return figure.HTMLLine{S: s, Bold: true} }, func(s string) figure.HTMLLine { return figure.HTMLLine{S: s, Italic: true} }
	p := func(s string) figure.HTMLLine { return figure.HTMLLine{S: s} }
	row := func(l figure.HTMLLine, width float64, fill string) figure.TableRow {
		return figure.TableRow{Line: l, Width: width, Fill: fill}
	}
	tables := []struct {
		attrs string // the node's, but its label
		t     figure.Table
	}{
		{`pos="81,215"`, figure.Table{Width: 124, Height: 66, Pad: 4, Ruled: true, Color: "#1d1f23",
			Rows: []figure.TableRow{row(b("P:heap"), 122, "#eeeeee"), row(p("pages 0x100..0x4e7 rw"), 0, ""), row(p("pgoff 0x100"), 0, "")}}},
		{`pos="81.36,70.11"`, figure.Table{Width: 146, Height: 87, Pad: 4, Ruled: true, Color: "#1d1f23",
			Rows: []figure.TableRow{row(b("C:heap"), 144, "#eeeeee"), row(p("pages 0x100..0x101 rw"), 0, ""), row(p("pgoff 0x100"), 0, "")}}},
		{`pos="300.125,600.875"`, figure.Table{Pad: 4, Color: "#aaaaaa", Rows: []figure.TableRow{row(p("x"), 0, "")}}},
		{`pos="250.5,480.25"`, figure.Table{Width: 40, Height: 10, Pad: 3, Ruled: true, Color: "#1f77b4",
			Rows: []figure.TableRow{row(b(`a & <b> "c"`), 0, ""), row(i("freed"), 0, "#fdecea")}}},
		{`pos="200.001,330.999", fontsize="14", fontcolor="#d62728"`, figure.Table{Width: 150, Height: 120, Pad: 4, Ruled: true, Color: "#7b3fa0",
			Rows: []figure.TableRow{row(b("G:stack"), 148, "#eeeeee"), row(p("page 0x7ff0 ro"), 0, ""), row(p("pgoff 0x7ff0"), 0, ""),
				row(p("rmap visit 1: found at 0x7ff0000"), 0, "#fff2cc")}}},
		{`pos="120.75,120.25"`, figure.Table{Width: 60, Height: 30, Pad: 0, Ruled: true, Color: "#1d1f23",
			Rows: []figure.TableRow{row(p("{}[]|~`^_!?'#$%*+,-./:;=@"), 58, "#e0e0e0"), row(b("(0123456789)"), 0, "")}}},
	}
	defaults := `fontname="Arial", fontsize="11", fontcolor="#1d1f23", color="#1d1f23"`
	var body strings.Builder
	body.WriteString("\tnode [" + defaults + "]\n")
	for k, x := range tables {
		fmt.Fprintf(&body, "\tn%d [shape=\"plain\", %s, label=<%s>]\n", k, x.attrs, tableLabel(x.t))
	}
	want, shift := graphvizPieces(t, "", body.String())
	for k, x := range tables {
		a := testAttrs(t, x.attrs, testAttrs(t, defaults, nil))
		c, err := figure.ParsePoint(a["pos"])
		if err != nil {
			t.Fatal(err)
		}
		tb := x.t
		tb.Centre, tb.Font, tb.Size, tb.Colour = figure.Point{X: c.X + shift.X, Y: c.Y + shift.Y}, a["fontname"], testFloat(t, a["fontsize"]), a["fontcolor"]
		if got, w := figure.TableShapes(tb), want.Shapes[fmt.Sprintf("n%d", k)]; !reflect.DeepEqual(got, w) {
			t.Errorf("table [%s, label=<%s>]:\navdoc draws    %+v\nGraphviz draws %+v", x.attrs, tableLabel(x.t), got, w)
		}
	}
}

// tableLabel is t as an HTML-like label, written as render writes one.
func tableLabel(t figure.Table) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="0" CELLPADDING="%d"`, t.Pad)
	if t.Ruled {
		b.WriteString(` ROWS="*"`)
	}
	fmt.Fprintf(&b, ` COLOR="%s"`, t.Color)
	if t.Width > 0 {
		fmt.Fprintf(&b, ` WIDTH="%g" HEIGHT="%g"`, t.Width, t.Height)
	}
	b.WriteString(">")
	esc := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace
	for _, r := range t.Rows {
		b.WriteString("<TR><TD")
		if r.Width > 0 {
			fmt.Fprintf(&b, ` WIDTH="%g"`, r.Width)
		}
		if r.Fill != "" {
			fmt.Fprintf(&b, ` BGCOLOR="%s"`, r.Fill)
		}
		text := esc(r.Line.S)
		switch {
		case r.Line.Bold:
			text = "<B>" + text + "</B>"
		case r.Line.Italic:
			text = "<I>" + text + "</I>"
		}
		b.WriteString(">" + text + "</TD></TR>")
	}
	b.WriteString("</TABLE>")
	return b.String()
}

// TestBlankPiecesAsGraphviz: a pieces graph with nothing for Graphviz
// to draw but its background is drawn without Graphviz as Graphviz
// draws it: the box (its size at odd corners, whose "%.2f" rounds either
// way) and the background piece. Every blank pieces graph of two shipped
// stories, as the site draws them in both themes, is too; and a graph
// with a piece for Graphviz (a legend) is not blank.
func TestBlankPiecesAsGraphviz(t *testing.T) {
	ctx := context.Background()
	g := newGraphviz(t)
	graph := `class="avdoc", rankdir="LR", newrank="true", fontname="Arial", fontsize="12", fontcolor="#1d1f23", bgcolor="#fafafa", nodesep="0.2", ranksep="0.5"`
	corners := [][4]float64{{-8.000999999999998, 0, 550, 1049}, {0, 0, 1, 1}, {-3.125, -7.375, 100.004, 200.006}, {12.5, 0.28, 412.3349, 99.9951}}
	for _, c := range corners {
		dot := fmt.Sprintf("digraph pieces {\n\tgraph [id=\"graph\", %s]\n\tcorner0 [%s, pos=\"%g,%g\"]\n\tcorner1 [%s, pos=\"%g,%g\"]\n}\n",
			graph, blankPoint, c[0], c[1], blankPoint, c[2], c[3])
		const half = 0.36 // a corner point's half width
		got, err := figure.BlankPieces((c[2]+half)-(c[0]-half), (c[3]+half)-(c[1]-half), "#fafafa")
		if err != nil {
			t.Fatal(err)
		}
		checkBlank(t, g, dot, got)
	}
	dark := SiteStyle()
	dark.Theme = render.ThemeDark
	blank, full := 0, 0
	for _, file := range []string{"../stories/03-cow.yaml", "../stories/10-hibernation-oops.yaml"} {
		for _, st := range []Style{SiteStyle(), dark, {Theme: render.ThemeLight}} { // the last with legends, for Graphviz
			d, err := Draw(ctx, g, load(t, file), st)
			if err != nil {
				t.Fatal(err)
			}
			for _, run := range d.places {
				for _, pl := range run {
					pcs := pl.lay.PiecesScenes()
					if !pcs.Blank {
						full++
						continue
					}
					blank++
					got, err := figure.BlankPieces(pcs.Size[0], pcs.Size[1], pcs.Background)
					if err != nil {
						t.Fatal(err)
					}
					checkBlank(t, g, string(pcs.DOT), got)
				}
			}
		}
	}
	if blank == 0 || full == 0 {
		t.Errorf("%d pieces graphs of shipped stories are blank, %d not: want some of each", blank, full)
	}
}

// checkBlank has Graphviz draw dot and holds got to its drawing.
func checkBlank(t *testing.T, g *gv.Renderer, dot string, got *figure.Pieces) {
	t.Helper()
	svg, err := g.Render(context.Background(), []byte(dot), gv.NOP2, gv.SVG)
	if err != nil {
		t.Fatal(err)
	}
	want, err := figure.ParseSVG(svg)
	if err != nil {
		t.Fatal(err)
	}
	if got.BB != want.BB || !reflect.DeepEqual(got.Shapes, want.Shapes) {
		t.Errorf("%s\navdoc draws    %v %+v\nGraphviz draws %v %+v", dot, got.BB, got.Shapes, want.BB, want.Shapes)
	}
}
