package render

import (
	"reflect"
	"strings"
	"testing"
)

// TestDrawnEdge: avdoc draws an edge's look itself only when it knows
// every attribute of it as Graphviz draws it; any other look is
// Graphviz's to draw.
func TestDrawnEdge(t *testing.T) {
	pos := str("pos", "e,1,2 3,4 5,6 7,8 9,10")
	col := str("color", "#1f77b4")
	tests := []struct {
		name  string
		as    []attr
		ok    bool
		head  bool
		style string
		width float64
	}{
		{"plain", []attr{pos, col}, true, true, "solid", 1.3},
		{"dashed, thin", []attr{pos, col, str("style", "dashed"), str("penwidth", "0.8"), str("constraint", "true"), str("weight", "4")}, true, true, "dashed", 0.8},
		{"dotted", []attr{pos, col, str("style", "dotted")}, true, true, "dotted", 1.3},
		{"no arrowhead", []attr{pos, col, str("arrowhead", "none")}, true, false, "solid", 1.3},
		{"no direction", []attr{pos, col, str("dir", "none")}, true, false, "solid", 1.3},
		{"none then normal", []attr{pos, col, str("dir", "none"), str("arrowhead", "normal")}, true, false, "solid", 1.3},
		{"forward", []attr{pos, col, str("dir", "forward")}, true, true, "solid", 1.3},
		{"both ways", []attr{pos, col, str("dir", "both")}, false, false, "", 0},
		{"another arrowhead", []attr{pos, col, str("arrowhead", "dot")}, false, false, "", 0},
		{"bold", []attr{pos, col, str("style", "bold")}, false, false, "", 0},
		{"named colour", []attr{pos, str("color", "black")}, false, false, "", 0},
		{"no colour", []attr{pos}, false, false, "", 0},
		{"no route", []attr{col}, false, false, "", 0},
		{"a label", []attr{pos, col, str("label", "x")}, false, false, "", 0},
		{"a bad pen", []attr{pos, col, str("penwidth", "wide")}, false, false, "", 0},
	}
	for _, tt := range tests {
		d, ok := drawnEdge("e1", tt.as)
		if ok != tt.ok {
			t.Errorf("%s: drawn by avdoc = %v, want %v", tt.name, ok, tt.ok)
			continue
		}
		if ok && (d.Name != "e1" || d.Head != tt.head || d.Style != tt.style || d.PenWidth != tt.width || d.ArrowSize != 0.7 || d.Color != "#1f77b4") {
			t.Errorf("%s: drawnEdge = %+v, want head %v, style %s, pen %g", tt.name, d, tt.head, tt.style, tt.width)
		}
	}
}

// TestDrawnCluster: avdoc draws a cluster's look itself only when it
// knows every attribute of it, and of the graph's it takes, as Graphviz
// draws them; any other look is Graphviz's to draw.
func TestDrawnCluster(t *testing.T) {
	graph := []attr{str("id", "graph"), str("rankdir", "LR"), str("fontname", "Arial"), str("fontsize", "12"),
		str("fontcolor", "#1d1f23"), str("bgcolor", "#ffffff")}
	box := []attr{str("bb", "0,0,10,10"), str("lp", "5,8"), str("color", "#aaaaaa")}
	with := func(as ...attr) []attr { return append(append([]attr{}, box...), as...) }
	tests := []struct {
		name  string
		as    []attr
		graph []attr
		ok    bool
		style string
	}{
		{"rounded", with(str("label", "P"), str("style", "rounded")), graph, true, "solid"},
		{"rounded, dashed", with(str("label", "C1"), str("style", "rounded,dashed"), str("fontcolor", "#1a8f3c"), str("penwidth", "2")), graph, true, "dashed"},
		{"no label", with(str("style", "rounded")), graph, true, "solid"},
		{"square corners", with(str("label", "P"), str("style", "dashed")), graph, false, ""},
		{"filled", with(str("label", "P"), str("style", "rounded,filled")), graph, false, ""},
		{"named colour", append(with(str("style", "rounded")), str("color", "grey")), graph, false, ""},
		{"two lines", with(str("label", "P\nQ"), str("style", "rounded")), graph, false, ""},
		{"an escape", with(str("label", `\G`), str("style", "rounded")), graph, false, ""},
		{"not ASCII", with(str("label", "Pé"), str("style", "rounded")), graph, false, ""},
		{"two spaces", with(str("label", "P  Q"), str("style", "rounded")), graph, false, ""},
		{"an HTML label", append(with(str("style", "rounded")), html("label", "<B>P</B>")), graph, false, ""},
		{"another font", with(str("label", "P"), str("style", "rounded"), str("fontname", "Courier")), graph, false, ""},
		{"unknown attribute", with(str("label", "P"), str("style", "rounded"), str("labeljust", "l")), graph, false, ""},
		{"graph without a font size", with(str("label", "P"), str("style", "rounded")), graph[:3], false, ""},
	}
	for _, tt := range tests {
		d, ok := drawnCluster("cluster_q1", tt.as, tt.graph)
		if ok != tt.ok {
			t.Errorf("%s: drawn by avdoc = %v, want %v", tt.name, ok, tt.ok)
			continue
		}
		if ok && (d.Name != "cluster_q1" || d.Style != tt.style || d.Fill != "#ffffff" || d.FontSize != 12 || d.Font != "Arial" || d.BB != "0,0,10,10") {
			t.Errorf("%s: drawnCluster = %+v, want style %s, filled #ffffff, 12-point Arial", tt.name, d, tt.style)
		}
	}
}

