package figure

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	_ "github.com/avdoc/avdoc/internal/golden" // every test package takes -update
)

func TestNum(t *testing.T) {
	for _, c := range []struct {
		x    float64
		want string
	}{{0, "0"}, {-0.004, "0"}, {0.005, "0.01"}, {12, "12"}, {-296.76, "-296.76"}, {1.5, "1.5"}, {3.999, "4"}, {-0.3, "-0.3"}} {
		if got := num(c.x); got != c.want {
			t.Errorf("num(%g) = %q, want %q", c.x, got, c.want)
		}
	}
}

func TestEscape(t *testing.T) {
	for _, c := range []struct{ in, xml, text string }{
		{`a<b>&"c"`, "a&lt;b&gt;&amp;&quot;c&quot;", "a&lt;b&gt;&amp;&quot;c&quot;"},
		{"two  spaces", "two  spaces", "two &#160;spaces"},
		{"it's", "it's", "it&#39;s"},
		{"bell\x07 and \u0085", "bell\uFFFD and \uFFFD", "bell\uFFFD and \uFFFD"},
		{"line\nbreak", "line\nbreak", "line\nbreak"},
	} {
		if got := EscapeXML(c.in); got != c.xml {
			t.Errorf("EscapeXML(%q) = %q, want %q", c.in, got, c.xml)
		}
		if got := escapeText(c.in); got != c.text {
			t.Errorf("escapeText(%q) = %q, want %q", c.in, got, c.text)
		}
	}
}

// graphJSON is a small drawing as Graphviz writes it: a background, a
// node with a bold label, and a dashed edge with its arrowhead.
const graphJSON = `{"name":"g","bb":"0,0,100,50",
"_draw_":[{"op":"c","grad":"none","color":"#fffffe00"},{"op":"C","grad":"none","color":"#ffffff"},{"op":"P","points":[[0,0],[0,50.004],[100,50.004],[100,0]]}],
"objects":[{"name":"n1","_draw_":[{"op":"c","grad":"none","color":"#1d1f23"},{"op":"p","points":[[10,10],[10,40],[40,40],[40,10]]}],
 "_ldraw_":[{"op":"F","size":11,"face":"Arial"},{"op":"t","fontchar":1},{"op":"c","grad":"none","color":"#1d1f23"},{"op":"T","pt":[25,22],"align":"c","width":20,"text":"a<b"}]}],
"edges":[{"id":"e1","_draw_":[{"op":"S","style":"dashed"},{"op":"S","style":"setlinewidth(0.8)"},{"op":"c","grad":"none","color":"#333333"},{"op":"b","points":[[40,25],[50,25],[60,25],[70,25]]}],
 "_hdraw_":[{"op":"S","style":"solid"},{"op":"c","grad":"none","color":"#333333"},{"op":"C","grad":"none","color":"#333333"},{"op":"P","points":[[70,27],[75,25],[70,23]]}]}]}`

func TestParse(t *testing.T) {
	p, err := Parse([]byte(graphJSON))
	if err != nil {
		t.Fatal(err)
	}
	if p.BB != [4]float64{0, 0, 100, 50.004} {
		t.Errorf("BB = %v, want the background's box, more precise than bb", p.BB)
	}
	label := p.Shapes["n1"][1]
	if label.Op != Text || label.Text.S != "a<b" || !label.Text.Bold || label.Text.Size != 11 || label.Pen.Color != "#1d1f23" {
		t.Errorf("label = %+v", label)
	}
	edge := p.Shapes["e1"]
	if len(edge) != 2 || edge[0].Op != Bezier || edge[0].Pen.Style != "dashed" || edge[0].Pen.Width != 0.8 || edge[0].Filled {
		t.Fatalf("edge = %+v", edge)
	}
	if head := edge[1]; head.Op != Polygon || !head.Filled || head.Pen.Style != "solid" || head.Pen.Width != 1 {
		t.Errorf("arrowhead = %+v: each list starts from the default pen", head)
	}
	for _, bad := range []string{`{`, `{"bb":"1,2"}`, `{"bb":"0,0,1,1","objects":[{"name":"x","_draw_":[{"op":"Q"}]}]}`,
		`{"bb":"0,0,1,1","objects":[{"name":"x","_draw_":[{"op":"T","pt":[1]}]}]}`} {
		if _, err := Parse([]byte(bad)); err == nil {
			t.Errorf("Parse(%s) did not fail", bad)
		}
	}
}

// small is the drawing of graphJSON as one figure.
func small(t *testing.T) *Figure {
	t.Helper()
	p, err := Parse([]byte(graphJSON))
	if err != nil {
		t.Fatal(err)
	}
	d := &Drawing{BB: p.BB, Pad: 4, Groups: []Group{
		{Kind: "graph", ID: "graph", Class: "graph", Title: "t", Shapes: p.Shapes["graph"]},
		{Kind: "node", ID: "n1", Class: "node", Title: "node", Shapes: p.Shapes["n1"]},
		{Kind: "edge", ID: "e1", Class: "edge removed", Title: "edge", Shapes: p.Shapes["e1"], Opacity: 0.5},
	}}
	return &Figure{Title: "small & plain", Desc: "a node", Panels: []Panel{{Drawing: d}}}
}

