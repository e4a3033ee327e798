package render

import (
	"reflect"
	"strings"
	"testing"
)

// TestLookOf: the looks avdoc measures are described as Graphviz reads
// them, and any attribute, shape or label it does not know leaves the
// look to Graphviz.
func TestLookOf(t *testing.T) {
	box := []attr{str("shape", "box"), str("fontsize", "10"), str("height", "0.3"), str("margin", "0.1,0.04")}
	table := `<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="0" CELLPADDING="4" ROWS="*" COLOR="#1d1f23">` +
		`<TR><TD BGCOLOR="#eeeeee"><B>C2:heap</B><BR/>and 997 more like it</TD></TR><TR><TD>pgoff 0x100</TD></TR></TABLE>`
	known := []struct {
		as   []attr
		want Look
	}{
		{append(box, str("peripheries", "2"), str("label", "AVC 4\nx 998")),
			Look{Shape: "box", FontSize: 10, Margin: []float64{0.1, 0.04}, Width: 0.75, Height: 0.3, Peripheries: 2, Lines: []string{"AVC 4", "x 998"}}},
		{[]attr{str("shape", "note"), html("label", "a<BR/><B>b &amp; c</B>")},
			Look{Shape: "note", FontSize: 11, Width: 0.75, Height: 0.5, Peripheries: -1, HTML: []HTMLLine{{Text: "a"}, {Text: "b & c", Bold: true}}}},
		{[]attr{str("shape", "plaintext"), str("margin", "0.08"), str("width", "2"), str("label", "P")},
			Look{Shape: "plaintext", FontSize: 11, Margin: []float64{0.08}, Width: 2, Height: 0.5, Peripheries: -1, Lines: []string{"P"}}},
	}
	for _, c := range known {
		if got := lookOf(c.as); !reflect.DeepEqual(got, c.want) {
			t.Errorf("lookOf(%v) = %+v, want %+v", c.as, got, c.want)
		}
	}
	lk := lookOf([]attr{str("shape", "plain"), html("label", table)})
	if lk.Table == nil || len(lk.Table.Rows) != 2 || len(lk.Table.Rows[0].More) != 1 || lk.Table.Pad != 4 {
		t.Errorf("lookOf(table) = %+v", lk)
	}
	unknown := [][]attr{
		{str("shape", "cylinder"), str("peripheries", "1"), str("label", "swap")},
		{str("shape", "doubleoctagon"), str("peripheries", "2"), str("label", "OOPS")},
		{str("shape", "ellipse"), str("label", "e")},
		{str("shape", "box")},
		{str("shape", "box"), str("label", "")},
		{str("label", "no shape")},
		{str("shape", "box"), str("label", "a\\lb")},
		{str("shape", "box"), str("label", "a &amp; b")},
		{str("shape", "box"), str("label", "tab\there")},
		{str("shape", "box"), str("label", "a\n\nb")},
		{str("shape", "box"), str("fontname", "Times"), str("label", "x")},
		{str("shape", "box"), str("fixedsize", "true"), str("label", "x")},
		{str("shape", "box"), str("peripheries", "3"), str("label", "x")},
		{str("shape", "box"), str("margin", "1,2,3"), str("label", "x")},
		{str("shape", "box"), str("margin", "-1"), str("label", "x")},
		{str("shape", "box"), str("fontsize", "0.5"), str("label", "x")},
		{str("shape", "plaintext"), str("peripheries", "1"), str("label", "x")},
		{str("shape", "plaintext"), html("label", "x")},
		{str("shape", "plain"), str("label", "x")},
		{str("shape", "plain"), str("margin", "0.1"), html("label", table)},
		{str("shape", "plain"), html("label", strings.Replace(table, `CELLBORDER="0"`, `CELLBORDER="1"`, 1))},
		{str("shape", "box"), html("label", "<FONT>x</FONT>")},
	}
	for _, as := range unknown {
		if lk := lookOf(as); lk.Shape != "" {
			t.Errorf("lookOf(%v) = %+v, want a look for Graphviz", as, lk)
		}
	}
}

// TestMeasuredSizes: looks measured already are left out of the sizing
// graph and taken as "plain" would write them; Graphviz measures the
// rest, and none left means no sizing graph.
func TestMeasuredSizes(t *testing.T) {
	l := NewLayout(story())
	n := len(l.Looks())
	measured := map[int]LookSize{0: {Width: 1.00000001, Height: 0.3000049}}
	dot := l.SizingDOTWithout(measured)
	if strings.Contains(string(dot), "\tlook0 [") || !strings.Contains(string(dot), "\tlook1 [") {
		t.Fatalf("sizing graph without look0:\n%s", dot)
	}
	if err := l.SetMeasuredSizes(measured, fakeSizes(t, dot)); err != nil {
		t.Fatal(err)
	}
	if got := l.natural[0]; got != [2]int{72, 22} {
		t.Errorf("look0 is %v points, want [72 22] (1 by 0.3 inches, as plain writes them)", got)
	}
	if err := l.SetMeasuredSizes(measured, fakeSizes(t, l.SizingDOT())[:20]); err == nil {
		t.Error("SetMeasuredSizes accepted Graphviz's measure of too few looks")
	}
	all := map[int]LookSize{}
	for i := range n {
		all[i] = LookSize{Width: 1, Height: 0.5}
	}
	if dot := l.SizingDOTWithout(all); dot != nil {
		t.Errorf("sizing graph of no look:\n%s", dot)
	}
	if err := l.SetMeasuredSizes(all, nil); err != nil || l.natural[n-1] != [2]int{72, 36} {
		t.Errorf("SetMeasuredSizes(all, nil) = %v, last look %v", err, l.natural[n-1])
	}
}