// TestDrawnNode: avdoc draws a node's look itself only when it is a box
// or a note of fixed size whose every attribute, and every default it
// takes, it knows as Graphviz draws it, its label plain lines or an
// HTML-like label of lines each plain, bold or italic; any other look
// is Graphviz's to draw.
func TestDrawnNode(t *testing.T) {
	defaults := []attr{str("fontname", "Arial"), str("fontsize", "11"), str("fontcolor", "#1d1f23"), str("color", "#1d1f23")}
	avc := []attr{str("shape", "box"), str("fontsize", "10"), str("height", "0.3056"), str("margin", "0.1,0.04"),
		str("style", "rounded"), str("label", "AVC 1"), str("pos", "221,525.72"), str("width", "0.8611"), str("fixedsize", "true")}
	with := func(as ...attr) []attr { return append(append([]attr{}, avc...), as...) }
	av := with(str("style", "rounded,filled"), str("fillcolor", "#e8f0fb"), html("label", "anon_vma<BR/><B>P:heap</B>"))
	withAV := func(as ...attr) []attr { return append(append([]attr{}, av...), as...) }
	label := func(s string) []attr { return withAV(html("label", s)) }
	tests := []struct {
		name     string
		as       []attr
		defaults []attr
		ok       bool
		rounded  bool
		lines    int
		fill     string
		periph   int
	}{
		{"an AVC", avc, defaults, true, true, 1, "", 1},
		{"a stack of AVCs", with(str("label", "AVC 4\nx 998"), str("style", "rounded,dashed"), str("penwidth", "2.2"), str("color", "#1a8f3c")), defaults, true, true, 2, "", 1},
		{"square corners", with(str("style", "dashed")), defaults, true, false, 1, "", 1},
		{"one periphery", with(str("peripheries", "1")), defaults, true, true, 1, "", 1},
		{"two peripheries", with(str("peripheries", "2")), defaults, true, true, 1, "", 2},
		{"three peripheries", with(str("peripheries", "3")), defaults, false, false, 0, "", 0},
		{"filled, no fill colour", with(str("style", "rounded,filled")), defaults, false, false, 0, "", 0},
		{"a named fill colour", with(str("style", "rounded,filled"), str("fillcolor", "lightgrey")), defaults, false, false, 0, "", 0},
		{"an anon_vma", av, defaults, true, true, 2, "#e8f0fb", 1},
		{"a freed anon_vma", label("anon_vma<BR/><B>P:heap</B><BR/><I>freed</I>"), defaults, true, true, 3, "#e8f0fb", 1},
		{"a stack of anon_vmas", withAV(str("peripheries", "2"), str("penwidth", "3")), defaults, true, true, 2, "#e8f0fb", 2},
		{"a ghost anon_vma", withAV(str("style", "rounded,dashed")), defaults, true, true, 2, "", 1},
		{"escapes", label("a &amp; &lt;b&gt; &quot;c&quot;"), defaults, true, true, 1, "#e8f0fb", 1},
		{"a table", label("<TABLE><TR><TD>x</TD></TR></TABLE>"), defaults, false, false, 0, "", 0},
		{"a font", label(`<FONT POINT-SIZE="9">x</FONT>`), defaults, false, false, 0, "", 0},
		{"two faces on a line", label("a <B>b</B>"), defaults, false, false, 0, "", 0},
		{"bold italic", label("<B><I>b</I></B>"), defaults, false, false, 0, "", 0},
		{"an empty HTML line", label("a<BR/><BR/>b"), defaults, false, false, 0, "", 0},
		{"another entity", label("a&nbsp;b"), defaults, false, false, 0, "", 0},
		{"a backslash", label(`a\\N`), defaults, false, false, 0, "", 0},
		{"not ASCII in HTML", label("Pé"), defaults, false, false, 0, "", 0},
		{"two spaces in HTML", label("a  b"), defaults, false, false, 0, "", 0},
		{"an HTML attribute", withAV(html("xlabel", "<B>x</B>")), defaults, false, false, 0, "", 0},
		{"a note", with(str("shape", "note"), str("style", "filled"), str("fillcolor", "#fff7d6")), defaults, true, false, 1, "#fff7d6", 1},
		{"a rounded note", with(str("shape", "note")), defaults, false, false, 0, "", 0},
		{"an ellipse", with(str("shape", "ellipse")), defaults, false, false, 0, "", 0},
		{"not of fixed size", with(str("fixedsize", "false")), defaults, false, false, 0, "", 0},
		{"an empty line", with(str("label", "AVC 1\n")), defaults, false, false, 0, "", 0},
		{"an escape", with(str("label", `AVC\N`)), defaults, false, false, 0, "", 0},
		{"a named colour", with(str("color", "black")), defaults, false, false, 0, "", 0},
		{"another font", with(str("fontname", "Courier")), defaults, false, false, 0, "", 0},
		{"unknown attribute", with(str("labelloc", "t")), defaults, false, false, 0, "", 0},
		{"unknown style", with(str("style", "rounded,bold")), defaults, false, false, 0, "", 0},
		{"no font colour", avc, defaults[:2], false, false, 0, "", 0},
	}
	for _, tt := range tests {
		d, ok := drawnNode("n1", tt.as, tt.defaults)
		if ok != tt.ok {
			t.Errorf("%s: drawn by avdoc = %v, want %v", tt.name, ok, tt.ok)
			continue
		}
		if ok && (d.Name != "n1" || d.Rounded != tt.rounded || len(d.Lines)+len(d.HTML) != tt.lines || d.Width != 0.8611 || d.FontSize != 10 ||
			d.Font != "Arial" || d.Fill != tt.fill || d.Peripheries != tt.periph) {
			t.Errorf("%s: drawnNode = %+v, want rounded %v, %d lines, filled %q, %d peripheries, 10-point Arial, 0.8611 inches wide",
				tt.name, d, tt.rounded, tt.lines, tt.fill, tt.periph)
		}
	}
}

