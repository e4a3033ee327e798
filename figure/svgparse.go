package figure

import (
	"bufio"
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Pieces is Graphviz's drawing of a graph, object by object: the shapes
// of each, by its name (a graph's or a node's name, an edge's id), and
// the graph's box.
type Pieces struct {
	BB     [4]float64
	Shapes map[string][]Shape
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
	sc := bufio.NewScanner(bytes.NewReader(svg))
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	for sc.Scan() {
		r.line++
		if err := r.read(sc.Text()); err != nil {
			return nil, fmt.Errorf("reading Graphviz's drawing, line %d: %w", r.line, err)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading Graphviz's drawing: %w", err)
	}
	if !r.sized {
		return nil, fmt.Errorf("reading Graphviz's drawing: no <svg> with a viewBox")
	}
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

var (
	svgAttr  = regexp.MustCompile(`([a-zA-Z][a-zA-Z-]*)="([^"]*)"`)
	svgTitle = regexp.MustCompile(`^<title>(.*)</title>$`)
	svgText  = regexp.MustCompile(`^<text ([^>]*)>(.*)</text>$`)
)

// read reads one line.
func (r *svgReader) read(l string) error {
	switch {
	case !r.sized && strings.Contains(l, ` viewBox="`): // the <svg> element's second line
		return r.size(attrs(l))
	case strings.HasPrefix(l, "<g "): // the graph's group holds the others' and its background
		r.end()
		a := attrs(l)
		r.group, r.class, r.shapes, r.in = a["id"], strings.Fields(a["class"] + " ?")[0], nil, true
		if r.class == "graph" {
			r.group = "graph"
		}
	case strings.HasPrefix(l, "<title>"):
		if m := svgTitle.FindStringSubmatch(l); m != nil && r.in && r.class != "edge" && r.class != "graph" {
			r.group = unescapeSVG(m[1])
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
func (r *svgReader) size(a map[string]string) error {
	f := strings.Fields(a["viewBox"])
	if len(f) != 4 {
		return fmt.Errorf("viewBox %q", a["viewBox"])
	}
	w, err1 := strconv.ParseFloat(f[2], 64)
	h, err2 := strconv.ParseFloat(f[3], 64)
	if err1 != nil || err2 != nil {
		return fmt.Errorf("viewBox %q", a["viewBox"])
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

// attrs reads an element's attributes.
func attrs(l string) map[string]string {
	out := map[string]string{}
	for _, m := range svgAttr.FindAllStringSubmatch(l, -1) {
		out[m[1]] = m[2]
	}
	return out
}

// shapeOf reads a polygon, polyline, path or ellipse.
func shapeOf(l string) (Shape, error) {
	a := attrs(l)
	s := Shape{Pen: pen(a), Fill: colour(a["fill"], a["fill-opacity"]), Filled: a["fill"] != "none"}
	var err error
	switch {
	case strings.HasPrefix(l, "<polygon "):
		s.Op = Polygon
		s.Points, err = svgPoints(a["points"])
		if len(s.Points) > 1 {
			s.Points = s.Points[:len(s.Points)-1] // Graphviz closes it with its first point
		}
	case strings.HasPrefix(l, "<polyline "):
		s.Op, s.Filled = Polyline, false
		s.Points, err = svgPoints(a["points"])
	case strings.HasPrefix(l, "<path "):
		s.Op = Bezier
		d := strings.NewReplacer("M", "", "C", " ").Replace(a["d"])
		s.Points, err = svgPoints(d)
	default:
		s.Op = Ellipse
		var v [4]float64
		for i, k := range []string{"cx", "cy", "rx", "ry"} {
			if v[i], err = strconv.ParseFloat(a[k], 64); err != nil {
				return s, fmt.Errorf("ellipse %s %q", k, a[k])
			}
		}
		s.Points = []Point{{v[0], -v[1]}, {v[2], v[3]}}
	}
	return s, err
}

// svgPoints reads "x,y x,y ...", y flipped back to Graphviz's.
func svgPoints(s string) ([]Point, error) {
	var out []Point
	for _, xy := range strings.Fields(s) {
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

// pen reads a shape's stroke.
func pen(a map[string]string) Pen {
	p := Pen{Color: colour(a["stroke"], a["stroke-opacity"]), Width: 1, Style: "solid"}
	if w, err := strconv.ParseFloat(a["stroke-width"], 64); err == nil {
		p.Width = w
	}
	switch a["stroke-dasharray"] {
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
		return fmt.Sprintf("%s%02x", c, int(o*255+0.5))
	}
	return c
}

// text reads a line of text. Graphviz's SVG does not give its width:
// Arial's metrics do (see textWidth).
func (r *svgReader) text(l string) error {
	m := svgText.FindStringSubmatch(l)
	if m == nil {
		return fmt.Errorf("text %q", l)
	}
	a := attrs("<" + m[1])
	x, err1 := strconv.ParseFloat(a["x"], 64)
	y, err2 := strconv.ParseFloat(a["y"], 64)
	size, err3 := strconv.ParseFloat(a["font-size"], 64)
	if err1 != nil || err2 != nil || err3 != nil {
		return fmt.Errorf("text position or size in %q", l)
	}
	t := TextSpan{S: unescapeSVG(m[2]), Face: unescapeSVG(a["font-family"]), Size: size,
		Bold: a["font-weight"] == "bold", Italic: a["font-style"] == "italic", Align: 'c'}
	switch a["text-anchor"] {
	case "start":
		t.Align = 'l'
	case "end":
		t.Align = 'r'
	}
	t.Width = textWidth(t.S, size, t.Bold)
	c := "black"
	if f, ok := a["fill"]; ok {
		c = colour(f, a["fill-opacity"])
	}
	r.shapes = append(r.shapes, Shape{Op: Text, Points: []Point{{x, -y}}, Pen: Pen{Color: c, Width: 1, Style: "solid"}, Text: t})
	return nil
}

// unescapeSVG undoes Graphviz's escaping of text: the XML specials, the
// dash and apostrophe it writes as references, and the non-breaking
// space it writes for the second of two spaces.
var unescapeSVG = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&quot;", `"`,
	"&#39;", "'", "&#45;", "-", "&#160;", " ").Replace
