package figure

// A node of shape "plain" whose label is an HTML-like TABLE of one
// column, BORDER 1, CELLBORDER 0 and CELLSPACING 0, each cell one line
// of text, is drawn here rather than by Graphviz. The arithmetic follows
// Graphviz 12.1.2's lib/common/htmltable.c, operation for operation, in
// its doubles: size_html_txt and size_html_cell (a cell is its line and
// its padding, or its WIDTH if wider), sizeLinearArray and size_html_tbl
// (each row as high as its cell, the table its rows and border, or its
// WIDTH and HEIGHT if larger), make_html_label and pos_html_tbl (the
// table centred on the node, as shapes.c poly_gencode places a label,
// its rows stacked from its top, any height to spare left under the
// last), pos_html_cell (the line centred in its cell within the
// padding), emit_html_tbl, emit_html_cell (a cell's fill),
// emit_html_txt, emit_html_rules (ROWS="*": a rule under each row but
// the last, a box of no height across the border) and doBorder.
// TestTablesAsGraphviz holds it to Graphviz.

// Table is a node avdoc draws itself as an HTML-like table: its centre,
// in the pieces' coordinates, and its rows, each a cell of one line.
type Table struct {
	Centre        Point
	Width, Height float64 // the TABLE's WIDTH and HEIGHT, in points; 0 for none
	Pad           int     // CELLPADDING
	Ruled         bool    // ROWS="*"
	Color         string  // the border's and the rules', "#rrggbb"
	Rows          []TableRow
	Font          string
	Size          float64
	Colour        string // the text's
}

// TableRow is a row of a [Table]: one cell of one line.
type TableRow struct {
	Line  HTMLLine
	Width float64 // the cell's WIDTH, in points; 0 for none
	Fill  string  // its BGCOLOR, "#rrggbb"; "" for none
}

// tableBorder is the BORDER of the tables drawn here.
const tableBorder = 1

// rect is Graphviz's boxf: its lower left and upper right corners.
type rect struct{ LL, UR Point }

// TableShapes is a table node drawn as Graphviz's SVG renderer draws
// it: each cell's fill and line, row by row from the top, then the
// rules, then the border. Coordinates are rounded as the SVG writes
// them.
func TableShapes(t Table) []Shape {
	cells, box := tableCells(t)
	c := t.Centre
	at := func(r rect) rect {
		return rect{Point{r.LL.X + c.X, r.LL.Y + c.Y}, Point{r.UR.X + c.X, r.UR.Y + c.Y}}
	}
	line := Pen{Color: t.Color, Width: 1, Style: "solid"}
	var out []Shape
	for i, r := range t.Rows {
		pts := at(cells[i])
		if r.Fill != "" {
			out = append(out, Shape{Op: Polygon, Points: rounded(corners(pts)), Filled: true, Fill: r.Fill,
				Pen: Pen{Color: "transparent", Width: 1, Style: "solid"}})
		}
		out = append(out, cellLine(r.Line, cells[i], t)...)
	}
	for i := range t.Rows {
		if t.Ruled && i+1 < len(t.Rows) {
			out = append(out, Shape{Op: Polygon, Points: rounded(corners(rule(at(cells[i])))), Filled: true, Fill: t.Color, Pen: line})
		}
	}
	pen := line
	pen.Width = tableBorder
	return append(out, Shape{Op: Polygon, Points: rounded(corners(at(box))), Fill: "transparent", Pen: pen})
}

// tableCells is where make_html_label and pos_html_tbl put the table's
// cells and the table itself, about the node's centre.
func tableCells(t Table) ([]rect, rect) {
	sizes := make([][2]float64, len(t.Rows))
	for i, r := range t.Rows {
		sizes[i][0], sizes[i][1] = cellSize([]HTMLLine{r.Line}, r.Width, t.Pad, t.Size)
	}
	return tableBox(sizes, t.Width, t.Height)
}

// tableBox is size_html_tbl's and pos_html_tbl's table of one column
// whose cells are sizes wide and high, at least width by height: each
// row as high as its cell, the column as wide as its widest, the table
// its rows and border, the cells stacked from its top.
func tableBox(sizes [][2]float64, width, height float64) ([]rect, rect) {
	heights := make([]float64, len(sizes))
	var column float64
	for i, s := range sizes {
		column = max(column, s[0])
		heights[i] = max(heights[i], s[1])
	}
	wd, ht := float64(2*tableBorder), float64(2*tableBorder)
	wd += column
	for _, h := range heights {
		ht += h
	}
	wd2, ht2 := float64(max(wd, width)/2), float64(max(ht, height)/2)
	x0, x1 := -wd2+tableBorder, -wd2+tableBorder+column
	y := ht2 - tableBorder
	cells := make([]rect, len(sizes))
	for i, h := range heights {
		cells[i] = rect{Point{x0, y - h}, Point{x1, y}}
		y -= h
	}
	return cells, rect{Point{-wd2, -ht2}, Point{wd2, ht2}}
}

// cellSize is size_html_cell's size of a cell of lines, WIDTH width
// (0 for none), padded by pad: its text block (size_html_txt) and
// padding, or its WIDTH if wider.
func cellSize(lines []HTMLLine, width float64, pad int, size float64) (w, h float64) {
	tw, th := HTMLSize(lines, size)
	margin := 2 * pad
	return max(tw+float64(margin), width), th + float64(margin)
}

// cellLine is emit_html_txt's drawing of a cell's line: pos_html_cell
// centres the line's box in the cell less its padding, and the line is
// drawn in that box about the node's centre.
func cellLine(l HTMLLine, cell rect, t Table) []Shape {
	pad := float64(t.Pad)
	b := rect{Point{cell.LL.X + pad, cell.LL.Y + pad}, Point{cell.UR.X - pad, cell.UR.Y - pad}}
	_, lh, _ := htmlBaselines([]HTMLLine{l}, t.Size)
	if delx := (b.UR.X - b.LL.X) - estimatedWidth(l.S, t.Size, l.Bold); delx > 0 {
		b.LL.X += float64(delx / 2)
		b.UR.X -= float64(delx / 2)
	}
	if dely := (b.UR.Y - b.LL.Y) - lh; dely > 0 {
		b.LL.Y += float64(dely / 2)
		b.UR.Y -= float64(dely / 2)
	}
	p := Point{t.Centre.X + float64((b.UR.X+b.LL.X)/2.0), t.Centre.Y + float64((b.UR.Y+b.LL.Y)/2.0)}
	return htmlLines([]HTMLLine{l}, p, b.UR.Y-b.LL.Y, t.Font, t.Size, t.Colour)
}

// rule is emit_html_rules' rule under a cell whose box is pts, in a
// table of one column (the cell in its first column and its last) and
// no cell spacing: from the border's middle on one side to its middle
// on the other, doSide's box of no height.
func rule(pts rect) rect {
	base := float64(tableBorder)
	p := Point{pts.LL.X - base, pts.LL.Y}
	base *= 2
	length := base + pts.UR.X - pts.LL.X
	return rect{p, Point{p.X + length, p.Y}}
}

// corners is gvrender_box's polygon of r: from its lower left corner,
// clockwise.
func corners(r rect) []Point {
	return []Point{r.LL, {r.LL.X, r.UR.Y}, r.UR, {r.UR.X, r.LL.Y}}
}
