package render

import (
	"slices"
	"strconv"
	"strings"
)

// DrawnNode is a look of a node that avdoc draws itself (see
// figure.BoxShapes), rather than have Graphviz draw it: a box of fixed
// size, its corners rounded or not, unfilled, in one colour "#rrggbb",
// in a solid, dashed or dotted line, with lines of printable ASCII
// centred in Arial: the AVCs. Nodes of any other look, and those with
// attributes avdoc does not know, Graphviz draws.
type DrawnNode struct {
	Name          string
	Pos           string  // its centre, in the layout's coordinates
	Width, Height float64 // in inches, as given
	Rounded       bool
	Style         string // "solid", "dashed" or "dotted"
	Color         string
	PenWidth      float64
	Lines         []string
	Font          string
	FontSize      float64
	FontColor     string
}

// drawnNode returns the node look as, named name, with the node defaults
// defaults, as avdoc draws it, and whether avdoc can draw it.
func drawnNode(name string, as, defaults []attr) (DrawnNode, bool) {
	d := DrawnNode{Name: name, PenWidth: 1, Style: "solid"}
	box, fixed := false, false
	for _, a := range append(slices.Clip(defaults), as...) {
		ok := !a.html
		switch {
		case !ok:
		case a.key == "shape":
			box, ok = a.val == "box", a.val == "box"
		case a.key == "fixedsize":
			fixed, ok = a.val == "true", a.val == "true"
		case a.key == "style":
			d.Style, d.Rounded, ok = lineStyle(a.val)
		default:
			ok = d.set(a)
		}
		if !ok {
			return DrawnNode{}, false
		}
	}
	return d, box && fixed && d.Font != "" && d.Pos != "" && d.Width > 0 && d.Height > 0 && d.Color != "" &&
		d.FontColor != "" && d.FontSize > 0 && len(d.Lines) > 0
}

// set takes attribute a of the look into d, and reports whether avdoc
// draws it as Graphviz would.
func (d *DrawnNode) set(a attr) bool {
	var err error
	switch a.key {
	case "pos":
		d.Pos = a.val
	case "width", "height":
		v, err := strconv.ParseFloat(a.val, 64)
		if a.key == "width" {
			d.Width = v
		} else {
			d.Height = v
		}
		return err == nil
	case "label":
		d.Lines = strings.Split(a.val, "\n")
		return !slices.ContainsFunc(d.Lines, func(l string) bool { return l == "" || !plainLine(l) })
	case "color":
		d.Color = a.val
		return hexColour(a.val)
	case "fontcolor":
		d.FontColor = a.val
		return hexColour(a.val)
	case "penwidth":
		_, ok := drawnWidth(a.val)
		d.PenWidth, err = strconv.ParseFloat(a.val, 64)
		return ok && err == nil
	case "fontsize":
		d.FontSize, err = strconv.ParseFloat(a.val, 64)
		return err == nil && d.FontSize > 0
	case "fontname":
		d.Font = a.val
		return a.val == fontName
	case "margin", "peripheries":
		return a.key == "margin" || a.val == "1" // a fixed size leaves the margin nothing to do
	default:
		return false
	}
	return true
}
