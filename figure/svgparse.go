package figure

import (
	"fmt"
	"strconv"
	"strings"
)

// Pieces is Graphviz's drawing of a graph, object by object: the shapes
// of each, by its name (a graph's or a node's name, an edge's id), and
// the graph's box. Pieces that [ParseSVG] read are read-only: it measures
// their [Pieces.Bounds] once, for every frame composed from them.
type Pieces struct {
	BB     [4]float64
	Shapes map[string][]Shape

	measured bool       // bounds and bounded hold Bounds
	bounds   [4]float64 // Bounds, once measured
	bounded  bool
}

// ParseSVG reads Graphviz's SVG drawing of a graph into pieces: the
// shapes of each object, by its name (a node's or a cluster's, from its
// <title>; an edge's id), and the graph's box. It reads only what
// Graphviz's SVG renderer writes, one element a line, and is the inverse
// of [Figure.SVG]: Graphviz draws a graph to SVG well over twice as fast
// as to JSON, and avdoc draws every piece of a story once.
func ParseSVG(svg []byte) (*Pieces, error) {
	p := &Pieces{Shapes: map[string][]Shape{}}
	r := svgReader{p: p}
	// The pieces keep substrings of the text: one copy, no copy a line.
	for rest := string(svg); rest != ""; {
		l, next, _ := strings.Cut(rest, "\n")
		rest = next
		r.line++
		if err := r.read(strings.TrimSuffix(l, "\r")); err != nil {
			return nil, fmt.Errorf("reading Graphviz's drawing, line %d: %w", r.line, err)
		}
	}
	if !r.sized {
		return nil, fmt.Errorf("reading Graphviz's drawing: no <svg> with a viewBox")
	}
	p.bounds, p.bounded = p.Bounds()
	p.measured = true
	return p, nil
}

// BlankPieces is what [ParseSVG] reads of Graphviz's SVG drawing of a
// graph w×h points large (its box as Graphviz measures it) with nothing
// drawn but its background, of colour bg: the box, as the SVG's viewBox
// gives it (printf "%.2f" of the box and its margin, svg_begin_page),
// less the margin, and the graph's piece, that background over the box
// and its margin, stroked with no line. A graph of pieces all drawn by
// avdoc has this drawing without Graphviz.
func BlankPieces(w, h float64, bg string) (*Pieces, error) {
	p := &Pieces{Shapes: map[string][]Shape{}}
	r := svgReader{p: p}
	viewBox := "0 0 " + strconv.FormatFloat(w+2*svgPad, 'f', 2, 64) + " " + strconv.FormatFloat(h+2*svgPad, 'f', 2, 64)
	if err := r.size(attrs{{"viewBox", viewBox}}); err != nil {
		return nil, err
	}
	p.Shapes["graph"] = []Shape{{Op: Polygon, Points: r.box(), Filled: true, Fill: bg, Pen: Pen{Color: "transparent", Width: 1, Style: "solid"}}}
	p.bounds, p.bounded = p.Bounds()
	p.measured = true
	return p, nil
}

// svgReader reads a Graphviz SVG line by line.
type svgReader struct {
	p      *Pieces
	line   int
	sized  bool
	group  string // the object being read: its id, until its <title> names it
	class  string
	shapes []Shape
	in     bool // inside an object's <g>
}

// read reads one line.
func (r *svgReader) read(l string) error {
	switch {
	case !r.sized && strings.Contains(l, ` viewBox="`): // the <svg> element's second line
		return r.size(attrsOf(l))
	case strings.HasPrefix(l, "<g "): // the graph's group holds the others' and its background
		r.end()
		a := attrsOf(l)
		r.group, r.class, r.shapes, r.in = a.get("id"), firstWord(a.get("class")), nil, true
		if r.class == "graph" {
			r.group = "graph"
		}
	case strings.HasPrefix(l, "<title>"):
		if t, ok := between(l, "<title>", "</title>"); ok && r.in && r.class != "edge" && r.class != "graph" {
			r.group = unescapeSVG(t)
		}
	case l == "</g>":
		r.end()
	case strings.HasPrefix(l, "<text "):
		return r.text(l)
	case strings.HasPrefix(l, "<polygon "), strings.HasPrefix(l, "<polyline "), strings.HasPrefix(l, "<path "), strings.HasPrefix(l, "<ellipse "):
		s, err := shapeOf(l)
		if err != nil {
			return err
		}
		if r.class == "graph" && s.Op == Polygon { // the background fills the margin too
			s.Points = r.box()
		}
		r.shapes = append(r.shapes, s)
	}
	return nil
}

