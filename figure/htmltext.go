package figure

// An HTML-like label of lines of text (no TABLE), each plain, bold or
// italic, is placed as Graphviz 12.1.2 places it, operation for
// operation: lib/common/htmltable.c size_html_txt (each line's height
// and its baseline's distance from the one before) and emit_htextspans
// (each line centred, written from its left end), with the widths of
// lib/common/textspan.c estimate_textspan_size, which measures text with
// the table of lib/common/textspan_lut.c when it has no font files, as
// in the WebAssembly avdoc runs.

// HTMLLine is one line of an HTML-like label: its text, as it reads
// (entities decoded), and its face.
type HTMLLine struct {
	S            string
	Bold, Italic bool
}

// Graphviz's estimated advance widths of Arial's printable ASCII
// characters, space to tilde, in 2048ths of the font size
// (textspan_lut.c); its italic faces are as wide as the upright ones.
var (
	lutArial = [95]uint16{569, 569, 727, 1139, 1139, 1821, 1366, 391, 682, 682, 797, 1196, 569, 682, 569, 569,
		1139, 1139, 1139, 1139, 1139, 1139, 1139, 1139, 1139, 1139, 569, 569, 1196, 1196, 1196, 1139, 2079,
		1366, 1366, 1479, 1479, 1366, 1251, 1593, 1479, 569, 1024, 1366, 1139, 1706, 1479, 1593, 1366, 1593,
		1479, 1366, 1251, 1479, 1366, 1933, 1366, 1366, 1251, 569, 569, 569, 961, 1139, 682, 1139, 1139, 1024,
		1139, 1139, 569, 1139, 1139, 455, 455, 1024, 455, 1706, 1139, 1139, 1139, 1139, 682, 1024, 569, 1139,
		1024, 1479, 1024, 1024, 1024, 684, 532, 684, 1196}
	lutArialBold = [95]uint16{569, 682, 971, 1139, 1139, 1821, 1479, 487, 682, 682, 797, 1196, 569, 682, 569, 569,
		1139, 1139, 1139, 1139, 1139, 1139, 1139, 1139, 1139, 1139, 682, 682, 1196, 1196, 1196, 1251, 1997,
		1479, 1479, 1479, 1479, 1366, 1251, 1593, 1479, 569, 1139, 1479, 1251, 1706, 1479, 1593, 1366, 1593,
		1479, 1366, 1251, 1479, 1366, 1933, 1366, 1366, 1251, 682, 569, 682, 1196, 1139, 682, 1139, 1251, 1139,
		1251, 1139, 682, 1251, 1251, 569, 569, 1139, 569, 1821, 1251, 1251, 1251, 1251, 797, 1139, 682, 1251,
		1139, 1593, 1139, 1139, 1024, 797, 573, 797, 1196}
)

// lutUnitsPerEm is the unit of the widths of textspan_lut.c.
const lutUnitsPerEm = 2048

// estimatedWidth is estimate_textspan_size's width of s in Arial at size
// points: the size times estimate_text_width_1pt, the sum of the
// characters' widths over the units per em. s is printable ASCII (a
// character outside it counts as a space, as Graphviz counts it).
func estimatedWidth(s string, size float64, bold bool) float64 {
	widths := &lutArial
	if bold {
		widths = &lutArialBold
	}
	var units uint
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < ' ' || c > '~' {
			c = ' '
		}
		units += uint(widths[c-' '])
	}
	return float64(size * (float64(units) / lutUnitsPerEm)) // float64(): never fused into a multiply-add
}

// htmlLines is emit_htextspans' drawing of an HTML-like label's lines
// about c, in a text box h high, each as svg_textspan writes it: from
// the top of the box (half of h above c), down each line's baseline
// step, each line centred by its estimated width and written from its
// left end. A label's text box is as high as size_html_txt measures it;
// a table cell's is what pos_html_cell leaves it.
func htmlLines(lines []HTMLLine, c Point, h float64, font string, size float64, colour string) []Shape {
	steps, _, centreLine := htmlBaselines(lines, size)
	y := c.Y + float64(h/2.0)
	out := make([]Shape, 0, len(lines))
	for i, l := range lines {
		x := c.X - float64(estimatedWidth(l.S, size, l.Bold)/2.0)
		y -= steps[i]
		t := TextSpan{S: l.S, Align: 'l', Width: textWidth(l.S, size, l.Bold), Face: font, Size: size, Bold: l.Bold, Italic: l.Italic}
		at := Point{round2(x), round2(y + centreLine)}
		out = append(out, Shape{Op: Text, Points: []Point{at}, Pen: Pen{Color: colour, Width: 1, Style: "solid"}, Text: t})
	}
	return out
}

// htmlBaselines is size_html_txt's measure of lines of one font size:
// each line's baseline below the one before (the first's below the
// top), the block's height, and the offset of the centre line
// emit_htextspans gives svg_textspan. A label none of whose lines is
// bold or italic is "simple": its lines are spaced by their height.
// Otherwise each is spaced by the font size, and the centre line is 1.
func htmlBaselines(lines []HTMLLine, size float64) (steps []float64, height, centreLine float64) {
	simple := true
	for _, l := range lines {
		simple = simple && !l.Bold && !l.Italic
	}
	lineHeight, offset := float64(size*lineSpacing), float64(centreLineOffset*size)
	var ysize, curbline float64
	steps = make([]float64, len(lines))
	for i := range lines {
		lsize := size
		switch {
		case simple && i == 0:
			lsize, steps[i] = lineHeight, size
		case simple:
			lsize, steps[i] = lineHeight, lineHeight
		case i == 0:
			steps[i] = size - offset
		default:
			steps[i] = size + ysize - curbline - offset
		}
		curbline += steps[i]
		ysize += lsize
	}
	if len(lines) == 1 {
		ysize = lineHeight
	}
	if simple {
		return steps, ysize, offset
	}
	return steps, ysize, 1
}
