package render

import (
	"slices"
	"strconv"
	"strings"
)

// Graphviz draws a look from its attributes, and avdoc draws the looks
// whose every attribute it knows itself, as Graphviz would (see package
// figure): the edges, the clusters, and the boxes and notes of fixed
// size with lines of text, plain or HTML-like (the AVCs, the anon_vmas,
// the pages), and the plain nodes labelled with a table of one column
// (the VMAs, see drawntable.go). Any other look, and any look with an attribute avdoc does
// not know, goes to Graphviz in the pieces graph.

// The edges' defaults, in every graph avdoc gives Graphviz.
const (
	edgeArrowSize = "0.7"
	edgePenWidth  = "1.3"
)

// Paint is how a look avdoc draws itself is stroked and written.
type Paint struct {
	Color     string  // the line's, "#rrggbb"
	PenWidth  float64 // as given
	Style     string  // the line's: "solid", "dashed" or "dotted"
	Font      string  // its text's: Arial
	FontSize  float64 // in points
	FontColor string  // "#rrggbb"
}

// set takes attribute a into p, if it is one of paint; known says
// whether it is, ok whether avdoc draws it as Graphviz would.
func (p *Paint) set(a attr) (known, ok bool) {
	var err error
	switch a.key {
	case "color":
		p.Color = a.val
		return true, hexColour(a.val)
	case "fontcolor":
		p.FontColor = a.val
		return true, hexColour(a.val)
	case "penwidth":
		_, ok := drawnWidth(a.val)
		p.PenWidth, err = strconv.ParseFloat(a.val, 64)
		return true, ok && err == nil
	case "fontsize":
		p.FontSize, err = strconv.ParseFloat(a.val, 64)
		return true, err == nil && p.FontSize > 0
	case "fontname":
		p.Font = a.val
		return true, a.val == fontName
	}
	return false, false
}

// written reports whether p says how to write text.
func (p *Paint) written() bool { return p.Font != "" && p.FontSize > 0 && p.FontColor != "" }

// DrawnEdge is an edge's look avdoc draws from its route alone (see
// figure.EdgeShapes): a route in one colour, in a solid, dashed or dotted
// line, with Graphviz's normal arrowhead at its head or none.
type DrawnEdge struct {
	Name      string
	Pos       string // the route, Graphviz's "pos", in the layout's coordinates
	Head      bool   // an arrowhead at the route's end point, if it has one
	ArrowSize float64
	Paint
}

