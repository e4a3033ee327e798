package render

import (
	"slices"
	"strconv"
	"strings"
)

// DrawnTable is a node's look avdoc draws itself (see
// figure.TableShapes): shape "plain", its label an HTML-like TABLE of
// one column with BORDER 1, CELLBORDER 0 and CELLSPACING 0, ruled under
// each row or not, each cell one line of text, plain, bold or italic,
// filled or not: the VMAs.
type DrawnTable struct {
	Name          string
	Pos           string // its centre, in the layout's coordinates
	Width, Height int    // the TABLE's WIDTH and HEIGHT, in points; 0 for none
	Pad           int    // CELLPADDING
	Ruled         bool   // ROWS="*"
	Border        string // the TABLE's COLOR: its border's and rules'
	Rows          []TableRow
	Paint         // its text's font
}

// TableRow is a row of a [DrawnTable]: one cell of one line. A
// table's look to measure (see [Look]) may have cells of more lines.
type TableRow struct {
	Line  HTMLLine
	More  []HTMLLine // the cell's lines after Line: measured, never drawn
	Width int        // the cell's WIDTH, in points; 0 for none
	Fill  string     // its BGCOLOR, "#rrggbb"; "" for none
}

// drawnTable returns the node look as, named name, with the node
// defaults defaults, as avdoc draws it, and whether avdoc can draw it.
func drawnTable(name string, as, defaults []attr) (DrawnTable, bool) {
	d := DrawnTable{Name: name}
	plain := false
	for _, a := range append(slices.Clip(defaults), as...) {
		ok := !a.html || a.key == "label"
		switch {
		case !ok:
		case a.key == "shape":
			plain, ok = a.val == "plain", a.val == "plain"
		case a.key == "label":
			ok = a.html && d.setLabel(a.val)
		case a.key == "pos":
			d.Pos = a.val
		default:
			// the node's own colour and width draw nothing of a table
			// with a COLOR of its own
			known, good := d.Paint.set(a)
			ok = known && good && a.key != "penwidth"
		}
		if !ok {
			return DrawnTable{}, false
		}
	}
	return d, plain && d.Pos != "" && len(d.Rows) > 0 && d.Border != "" && d.written() && d.oneLineEach()
}

// oneLineEach reports whether each of d's cells is one line.
func (d *DrawnTable) oneLineEach() bool {
	return !slices.ContainsFunc(d.Rows, func(r TableRow) bool { return len(r.More) > 0 })
}

// setLabel reads an HTML-like TABLE label into d, as table.body writes
// it, and reports whether avdoc draws it as Graphviz would: no space
// between its tags, the TABLE's attributes those of [DrawnTable], each
// row <TR><TD> with at most a WIDTH and a BGCOLOR, holding lines of
// text as htmlLines reads them.
func (d *DrawnTable) setLabel(s string) bool {
	d.Rows, d.Width, d.Height, d.Pad, d.Ruled, d.Border = nil, 0, 0, 0, false, ""
	rest, ok := strings.CutPrefix(s, "<TABLE")
	head, rest, found := strings.Cut(rest, ">")
	body, closed := strings.CutSuffix(rest, "</TABLE>")
	if !ok || !found || !closed || !d.setTableAttrs(head) {
		return false
	}
	for body != "" {
		r, ok := strings.CutPrefix(body, "<TR><TD")
		cell, next, found := strings.Cut(r, "</TD></TR>")
		attrs, content, opened := strings.Cut(cell, ">")
		lines, isLine := htmlLines(content)
		if !ok || !found || !opened || !isLine {
			return false
		}
		row := TableRow{Line: lines[0]}
		if len(lines) > 1 {
			row.More = lines[1:]
		}
		if !row.setAttrs(attrs) {
			return false
		}
		d.Rows, body = append(d.Rows, row), next
	}
	return true
}

// setTableAttrs reads the TABLE tag's attributes into d, and reports
// whether avdoc draws them as Graphviz would.
func (d *DrawnTable) setTableAttrs(s string) bool {
	as, ok := htmlAttrs(s)
	if !ok || as["BORDER"] != "1" || as["CELLBORDER"] != "0" || as["CELLSPACING"] != "0" || !hexColour(as["COLOR"]) {
		return false
	}
	d.Border = as["COLOR"]
	d.Pad, ok = htmlInt(as, "CELLPADDING", 255)
	if rows, given := as["ROWS"]; given {
		d.Ruled, ok = true, ok && rows == "*"
	}
	var okW, okH bool
	d.Width, okW = htmlInt(as, "WIDTH", 65535)
	d.Height, okH = htmlInt(as, "HEIGHT", 65535)
	for k := range as {
		switch k {
		case "BORDER", "CELLBORDER", "CELLSPACING", "CELLPADDING", "ROWS", "COLOR", "WIDTH", "HEIGHT":
		default:
			return false
		}
	}
	return ok && okW && okH && as["CELLPADDING"] != ""
}

// setAttrs reads a TD tag's attributes into r, and reports whether avdoc
// draws them as Graphviz would.
func (r *TableRow) setAttrs(s string) bool {
	as, ok := htmlAttrs(s)
	var okW bool
	r.Width, okW = htmlInt(as, "WIDTH", 65535)
	ok = ok && okW
	if fill, given := as["BGCOLOR"]; given {
		r.Fill, ok = fill, ok && hexColour(fill)
	}
	for k := range as {
		ok = ok && (k == "WIDTH" || k == "BGCOLOR")
	}
	return ok
}

// htmlAttrs reads the attributes of an HTML-like tag, ` KEY="value"`
// each, the values without spaces or quotes; ok is false for anything
// else, or a key given twice.
func htmlAttrs(s string) (map[string]string, bool) {
	out := map[string]string{}
	for _, kv := range strings.Split(s, " ")[1:] {
		k, v, ok := strings.Cut(kv, "=")
		v, quoted := strings.CutPrefix(v, `"`)
		v, closed := strings.CutSuffix(v, `"`)
		if _, twice := out[k]; !ok || !quoted || !closed || twice || k == "" || strings.Contains(v, `"`) {
			return nil, false
		}
		out[k] = v
	}
	return out, s == "" || s[0] == ' '
}

// htmlInt is the whole number of attribute key in as, at most limit, as
// Graphviz reads it; 0 if it is not given; ok is false for anything
// else.
func htmlInt(as map[string]string, key string, limit int) (int, bool) {
	s, given := as[key]
	if !given {
		return 0, true
	}
	if s == "" || strings.TrimLeft(s, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n <= limit
}
