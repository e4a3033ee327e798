package illustrate

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/avdoc/avdoc/render"
	"github.com/avdoc/avdoc/render/gv"
)

// TestLookSizesAsGraphviz: every look of every shipped story, drawn as
// the site draws it and with the legend, measured by avdoc (see
// lookSizes) exactly as Graphviz's nop measures it in "plain"; the
// looks avdoc does not know are counted, and none may be one it does.
func TestLookSizesAsGraphviz(t *testing.T) {
	files, err := filepath.Glob("../stories/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no stories: %v", err)
	}
	g := newGraphviz(t)
	var known, all int
	for _, file := range files {
		res := load(t, file)
		for _, st := range []Style{SiteStyle(), {Theme: render.ThemeDark}} {
			var pics []*render.Picture
			for k := range res.Runs {
				for i := range res.Runs[k].Steps {
					pics = append(pics, render.Draw(&res.Runs[k].Steps[i].State, StepOptions(&res.Runs[k], i, st)))
				}
			}
			l := render.NewLayout(pics)
			known += checkLookSizes(t, g, l.SizingDOT(), lookSizes(l.Looks()))
			all += len(l.Looks())
		}
	}
	t.Logf("avdoc measured %d of %d looks", known, all)
	if known == 0 {
		t.Fatal("avdoc measured no look")
	}
}

// checkLookSizes has Graphviz measure the looks of a sizing graph and
// fails on any look avdoc measured otherwise; it returns how many avdoc
// measured.
func checkLookSizes(t *testing.T, g *gv.Renderer, dot []byte, measured map[int]render.LookSize) int {
	t.Helper()
	plain, err := g.Render(context.Background(), dot, gv.NOP, gv.Plain)
	if err != nil {
		t.Fatal(err)
	}
	nodes := map[int][2]string{}
	for line := range strings.Lines(string(plain)) {
		f := strings.Fields(line)
		if len(f) < 6 || f[0] != "node" {
			continue
		}
		i, err := strconv.Atoi(strings.TrimPrefix(f[1], "look"))
		if err != nil {
			t.Fatalf("plain line %q", line)
		}
		nodes[i] = [2]string{f[4], f[5]}
	}
	g5 := func(f float64) string { return strconv.FormatFloat(f, 'g', 5, 64) }
	for i, s := range measured {
		got, want := [2]string{g5(s.Width), g5(s.Height)}, nodes[i]
		if got != want {
			t.Errorf("look%d: avdoc measures %v, Graphviz %v:\n%s", i, got, want, lookLine(dot, i))
		}
	}
	return len(measured)
}

// lookLine is look i's line of a sizing graph.
func lookLine(dot []byte, i int) string {
	for line := range strings.Lines(string(dot)) {
		if strings.HasPrefix(line, "\tlook"+strconv.Itoa(i)+" [") {
			return line
		}
	}
	return "(none)"
}