// drawnEdge returns the edge look as as avdoc draws it, named name, and
// whether avdoc can draw it.
func drawnEdge(name string, as []attr) (DrawnEdge, bool) {
	d := DrawnEdge{Name: name, Head: true, Paint: Paint{Style: "solid"}}
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
	if known, ok := d.Paint.set(a); known {
		return ok && a.key != "fontname" && a.key != "fontsize" && a.key != "fontcolor"
	}
	switch a.key {
	case "pos":
		d.Pos = a.val
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

// DrawnCluster is a cluster's look avdoc draws itself (see
// figure.ClusterShapes): a box with rounded corners in one colour, in a
// solid, dashed or dotted line, filled with the graph's background, and
// a label of one plain line.
type DrawnCluster struct {
	Name   string
	BB, LP string // the box and the label's centre, in the layout's coordinates
	Label  string
	Fill   string // "" for none
	Paint
}

// drawnCluster returns the cluster look as, named name, in a graph whose
// attributes are graph, as avdoc draws it, and whether avdoc can draw it.
func drawnCluster(name string, as, graph []attr) (DrawnCluster, bool) {
	d := DrawnCluster{Name: name, Paint: Paint{PenWidth: 1, Style: "solid"}}
	rounded := false
	for _, a := range append(slices.Clip(clusterDefaults(graph)), as...) {
		ok := !a.html
		switch {
		case !ok:
		case a.key == "style":
			d.Style, rounded, ok = lineStyle(a.val)
		default:
			ok = d.set(a)
		}
		if !ok {
			return DrawnCluster{}, false
		}
	}
	return d, rounded && d.BB != "" && d.Color != "" && (d.Label == "" || d.LP != "" && d.written())
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
	if known, ok := d.Paint.set(a); known {
		return ok
	}
	switch a.key {
	case "bb":
		d.BB = a.val
	case "lp":
		d.LP = a.val
	case "label":
		d.Label = a.val
		return plainLine(a.val)
	case "bgcolor":
		d.Fill = a.val
		return hexColour(a.val)
	default:
		return false
	}
	return true
}

// DrawnNode is a node's look avdoc draws itself (see figure.BoxShapes): a
// box of fixed size, its corners rounded, square or one folded (a
// note), filled or not, in one or two outlines of one colour, in a
// solid, dashed or dotted line, with plain lines centred or the lines
// of an HTML-like label, each plain, bold or italic.
type DrawnNode struct {
	Name          string
	Pos           string  // its centre, in the layout's coordinates
	Width, Height float64 // in inches, as given
	Rounded       bool
	Note          bool   // shape "note"
	Fill          string // "#rrggbb" if filled, else ""
	Peripheries   int    // 1 or 2
	Lines         []string
	HTML          []HTMLLine // an HTML-like label's lines, in place of Lines
	Paint
}

// HTMLLine is a line of an HTML-like label: its text, entities decoded,
// and its face.
type HTMLLine struct {
	Text         string
	Bold, Italic bool
}

// drawnNode returns the node look as, named name, with the node defaults
// defaults, as avdoc draws it, and whether avdoc can draw it.
func drawnNode(name string, as, defaults []attr) (DrawnNode, bool) {
	d := DrawnNode{Name: name, Peripheries: 1, Paint: Paint{PenWidth: 1, Style: "solid"}}
	shape, fixed, filled, fill := "", false, false, ""
	for _, a := range append(slices.Clip(defaults), as...) {
		ok := !a.html || a.key == "label"
		switch {
		case !ok:
		case a.key == "shape":
			shape, ok = a.val, a.val == "box" || a.val == "note"
		case a.key == "fixedsize":
			fixed, ok = a.val == "true", a.val == "true"
		case a.key == "style":
			d.Style, d.Rounded, filled, ok = nodeStyle(a.val)
		case a.key == "fillcolor":
			fill, ok = a.val, hexColour(a.val)
		case a.key == "label" && a.html:
			d.Lines = nil
			d.HTML, ok = htmlLines(a.val)
		default:
			ok = d.set(a)
		}
		if !ok {
			return DrawnNode{}, false
		}
	}
	if d.Note = shape == "note"; filled {
		d.Fill = fill
	}
	ok := shape != "" && fixed && d.Pos != "" && d.Width > 0 && d.Height > 0 && d.Color != "" && d.written()
	return d, ok && len(d.Lines)+len(d.HTML) > 0 && !(d.Note && d.Rounded) && (!filled || fill != "")
}

// set takes attribute a of the look into d, and reports whether avdoc
// draws it as Graphviz would.
func (d *DrawnNode) set(a attr) bool {
	if known, ok := d.Paint.set(a); known {
		return ok
	}
	var err error
	switch a.key {
	case "pos":
		d.Pos = a.val
	case "width":
		d.Width, err = strconv.ParseFloat(a.val, 64)
	case "height":
		d.Height, err = strconv.ParseFloat(a.val, 64)
	case "label":
		d.Lines, d.HTML = strings.Split(a.val, "\n"), nil
		return !slices.ContainsFunc(d.Lines, func(l string) bool { return l == "" || !plainLine(l) })
	case "margin":
		// a fixed size leaves the margin nothing to do
	case "peripheries":
		d.Peripheries, err = strconv.Atoi(a.val)
		return err == nil && (a.val == "1" || a.val == "2")
	default:
		return false
	}
	return err == nil
}

// nodeStyle reads a box's style: its line, whether its corners are
// rounded and whether it is filled; ok is false for any other style.
func nodeStyle(s string) (line string, rounded, filled, ok bool) {
	var parts []string
	for _, part := range strings.Split(s, ",") {
		if strings.TrimSpace(part) == "filled" {
			filled = true
		} else {
			parts = append(parts, part)
		}
	}
	if len(parts) == 0 {
		return "solid", false, filled, true
	}
	line, rounded, ok = lineStyle(strings.Join(parts, ","))
	return line, rounded, filled, ok
}

// htmlLines reads an HTML-like label that is lines of text (<BR/>
// between them), each plain or all of it in <B> or <I>, and reports
// whether it is one: each line non-empty printable ASCII with no
// backslash and no run of spaces, its only markup the entities &amp;,
// &lt;, &gt; and &quot;.
func htmlLines(s string) ([]HTMLLine, bool) {
	var out []HTMLLine
	for _, l := range strings.Split(s, "<BR/>") {
		var h HTMLLine
		switch {
		case strings.HasPrefix(l, "<B>") && strings.HasSuffix(l, "</B>"):
			h.Bold, l = true, l[len("<B>"):len(l)-len("</B>")]
		case strings.HasPrefix(l, "<I>") && strings.HasSuffix(l, "</I>"):
			h.Italic, l = true, l[len("<I>"):len(l)-len("</I>")]
		}
		text, ok := htmlText(l)
		if !ok || text == "" || !plainLine(text) {
			return nil, false
		}
		h.Text = text
		out = append(out, h)
	}
	return out, true
}

// htmlText is the text of an HTML-like label's line without markup,
// its entities decoded; ok is false for markup or an entity but &amp;,
// &lt;, &gt; and &quot;.
func htmlText(s string) (string, bool) {
	if strings.ContainsAny(s, "<>") {
		return "", false
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '&')
		if i < 0 {
			b.WriteString(s)
			return b.String(), true
		}
		b.WriteString(s[:i])
		s = s[i:]
		n := 0
		for _, e := range [...][2]string{{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", `"`}} {
			if strings.HasPrefix(s, e[0]) {
				b.WriteString(e[1])
				n = len(e[0])
				break
			}
		}
		if n == 0 {
			return "", false
		}
		s = s[n:]
	}
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
