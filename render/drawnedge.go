package render

import "strconv"

// The edges' defaults, in every graph avdoc gives Graphviz.
const (
	edgeArrowSize = "0.7"
	edgePenWidth  = "1.3"
)

// DrawnEdge is a look of an edge that avdoc draws itself, from its route
// alone (see figure.EdgeShapes), rather than have Graphviz draw it: a
// route in one colour "#rrggbb", in a solid, dashed or dotted line, with
// Graphviz's normal arrowhead at its head or none. Edges of any other
// look, and those with attributes avdoc does not know, Graphviz draws.
type DrawnEdge struct {
	Name      string
	Pos       string  // the route, Graphviz's "pos", in the layout's coordinates
	Color     string  // "#rrggbb"
	PenWidth  float64 // as given
	Style     string  // "solid", "dashed" or "dotted"
	Head      bool    // an arrowhead at the route's end point, if it has one
	ArrowSize float64
}

// drawnEdge returns the edge look as as avdoc draws it, named name, and
// whether avdoc can draw it.
func drawnEdge(name string, as []attr) (DrawnEdge, bool) {
	d := DrawnEdge{Name: name, Style: "solid", Head: true}
	d.PenWidth, _ = strconv.ParseFloat(edgePenWidth, 64)
	d.ArrowSize, _ = strconv.ParseFloat(edgeArrowSize, 64)
	for _, a := range as {
		if a.html || !d.set(a) {
			return DrawnEdge{}, false
		}
	}
	return d, d.Pos != "" && d.Color != ""
}

// set takes attribute a of the look into d, and reports whether avdoc
// draws it as Graphviz would.
func (d *DrawnEdge) set(a attr) bool {
	switch a.key {
	case "pos":
		d.Pos = a.val
	case "color":
		d.Color = a.val
		return hexColour(a.val)
	case "penwidth":
		_, ok := drawnWidth(a.val)
		d.PenWidth, _ = strconv.ParseFloat(a.val, 64)
		return ok
	case "style":
		d.Style = a.val
		return a.val == "solid" || a.val == "dashed" || a.val == "dotted"
	case "dir", "arrowhead":
		if a.val == "none" { // either takes the arrowhead away
			d.Head = false
		}
		return a.val == "none" || a.val == "forward" && a.key == "dir" || a.val == "normal" && a.key == "arrowhead"
	case "constraint", "weight", "class":
		// they place an edge: it is placed already
	default:
		return false
	}
	return true
}