func TestSVG(t *testing.T) {
	svg := string(small(t).SVG())
	for _, want := range []string{
		`<svg width="108pt" height="58pt" viewBox="0.00 0.00 108.00 58.00"`,
		`<title>small &amp; plain</title>`,
		`transform="scale(1 1) rotate(0) translate(4 54)"`,
		`<polygon fill="#ffffff" stroke="none" points="-4,4 -4,-54 104,-54 104,4 -4,4"/>`,
		`<text text-anchor="middle" x="25" y="-22" font-family="Arial" font-weight="bold" font-size="11.00" fill="#1d1f23">a&lt;b</text>`,
		`<path fill="none" stroke="#333333" stroke-width="0.8" stroke-dasharray="5,2" d="M40,-25C50,-25 60,-25 70,-25"/>`,
	} {
		if !strings.Contains(svg, want) {
			t.Errorf("the SVG lacks %s:\n%s", want, svg)
		}
	}
}

func TestSheet(t *testing.T) {
	d := small(t).Panels[0].Drawing // 108×58 points on a page
	f := Sheet([]*Drawing{d, d, d}, []string{"one", "two", "three"}, 2, "#fff", "#000")
	want := []Panel{{X: 8, Y: 34}, {X: 8 + 108 + 24, Y: 34}, {X: 8, Y: 34 + 58 + 24 + 26}}
	for i, p := range f.Panels {
		if p.X != want[i].X || p.Y != want[i].Y {
			t.Errorf("panel %d at %g,%g, want %g,%g", i, p.X, p.Y, want[i].X, want[i].Y)
		}
	}
	if f.Width != 8+108+24+108+8 || f.Height != 8+26+58+24+26+58+8 {
		t.Errorf("page %g×%g", f.Width, f.Height)
	}
	if n := strings.Count(string(f.SVG()), "<svg x="); n != 3 {
		t.Errorf("%d nested drawings, want 3", n)
	}
}

func TestPDF(t *testing.T) {
	fonts, err := LoadFonts()
	if err != nil {
		t.Fatal(err)
	}
	a, err := small(t).PDF(fonts)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := small(t).PDF(fonts)
	if !bytes.Equal(a, b) {
		t.Error("the same figure gave two PDFs")
	}
	if !bytes.Contains(a, []byte(epoch)) || !bytes.HasPrefix(a, []byte("%PDF-")) {
		t.Errorf("no fixed creation date, or not a PDF")
	}
	checkXref(t, a)
}

// checkXref checks that every offset of a PDF's cross-reference table
// points at its object, and startxref at the table.
func checkXref(t *testing.T, pdf []byte) {
	t.Helper()
	m := regexp.MustCompile(`startxref\n([0-9]+)\n`).FindSubmatch(pdf)
	if m == nil {
		t.Fatal("no startxref")
	}
	start, _ := strconv.Atoi(string(m[1]))
	if !bytes.HasPrefix(pdf[start:], []byte("xref\n")) {
		t.Fatalf("startxref %d points at %q", start, pdf[start:min(len(pdf), start+10)])
	}
	offsets := regexp.MustCompile(`(?m)^([0-9]{10}) 00000 n `).FindAllSubmatch(pdf[start:], -1)
	for i, o := range offsets {
		at, _ := strconv.Atoi(string(o[1]))
		if want := strconv.Itoa(i+1) + " 0 obj"; !bytes.HasPrefix(pdf[at:], []byte(want)) {
			t.Errorf("object %d's offset %d points at %q", i+1, at, pdf[at:min(len(pdf), at+12)])
		}
	}
	if len(offsets) < 2 {
		t.Errorf("%d objects", len(offsets))
	}
}

func TestFixedDateShifts(t *testing.T) {
	// a creation date with a time zone is longer than epoch: every offset
	// after it moves back
	body := "%PDF-1.7\n1 0 obj\n<</CreationDate (D:20261202131200+0100)>>\nendobj\n2 0 obj\n<<>>\nendobj\n"
	o1, o2 := strings.Index(body, "1 0 obj"), strings.Index(body, "2 0 obj")
	doc := []byte(body + fmt.Sprintf("xref\n0 3\n0000000000 65535 f \n%010d 00000 n \n%010d 00000 n \ntrailer\n<<>>\nstartxref\n%d\n%%%%EOF\n", o1, o2, len(body)))
	checkXref(t, doc)
	out, err := normalize(doc)
	if err != nil {
		t.Fatal(err)
	}
	checkXref(t, out)
}

func TestPNG(t *testing.T) {
	fonts, err := LoadFonts()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		scale float64
		ok    bool
	}{{1, true}, {2, true}, {0, false}, {-1, false}, {17, false}} {
		out, err := small(t).PNG(fonts, c.scale)
		if (err == nil) != c.ok {
			t.Errorf("scale %g: err %v", c.scale, err)
			continue
		}
		if c.ok && !bytes.HasPrefix(out, []byte("\x89PNG")) {
			t.Errorf("scale %g: not a PNG", c.scale)
		}
	}
	huge := small(t)
	huge.Panels[0].Drawing.BB = [4]float64{0, 0, 1e5, 1e5}
	if _, err := huge.PNG(fonts, 1); err == nil || !strings.Contains(err.Error(), "--scale") {
		t.Errorf("a 10^10-pixel PNG: %v, want a refusal that names --scale", err)
	}
}