// end keeps the shapes of the object being read.
func (r *svgReader) end() {
	if r.in {
		r.p.Shapes[r.group] = r.shapes
	}
	r.in = false
}

// size reads the drawing's box from the root element: its view box less
// Graphviz's margin, which is on the graph group's transform (4 points).
func (r *svgReader) size(a attrs) error {
	f := strings.Fields(a.get("viewBox"))
	if len(f) != 4 {
		return fmt.Errorf("viewBox %q", a.get("viewBox"))
	}
	w, err1 := strconv.ParseFloat(f[2], 64)
	h, err2 := strconv.ParseFloat(f[3], 64)
	if err1 != nil || err2 != nil {
		return fmt.Errorf("viewBox %q", a.get("viewBox"))
	}
	r.p.BB, r.sized = [4]float64{0, 0, w - 2*svgPad, h - 2*svgPad}, true
	return nil
}

// svgPad is the margin Graphviz's SVG puts around a drawing.
const svgPad = 4

// box is the graph's box as a polygon: the background, which the SVG
// draws over the margin too.
func (r *svgReader) box() []Point {
	bb := r.p.BB
	return []Point{{bb[0], bb[1]}, {bb[0], bb[3]}, {bb[2], bb[3]}, {bb[2], bb[1]}}
}

// attrs reads an element's attributes, name="value", in the order
// written; a name that comes twice is the last.
type attrs []attr

// attr is one attribute.
type attr struct{ name, value string }

// attrsOf reads the attributes of an element's line.
func attrsOf(l string) attrs {
	out := make(attrs, 0, 8)
	for {
		i := strings.Index(l, `="`)
		if i < 0 {
			return out
		}
		start := i
		for start > 0 && isNameByte(l[start-1]) {
			start--
		}
		for start < i && !isLetter(l[start]) { // a name starts with a letter
			start++
		}
		end := strings.IndexByte(l[i+2:], '"')
		if start < i && end < 0 {
			return out
		}
		if start < i {
			out = append(out, attr{l[start:i], l[i+2 : i+2+end]})
			l = l[i+3+end:]
			continue
		}
		l = l[i+2:]
	}
}

// isLetter reports whether c is an ASCII letter.
func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// isNameByte reports whether c may be in an attribute's name.
func isNameByte(c byte) bool { return isLetter(c) || c == '-' }

// lookup returns the value of the attribute called name, and whether
// there is one.
func (a attrs) lookup(name string) (string, bool) {
	for i := len(a) - 1; i >= 0; i-- {
		if a[i].name == name {
			return a[i].value, true
		}
	}
	return "", false
}

// get returns the value of the attribute called name, or "".
func (a attrs) get(name string) string {
	v, _ := a.lookup(name)
	return v
}

// between returns what l holds between prefix and suffix, if it starts
// with the one and ends with the other.
func between(l, prefix, suffix string) (string, bool) {
	if len(l) < len(prefix)+len(suffix) || !strings.HasPrefix(l, prefix) || !strings.HasSuffix(l, suffix) {
		return "", false
	}
	return l[len(prefix) : len(l)-len(suffix)], true
}

// shapeOf reads a polygon, polyline, path or ellipse.
func shapeOf(l string) (Shape, error) {
	a := attrsOf(l)
	s := Shape{Pen: pen(a), Fill: colour(a.get("fill"), a.get("fill-opacity")), Filled: a.get("fill") != "none"}
	var err error
	switch {
	case strings.HasPrefix(l, "<polygon "):
		s.Op = Polygon
		s.Points, err = svgPoints(a.get("points"))
		if len(s.Points) > 1 {
			s.Points = s.Points[:len(s.Points)-1] // Graphviz closes it with its first point
		}
	case strings.HasPrefix(l, "<polyline "):
		s.Op, s.Filled = Polyline, false
		s.Points, err = svgPoints(a.get("points"))
	case strings.HasPrefix(l, "<path "):
		s.Op = Bezier
		s.Points, err = svgPoints(pathPoints(a.get("d")))
	default:
		s.Op = Ellipse
		var v [4]float64
		for i, k := range []string{"cx", "cy", "rx", "ry"} {
			if v[i], err = strconv.ParseFloat(a.get(k), 64); err != nil {
				return s, fmt.Errorf("ellipse %s %q", k, a.get(k))
			}
		}
		s.Points = []Point{{v[0], -v[1]}, {v[2], v[3]}}
	}
	return s, err
}