// TestHTMLLines: an HTML-like label's lines are read with their faces,
// their entities decoded.
func TestHTMLLines(t *testing.T) {
	got, ok := htmlLines("anon_vma<BR/><B>a &amp; &lt;b&gt;-&quot;c&quot;</B><BR/><I>freed</I>")
	want := []HTMLLine{{Text: "anon_vma"}, {Text: `a & <b>-"c"`, Bold: true}, {Text: "freed", Italic: true}}
	if !ok || !reflect.DeepEqual(got, want) {
		t.Errorf("htmlLines = %+v, %v; want %+v", got, ok, want)
	}
}

// TestDrawnTable: avdoc draws a plain node's table itself only when it
// is a VMA's kind of table, one column of one line a cell, whose every
// attribute, and every default the node takes, it knows as Graphviz
// draws it; any other look is Graphviz's to draw.
func TestDrawnTable(t *testing.T) {
	defaults := []attr{str("fontname", "Arial"), str("fontsize", "11"), str("fontcolor", "#1d1f23"), str("color", "#1d1f23")}
	const head = `<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="0" CELLPADDING="4" ROWS="*" COLOR="#1d1f23" WIDTH="124" HEIGHT="66">`
	const rows = `<TR><TD WIDTH="122" BGCOLOR="#eeeeee"><B>P:heap</B></TD></TR><TR><TD>pages 0x100..0x4e7 rw</TD></TR><TR><TD>pgoff 0x100</TD></TR>`
	vma := func(label string, as ...attr) []attr {
		return append([]attr{str("shape", "plain"), str("pos", "81.36,215.36"), html("label", label)}, as...)
	}
	withHead := func(h string) []attr { return vma(h + rows + "</TABLE>") }
	withRows := func(r string) []attr { return vma(head + r + "</TABLE>") }
	tests := []struct {
		name     string
		as       []attr
		defaults []attr
		ok       bool
		rows     int
	}{
		{"a VMA", vma(head + rows + "</TABLE>"), defaults, true, 3},
		{"a faded VMA", vma(head+rows+"</TABLE>", str("color", "#b8bcc2"), str("fontcolor", "#b8bcc2")), defaults, true, 3},
		{"no rules, no size, no padding", withHead(`<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0" COLOR="#aaaaaa">`), defaults, true, 3},
		{"italic, escapes", withRows(`<TR><TD BGCOLOR="#fdecea"><I>a &amp; &lt;b&gt;</I></TD></TR>`), defaults, true, 1},
		{"two lines in a cell", withRows(`<TR><TD><B>C2:heap</B><BR/>and 997 more like it</TD></TR>`), defaults, false, 0},
		{"two cells in a row", withRows(`<TR><TD>a</TD><TD>b</TD></TR>`), defaults, false, 0},
		{"an empty cell", withRows(`<TR><TD></TD></TR>`), defaults, false, 0},
		{"no rows", withRows(""), defaults, false, 0},
		{"space between tags", withRows(`<TR> <TD>a</TD></TR>`), defaults, false, 0},
		{"a font", withRows(`<TR><TD><FONT POINT-SIZE="9">a</FONT></TD></TR>`), defaults, false, 0},
		{"a cell's height", withRows(`<TR><TD HEIGHT="30">a</TD></TR>`), defaults, false, 0},
		{"a named fill", withRows(`<TR><TD BGCOLOR="grey">a</TD></TR>`), defaults, false, 0},
		{"a cell's width twice", withRows(`<TR><TD WIDTH="3" WIDTH="4">a</TD></TR>`), defaults, false, 0},
		{"a negative width", withRows(`<TR><TD WIDTH="-3">a</TD></TR>`), defaults, false, 0},
		{"a backslash", withRows(`<TR><TD>a\N</TD></TR>`), defaults, false, 0},
		{"not ASCII", withRows(`<TR><TD>Pé</TD></TR>`), defaults, false, 0},
		{"a wider border", withHead(strings.Replace(head, `BORDER="1"`, `BORDER="2"`, 1)), defaults, false, 0},
		{"cell borders", withHead(strings.Replace(head, `CELLBORDER="0"`, `CELLBORDER="1"`, 1)), defaults, false, 0},
		{"cell spacing", withHead(strings.Replace(head, `CELLSPACING="0"`, `CELLSPACING="2"`, 1)), defaults, false, 0},
		{"no padding given", withHead(strings.Replace(head, ` CELLPADDING="4"`, ``, 1)), defaults, false, 0},
		{"columns ruled", withHead(strings.Replace(head, `ROWS="*"`, `COLUMNS="*"`, 1)), defaults, false, 0},
		{"a table fill", withHead(strings.Replace(head, `>`, ` BGCOLOR="#ffffff">`, 1)), defaults, false, 0},
		{"rounded", withHead(strings.Replace(head, `>`, ` STYLE="rounded">`, 1)), defaults, false, 0},
		{"no table colour", withHead(strings.Replace(head, ` COLOR="#1d1f23"`, ``, 1)), defaults, false, 0},
		{"a huge width", withHead(strings.Replace(head, `WIDTH="124"`, `WIDTH="99999"`, 1)), defaults, false, 0},
		{"lower case", withHead(strings.Replace(head, `BORDER="1"`, `border="1"`, 1)), defaults, false, 0},
		{"a plain label", []attr{str("shape", "plain"), str("pos", "1,2"), str("label", "x")}, defaults, false, 0},
		{"a box", vma(head+rows+"</TABLE>", str("shape", "box")), defaults, false, 0},
		{"a pen width", vma(head+rows+"</TABLE>", str("penwidth", "2")), defaults, false, 0},
		{"a style", vma(head+rows+"</TABLE>", str("style", "dashed")), defaults, false, 0},
		{"another font", vma(head+rows+"</TABLE>", str("fontname", "Courier")), defaults, false, 0},
		{"no font colour", vma(head + rows + "</TABLE>"), defaults[:2], false, 0},
		{"no position", []attr{str("shape", "plain"), html("label", head+rows+"</TABLE>")}, defaults, false, 0},
	}
	for _, tt := range tests {
		d, ok := drawnTable("n1", tt.as, tt.defaults)
		if ok != tt.ok {
			t.Errorf("%s: drawn by avdoc = %v, want %v", tt.name, ok, tt.ok)
			continue
		}
		if ok && (d.Name != "n1" || len(d.Rows) != tt.rows || d.Font != "Arial" || d.FontSize != 11 || d.Border == "") {
			t.Errorf("%s: drawnTable = %+v, want %d rows, 11-point Arial", tt.name, d, tt.rows)
		}
	}
}