// TestSyntheticLookSizesAsGraphviz: looks no story draws yet, measured
// by avdoc exactly as Graphviz's nop measures them: odd texts and font
// sizes, bold and italic lines, two peripheries, labels wider and
// narrower than the node, margins of one number, of two and of none,
// cylinders and octagons, tables of one to four rows, cells of two
// lines and of a WIDTH, tables of a WIDTH and HEIGHT.
func TestSyntheticLookSizesAsGraphviz(t *testing.T) {
	h := func(s string) render.HTMLLine { return render.HTMLLine{Text: s} }
	b := func(s string) render.HTMLLine { return render.HTMLLine{Text: s, Bold: true} }
	it := func(s string) render.HTMLLine { return render.HTMLLine{Text: s, Italic: true} }
	row := func(lines ...render.HTMLLine) render.TableRow {
		return render.TableRow{Line: lines[0], More: lines[1:]}
	}
	box := render.Look{Shape: "box", FontSize: 10, Margin: []float64{0.1, 0.04}, Width: 0.75, Height: 0.3, Peripheries: -1}
	with := func(lk render.Look, f func(*render.Look)) render.Look { f(&lk); return lk }
	looks := []render.Look{
		with(box, func(l *render.Look) { l.Lines = []string{"AVC 1"} }),
		with(box, func(l *render.Look) { l.Lines = []string{"AVC 2000 with a much longer line: WWW MMM @@@"} }),
		with(box, func(l *render.Look) { l.Lines, l.Peripheries = []string{"AVC 4", "x 998"}, 2 }),
		with(box, func(l *render.Look) {
			l.Lines, l.Margin, l.Peripheries = []string{"one", "two", "three"}, []float64{0.3}, 1
		}),
		with(box, func(l *render.Look) { l.Lines, l.Margin, l.FontSize = []string{"no margin {}|~"}, nil, 7.5 }),
		with(box, func(l *render.Look) { l.Lines, l.Width, l.Height = []string{"wide node"}, 2.25, 1.1 }),
		with(box, func(l *render.Look) {
			l.Margin, l.FontSize, l.HTML = []float64{0.12, 0.05}, 11, []render.HTMLLine{h("anon_vma"), b("P:heap"), it("freed")}
		}),
		with(box, func(l *render.Look) {
			l.Margin, l.FontSize, l.Peripheries, l.HTML = []float64{0.12, 0.05}, 11, 2, []render.HTMLLine{h(`a & <b> "q"`)}
		}),
		{Shape: "note", FontSize: 10, Width: 0.75, Height: 0.5, Peripheries: 2,
			HTML: []render.HTMLLine{h("pages 1..1000 (1000)"), h("P:heap:0..999"), h("index 0x100..0x4e7")}},
		{Shape: "note", FontSize: 10, Width: 0.75, Height: 0.5, Peripheries: -1, HTML: []render.HTMLLine{b("page 1"), h("P:heap:0, C:heap:0")}},
		{Shape: "note", FontSize: 13, Width: 0.75, Height: 0.5, Peripheries: 1, HTML: []render.HTMLLine{h("x")}},
		{Shape: "plaintext", FontSize: 12, Margin: []float64{0.08, 0}, Width: 0.75, Height: 0.5, Peripheries: -1, Lines: []string{"P"}},
		{Shape: "plaintext", FontSize: 12, Margin: []float64{0.08, 0}, Width: 0.75, Height: 0.5, Peripheries: -1,
			Lines: []string{"C2 .. C999: 998 processes", "and a second line"}},
		{Shape: "plaintext", FontSize: 9, Width: 0.75, Height: 0.5, Peripheries: -1, Lines: []string{"no margin at all, quite long"}},
		{Shape: "cylinder", FontSize: 10, Width: 0.75, Height: 0.5, Peripheries: -1,
			Lines: []string{"swap slot 1", "P:heap:0, C:heap:0", "2 entries in page tables"}},
		{Shape: "cylinder", FontSize: 10, Width: 0.75, Height: 0.5, Peripheries: -1, Lines: []string{"s"}},
		{Shape: "doubleoctagon", FontSize: 11, Width: 0.75, Height: 0.5, Peripheries: -1, Lines: []string{"OOPS"}},
		{Shape: "doubleoctagon", FontSize: 11, Width: 0.75, Height: 0.5, Peripheries: -1,
			HTML: []render.HTMLLine{b("kernel BUG"), h("at mm/rmap.c:1234"), it("three lines leave no room")}},
		{Shape: "octagon", FontSize: 14, Width: 1.5, Height: 0.5, Peripheries: -1, Lines: []string{"x"}},
	}
	tables := []render.DrawnTable{
		{Pad: 4, Rows: []render.TableRow{row(b("P:heap"))}},
		{Pad: 4, Ruled: true, Rows: []render.TableRow{row(b("C2:heap"), h("and 997 more like it")), row(h("pages 0x100..0x4e7 rw"))}},
		{Pad: 0, Rows: []render.TableRow{row(it("i")), row(h("pgoff 0x100")), row(b("WIDE BOLD TEXT"))}},
		{Pad: 6, Width: 200, Height: 90, Rows: []render.TableRow{row(b("a")), row(h("b")), row(h("c"), it("d")), row(h("e"))}},
		{Pad: 3, Rows: []render.TableRow{{Line: h("narrow"), Width: 150}, row(h("x"))}},
		{Pad: 2, Width: 10, Height: 10, Rows: []render.TableRow{row(h("the table's WIDTH is too small"))}},
	}
	for _, tb := range tables {
		looks = append(looks, render.Look{Shape: "plain", FontSize: 11, Width: 0.75, Height: 0.5, Peripheries: -1, Table: &tb})
	}
	var dot strings.Builder
	dot.WriteString("digraph sizes {\n\tgraph [overlap=\"true\"]\n\tnode [fontname=\"Arial\", fontsize=\"11\"]\n")
	for i, lk := range looks {
		fmt.Fprintf(&dot, "\tlook%d [%s, pos=\"0,%d\"]\n", i, lookAttrs(lk), 100*i)
	}
	dot.WriteString("}\n")
	if n := checkLookSizes(t, newGraphviz(t), []byte(dot.String()), lookSizes(looks)); n != len(looks) {
		t.Errorf("avdoc measured %d of %d looks", n, len(looks))
	}
}

// lookAttrs is look lk as a sizing graph's node's attributes.
func lookAttrs(lk render.Look) string {
	g := func(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
	as := []string{`shape="` + lk.Shape + `"`, `fontsize="` + g(lk.FontSize) + `"`,
		`width="` + g(lk.Width) + `"`, `height="` + g(lk.Height) + `"`}
	if lk.Margin != nil {
		var ms []string
		for _, m := range lk.Margin {
			ms = append(ms, g(m))
		}
		as = append(as, `margin="`+strings.Join(ms, ",")+`"`)
	}
	if lk.Peripheries >= 0 {
		as = append(as, fmt.Sprintf(`peripheries="%d"`, lk.Peripheries))
	}
	switch {
	case lk.Table != nil:
		as = append(as, "label=<"+lookTable(lk.Table)+">")
	case lk.HTML != nil:
		as = append(as, "label=<"+lookHTML(lk.HTML)+">")
	default:
		as = append(as, `label="`+strings.Join(lk.Lines, `\n`)+`"`)
	}
	return strings.Join(as, ", ")
}

// lookHTML is lines as an HTML-like label's.
func lookHTML(lines []render.HTMLLine) string {
	esc := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")
	var out []string
	for _, l := range lines {
		s := esc.Replace(l.Text)
		switch {
		case l.Bold:
			s = "<B>" + s + "</B>"
		case l.Italic:
			s = "<I>" + s + "</I>"
		}
		out = append(out, s)
	}
	return strings.Join(out, "<BR/>")
}

// lookTable is t as an HTML-like TABLE label.
func lookTable(t *render.DrawnTable) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="0" CELLPADDING="%d" COLOR="#000000"`, t.Pad)
	if t.Ruled {
		b.WriteString(` ROWS="*"`)
	}
	if t.Width > 0 {
		fmt.Fprintf(&b, ` WIDTH="%d" HEIGHT="%d"`, t.Width, t.Height)
	}
	b.WriteString(">")
	for _, r := range t.Rows {
		b.WriteString("<TR><TD")
		if r.Width > 0 {
			fmt.Fprintf(&b, ` WIDTH="%d"`, r.Width)
		}
		b.WriteString(">" + lookHTML(append([]render.HTMLLine{r.Line}, r.More...)) + "</TD></TR>")
	}
	b.WriteString("</TABLE>")
	return b.String()
}