// pathPoints is a path's points, "Mx,y Cx,y x,y x,y ...", as svgPoints
// reads them: the M gone, a C a space.
func pathPoints(d string) string {
	b := make([]byte, 0, len(d)+8)
	for i := 0; i < len(d); i++ {
		switch d[i] {
		case 'M':
		case 'C':
			b = append(b, ' ')
		default:
			b = append(b, d[i])
		}
	}
	return string(b)
}

// firstWord is the first word of s, or "?" when it has none.
func firstWord(s string) string {
	if f := strings.Fields(s); len(f) > 0 {
		return f[0]
	}
	return "?"
}

// svgPoints reads "x,y x,y ...", y flipped back to Graphviz's.
func svgPoints(s string) ([]Point, error) {
	var out []Point
	if n := strings.Count(s, ","); n > 0 {
		out = make([]Point, 0, n)
	}
	for s != "" {
		var xy string
		if xy, s = nextField(s); xy == "" {
			break
		}
		xs, ys, ok := strings.Cut(xy, ",")
		x, err1 := strconv.ParseFloat(xs, 64)
		y, err2 := strconv.ParseFloat(ys, 64)
		if !ok || err1 != nil || err2 != nil {
			return nil, fmt.Errorf("point %q", xy)
		}
		out = append(out, Point{x, -y})
	}
	return out, nil
}

// nextField returns the first word of s and what follows it: Graphviz's
// points are ASCII, split at ASCII white space.
func nextField(s string) (string, string) {
	i := 0
	for i < len(s) && asciiSpace(s[i]) {
		i++
	}
	j := i
	for j < len(s) && !asciiSpace(s[j]) {
		j++
	}
	return s[i:j], s[j:]
}

// asciiSpace reports whether c is ASCII white space.
func asciiSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// pen reads a shape's stroke.
func pen(a attrs) Pen {
	p := Pen{Color: colour(a.get("stroke"), a.get("stroke-opacity")), Width: 1, Style: "solid"}
	if w, err := strconv.ParseFloat(a.get("stroke-width"), 64); err == nil {
		p.Width = w
	}
	switch a.get("stroke-dasharray") {
	case "5,2":
		p.Style = "dashed"
	case "1,5":
		p.Style = "dotted"
	}
	return p
}

// colour is an SVG paint as Graphviz gave it: an opacity below 1 goes
// back into the colour's alpha channel, "none" is transparent.
func colour(c, opacity string) string {
	if c == "none" || c == "" {
		return "transparent"
	}
	if o, err := strconv.ParseFloat(opacity, 64); err == nil && len(c) == 7 {
		return fmt.Sprintf("%s%02x", c, int(float64(o*255)+0.5))
	}
	return c
}

// text reads a line of text. Graphviz's SVG does not give its width:
// Arial's metrics do (see textWidth).
func (r *svgReader) text(l string) error {
	body, ok := between(l, "<text ", "</text>")
	open, s, found := strings.Cut(body, ">")
	if !ok || !found {
		return fmt.Errorf("text %q", l)
	}
	a := attrsOf(open)
	x, err1 := strconv.ParseFloat(a.get("x"), 64)
	y, err2 := strconv.ParseFloat(a.get("y"), 64)
	size, err3 := strconv.ParseFloat(a.get("font-size"), 64)
	if err1 != nil || err2 != nil || err3 != nil {
		return fmt.Errorf("text position or size in %q", l)
	}
	t := TextSpan{S: unescapeSVG(s), Face: unescapeSVG(a.get("font-family")), Size: size,
		Bold: a.get("font-weight") == "bold", Italic: a.get("font-style") == "italic", Align: 'c'}
	switch a.get("text-anchor") {
	case "start":
		t.Align = 'l'
	case "end":
		t.Align = 'r'
	}
	t.Width = textWidth(t.S, size, t.Bold)
	c := "black"
	if f, ok := a.lookup("fill"); ok {
		c = colour(f, a.get("fill-opacity"))
	}
	r.shapes = append(r.shapes, Shape{Op: Text, Points: []Point{{x, -y}}, Pen: Pen{Color: c, Width: 1, Style: "solid"}, Text: t})
	return nil
}

// unescapeSVG undoes Graphviz's escaping of text: the XML specials, the
// dash and apostrophe it writes as references, and the non-breaking
// space it writes for the second of two spaces.
var unescapeSVG = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&quot;", `"`,
	"&#39;", "'", "&#45;", "-", "&#160;", " ").Replace
