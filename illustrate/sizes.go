package illustrate

import (
	"github.com/avdoc/avdoc/figure"
	"github.com/avdoc/avdoc/render"
)

// lookSizes measures the looks avdoc knows as Graphviz 12.1.2's nop
// would (see figure.NodeSize), by index; the others are left to
// Graphviz.
func lookSizes(looks []render.Look) map[int]render.LookSize {
	out := map[int]render.LookSize{}
	for i, lk := range looks {
		if lk.Shape == "" {
			continue
		}
		w, h := figure.NodeSize(figure.NodeLook{Shape: lk.Shape, Label: labelSize(lk), Margin: lk.Margin,
			Width: lk.Width, Height: lk.Height, Peripheries: lk.Peripheries})
		out[i] = render.LookSize{Width: w, Height: h}
	}
	return out
}

// labelSize is make_label's size of look lk's label, in points: a
// table's, an HTML-like label's lines' or plain lines'.
func labelSize(lk render.Look) [2]float64 {
	var w, h float64
	switch {
	case lk.Table != nil:
		t := lk.Table
		cells := make([]figure.TableCell, len(t.Rows))
		for i, r := range t.Rows {
			cells[i] = figure.TableCell{Lines: htmlLines(append([]render.HTMLLine{r.Line}, r.More...)), Width: float64(r.Width)}
		}
		w, h = figure.TableSize(cells, t.Pad, float64(t.Width), float64(t.Height), lk.FontSize)
	case lk.HTML != nil:
		w, h = figure.HTMLSize(htmlLines(lk.HTML), lk.FontSize)
	default:
		w, h = figure.LabelSize(lk.Lines, lk.FontSize)
	}
	return [2]float64{w, h}
}
