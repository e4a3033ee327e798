package figure

// Arial's advance widths (Liberation Sans has the same), in thousandths
// of the font size, of the printable ASCII characters from space to
// tilde: Graphviz measured every label with these, and Graphviz's SVG
// does not say how wide a text is.
var (
	arialWidths = [95]uint16{278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
		556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722,
		722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944,
		667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500,
		222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584}
	arialBoldWidths = [95]uint16{278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278,
		278, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722,
		722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667,
		944, 667, 667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278,
		556, 278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584}
)

// textWidth is how wide s is set in Arial at size points; a character
// outside ASCII counts as a wide one (an em), so that a bound drawn from
// it is never too small.
func textWidth(s string, size float64, bold bool) float64 {
	widths := &arialWidths
	if bold {
		widths = &arialBoldWidths
	}
	var w float64
	for _, r := range s {
		if r >= ' ' && r <= '~' {
			w += float64(widths[r-' '])
		} else {
			w += 1000
		}
	}
	return w * size / 1000
}