// TestTableLabel: a VMA's table is read with its sizes, rules, colours,
// and each row's line, face, width and fill.
func TestTableLabel(t *testing.T) {
	var d DrawnTable
	ok := d.setLabel(`<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="0" CELLPADDING="4" ROWS="*" COLOR="#1d1f23" WIDTH="124" HEIGHT="66">` +
		`<TR><TD WIDTH="122" BGCOLOR="#eeeeee"><B>P:heap</B></TD></TR><TR><TD>a &amp; &lt;b&gt;</TD></TR></TABLE>`)
	want := DrawnTable{Width: 124, Height: 66, Pad: 4, Ruled: true, Border: "#1d1f23",
		Rows: []TableRow{{Line: HTMLLine{Text: "P:heap", Bold: true}, Width: 122, Fill: "#eeeeee"}, {Line: HTMLLine{Text: "a & <b>"}}}}
	if !ok || !reflect.DeepEqual(d, want) {
		t.Errorf("setLabel = %v, %+v; want %+v", ok, d, want)
	}
}

// TestBlankGraph: a pieces graph is blank, for avdoc to draw without
// Graphviz, only when its body is empty and its attributes draw nothing
// but a background of a colour "#rrggbb".
func TestBlankGraph(t *testing.T) {
	site := []attr{str("class", "avdoc"), str("rankdir", "LR"), str("newrank", "true"), str("fontname", "Arial"), str("fontsize", "12"),
		str("fontcolor", "#1d1f23"), str("bgcolor", "#ffffff"), str("nodesep", "0.2"), str("ranksep", "0.5")}
	with := func(as ...attr) []attr { return append(append([]attr{}, site...), as...) }
	tests := []struct {
		name  string
		graph []attr
		body  int
		ok    bool
	}{
		{"the site's", site, 0, true},
		{"a piece for Graphviz", site, 1, false},
		{"no background", site[:6], 0, false},
		{"a named background", with(str("bgcolor", "white")), 0, false},
		{"a label", with(str("label", "x")), 0, false},
		{"a margin", with(str("pad", "1")), 0, false},
		{"an HTML attribute", with(html("fontname", "x")), 0, false},
	}
	for _, tt := range tests {
		bg, ok := blankGraph(tt.graph, tt.body)
		if ok != tt.ok || ok && bg != "#ffffff" {
			t.Errorf("%s: blankGraph = %q, %v; want %v", tt.name, bg, ok, tt.ok)
		}
	}
}
