package illustrate

import (
	"fmt"

	"github.com/avdoc/avdoc/figure"
	"github.com/avdoc/avdoc/render"
)

// addDrawn draws into pieces the looks avdoc draws itself rather than
// Graphviz (see render.Pieces): the edges, from their routes; the
// clusters; the boxes of fixed size; the tables. Each is moved where
// Graphviz's drawing of the others has the layout's coordinates.
func addDrawn(pieces *figure.Pieces, pcs render.Pieces) error {
	at := func(p figure.Point) figure.Point {
		return figure.Point{X: p.X + pcs.Origin[0], Y: p.Y + pcs.Origin[1]}
	}
	for _, e := range pcs.Edges {
		r, err := figure.ParseRoute(e.Pos)
		if err != nil {
			return fmt.Errorf("drawing edge piece %s: %w", e.Name, err)
		}
		if !e.Head {
			r.Tip = nil
		}
		pieces.Add(e.Name, figure.EdgeShapes(r.Shift(pcs.Origin[0], pcs.Origin[1]), pen(e.Paint), e.ArrowSize))
	}
	for _, c := range pcs.Clusters {
		fc, err := clusterOf(c, at)
		if err != nil {
			return fmt.Errorf("drawing cluster piece %s: %w", c.Name, err)
		}
		pieces.Add(c.Name, figure.ClusterShapes(fc))
	}
	for _, n := range pcs.Nodes {
		c, err := figure.ParsePoint(n.Pos)
		if err != nil {
			return fmt.Errorf("drawing node piece %s: %w", n.Name, err)
		}
		pieces.Add(n.Name, figure.BoxShapes(figure.Box{Centre: at(c), W: n.Width * 72, H: n.Height * 72, Rounded: n.Rounded,
			Note: n.Note, Peripheries: n.Peripheries, Pen: pen(n.Paint), Fill: n.Fill, Lines: n.Lines, HTML: htmlLines(n.HTML),
			Font: n.Font, Size: n.FontSize, Colour: n.FontColor}))
	}
	for _, n := range pcs.Tables {
		c, err := figure.ParsePoint(n.Pos)
		if err != nil {
			return fmt.Errorf("drawing node piece %s: %w", n.Name, err)
		}
		pieces.Add(n.Name, figure.TableShapes(tableOf(n, at(c))))
	}
	return nil
}

// tableOf is table node n for figure, centred on c.
func tableOf(n render.DrawnTable, c figure.Point) figure.Table {
	t := figure.Table{Centre: c, Width: float64(n.Width), Height: float64(n.Height), Pad: n.Pad, Ruled: n.Ruled,
		Color: n.Border, Font: n.Font, Size: n.FontSize, Colour: n.FontColor}
	for _, r := range n.Rows {
		t.Rows = append(t.Rows, figure.TableRow{Line: figure.HTMLLine{S: r.Line.Text, Bold: r.Line.Bold, Italic: r.Line.Italic},
			Width: float64(r.Width), Fill: r.Fill})
	}
	return t
}

// clusterOf is cluster c for figure, its box and label moved by at.
func clusterOf(c render.DrawnCluster, at func(figure.Point) figure.Point) (figure.Cluster, error) {
	bb, err := figure.ParseBox(c.BB)
	if err != nil {
		return figure.Cluster{}, err
	}
	var lp figure.Point
	if c.Label != "" {
		if lp, err = figure.ParsePoint(c.LP); err != nil {
			return figure.Cluster{}, fmt.Errorf("label position: %w", err)
		}
	}
	ll, ur := at(figure.Point{X: bb[0], Y: bb[1]}), at(figure.Point{X: bb[2], Y: bb[3]})
	return figure.Cluster{BB: [4]float64{ll.X, ll.Y, ur.X, ur.Y}, LP: at(lp), Pen: pen(c.Paint), Fill: c.Fill,
		Label: c.Label, Font: c.Font, Size: c.FontSize, Colour: c.FontColor}, nil
}

// htmlLines is an HTML-like label's lines for figure.
func htmlLines(lines []render.HTMLLine) []figure.HTMLLine {
	var out []figure.HTMLLine
	for _, l := range lines {
		out = append(out, figure.HTMLLine{S: l.Text, Bold: l.Bold, Italic: l.Italic})
	}
	return out
}

// pen is the line of a look's paint.
func pen(p render.Paint) figure.Pen {
	return figure.Pen{Color: p.Color, Width: p.PenWidth, Style: p.Style}
}
