package render

import (
	"slices"
	"strconv"
	"strings"
)

// DrawnCluster is a look of a cluster that avdoc draws itself (see
// figure.ClusterShapes), rather than have Graphviz draw it: a box with
// rounded corners in one colour "#rrggbb", in a solid, dashed or dotted
// line, filled with the graph's background, and a label of one line of
// printable ASCII in Arial. Clusters of any other look, and those with
// attributes avdoc does not know, Graphviz draws.
type DrawnCluster struct {
	Name      string
	BB, LP    string // the box and the label's centre, in the layout's coordinates
	Label     string
	Font      string
	Color     string
	Fill      string // "" for none
	PenWidth  float64
	Style     string // "solid", "dashed" or "dotted"
	FontSize  float64
	FontColor string
}

// drawnCluster returns the cluster look as, named name, in a graph whose
// attributes are graph, as avdoc draws it, and whether avdoc can draw it.
func drawnCluster(name string, as, graph []attr) (DrawnCluster, bool) {
	d := DrawnCluster{Name: name, PenWidth: 1, Style: "solid", Font: fontName}
	rounded := false
	for _, a := range append(slices.Clip(clusterDefaults(graph)), as...) {
		if a.html {
			return DrawnCluster{}, false
		}
		ok := true
		switch a.key {
		case "style":
			d.Style, rounded, ok = lineStyle(a.val)
		default:
			ok = d.set(a)
		}
		if !ok {
			return DrawnCluster{}, false
		}
	}
	return d, rounded && d.BB != "" && d.Color != "" && (d.Label == "" || d.LP != "" && d.FontSize > 0 && d.FontColor != "")
}

// clusterDefaults is what a cluster takes from the graph: its font, and
// its background as the fill.
func clusterDefaults(graph []attr) []attr {
	var out []attr
	for _, a := range graph {
		switch a.key {
		case "fontname", "fontsize", "fontcolor", "bgcolor":
			out = append(out, a)
		}
	}
	return out
}

// set takes attribute a of the look into d, and reports whether avdoc
// draws it as Graphviz would.
func (d *DrawnCluster) set(a attr) bool {
	var err error
	switch a.key {
	case "bb":
		d.BB = a.val
	case "lp":
		d.LP = a.val
	case "label":
		d.Label = a.val
		return plainLine(a.val)
	case "color":
		d.Color = a.val
		return hexColour(a.val)
	case "fontcolor":
		d.FontColor = a.val
		return hexColour(a.val)
	case "bgcolor":
		d.Fill = a.val
		return hexColour(a.val)
	case "penwidth":
		_, ok := drawnWidth(a.val)
		d.PenWidth, err = strconv.ParseFloat(a.val, 64)
		return ok && err == nil
	case "fontsize":
		d.FontSize, err = strconv.ParseFloat(a.val, 64)
		return err == nil && d.FontSize > 0
	case "fontname":
		return a.val == fontName
	default:
		return false
	}
	return true
}

// lineStyle reads a cluster's or a box's style: its line, and whether
// its corners are rounded; ok is false for any other style.
func lineStyle(s string) (line string, rounded, ok bool) {
	line = "solid"
	for _, part := range strings.Split(s, ",") {
		switch strings.TrimSpace(part) {
		case "rounded":
			rounded = true
		case "dashed", "dotted", "solid":
			line = strings.TrimSpace(part)
		default:
			return "", false, false
		}
	}
	return line, rounded, true
}

// plainLine reports whether a label is one line Graphviz writes as it is
// given: printable ASCII, no escape (a backslash), no run of spaces.
func plainLine(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < ' ' || s[i] > '~' || s[i] == '\\' {
			return false
		}
	}
	return !strings.Contains(s, "  ") && strings.TrimSpace(s) == s
}
