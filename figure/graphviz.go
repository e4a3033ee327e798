package figure

import (
	"encoding/json"
	"fmt"
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

// gvJSON is what avdoc reads of Graphviz's "json" output.
type gvJSON struct {
	Name    string     `json:"name"`
	BB      string     `json:"bb"`
	Objects []gvObject `json:"objects"`
	Edges   []gvObject `json:"edges"`
	gvOps
}

type gvObject struct {
	Name string `json:"name"`
	ID   string `json:"id"`
	gvOps
}

// gvOps are an object's drawing operations, list by list, in the order
// Graphviz's SVG renderer emits them.
type gvOps struct {
	Draw   []gvOp `json:"_draw_"`
	TDraw  []gvOp `json:"_tdraw_"`
	HDraw  []gvOp `json:"_hdraw_"`
	LDraw  []gvOp `json:"_ldraw_"`
	TLDraw []gvOp `json:"_tldraw_"`
	HLDraw []gvOp `json:"_hldraw_"`
}

// gvOp is one xdot operation (see Graphviz's xdot documentation).
type gvOp struct {
	Op       string       `json:"op"`
	Color    string       `json:"color"`
	Style    string       `json:"style"`
	Size     float64      `json:"size"`
	Face     string       `json:"face"`
	FontChar int          `json:"fontchar"`
	Pt       []float64    `json:"pt"`
	Align    string       `json:"align"`
	Width    float64      `json:"width"`
	Text     string       `json:"text"`
	Points   [][2]float64 `json:"points"`
	Rect     []float64    `json:"rect"`
}

// Parse reads Graphviz's "json" output (a graph with its drawing
// operations) into pieces.
func Parse(data []byte) (*Pieces, error) {
	var g gvJSON
	if err := json.Unmarshal(data, &g); err != nil {
		return nil, fmt.Errorf("reading Graphviz's drawing: %w", err)
	}
	p := &Pieces{Shapes: map[string][]Shape{}}
	if err := parseBB(g.BB, &p.BB); err != nil {
		return nil, fmt.Errorf("reading Graphviz's drawing: graph bb: %w", err)
	}
	if err := p.add("graph", &g.gvOps); err != nil {
		return nil, err
	}
	p.fitBackground()
	for i := range g.Objects {
		if err := p.add(g.Objects[i].Name, &g.Objects[i].gvOps); err != nil {
			return nil, err
		}
	}
	for i := range g.Edges {
		if id := g.Edges[i].ID; id != "" {
			if err := p.add(id, &g.Edges[i].gvOps); err != nil {
				return nil, err
			}
		}
	}
	return p, nil
}

// fitBackground takes the box from the graph's background, which
// Graphviz writes with two decimals where its bb has five digits.
func (p *Pieces) fitBackground() {
	for _, s := range p.Shapes["graph"] {
		if s.Op == Polygon && len(s.Points) > 0 {
			bb := [4]float64{s.Points[0].X, s.Points[0].Y, s.Points[0].X, s.Points[0].Y}
			for _, pt := range s.Points {
				bb = [4]float64{min(bb[0], pt.X), min(bb[1], pt.Y), max(bb[2], pt.X), max(bb[3], pt.Y)}
			}
			p.BB = bb
			return
		}
	}
}

func parseBB(s string, bb *[4]float64) error {
	f := strings.Split(s, ",")
	if len(f) != 4 {
		return fmt.Errorf("%q is not a box", s)
	}
	for i, v := range f {
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return fmt.Errorf("%q is not a box", s)
		}
		bb[i] = x
	}
	return nil
}

// add reads one object's operations.
func (p *Pieces) add(name string, o *gvOps) error {
	var out []Shape
	for _, list := range [][]gvOp{o.Draw, o.TDraw, o.HDraw, o.LDraw, o.TLDraw, o.HLDraw} {
		st := state{pen: Pen{Color: "black", Width: 1, Style: "solid"}, fill: "black"}
		for _, op := range list {
			s, ok, err := st.apply(op)
			if err != nil {
				return fmt.Errorf("reading Graphviz's drawing of %s: %w", name, err)
			}
			if ok {
				out = append(out, s)
			}
		}
	}
	p.Shapes[name] = out
	return nil
}

// state is the pen, fill and font in force while reading a list.
type state struct {
	pen  Pen
	fill string
	font TextSpan
}

// apply applies one operation: a change of state, or a shape.
func (st *state) apply(op gvOp) (Shape, bool, error) {
	switch op.Op {
	case "c":
		st.pen.Color = op.Color
	case "C":
		st.fill = op.Color
	case "S":
		st.style(op.Style)
	case "F":
		st.font.Size, st.font.Face = op.Size, op.Face
	case "t":
		st.font.Bold, st.font.Italic = op.FontChar&1 != 0, op.FontChar&2 != 0
	case "T":
		return st.text(op)
	case "P", "p", "B", "b", "L":
		return st.path(op), true, nil
	case "E", "e":
		if len(op.Rect) != 4 {
			return Shape{}, false, fmt.Errorf("ellipse with %d numbers", len(op.Rect))
		}
		r := op.Rect
		return Shape{Op: Ellipse, Points: []Point{{r[0], r[1]}, {r[2], r[3]}}, Filled: op.Op == "E", Fill: st.fill, Pen: st.pen}, true, nil
	default:
		return Shape{}, false, fmt.Errorf("unknown drawing operation %q", op.Op)
	}
	return Shape{}, false, nil
}

func (st *state) style(s string) {
	switch {
	case strings.HasPrefix(s, "setlinewidth("):
		if w, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimPrefix(s, "setlinewidth("), ")"), 64); err == nil {
			st.pen.Width = w
		}
	case s == "solid" || s == "dashed" || s == "dotted":
		st.pen.Style = s
	case s == "bold":
		st.pen.Width = 2
	}
}

func (st *state) text(op gvOp) (Shape, bool, error) {
	if len(op.Pt) != 2 {
		return Shape{}, false, fmt.Errorf("text with %d coordinates", len(op.Pt))
	}
	t := st.font
	t.S, t.Width, t.Align = op.Text, op.Width, 'c'
	if op.Align == "l" || op.Align == "r" {
		t.Align = op.Align[0]
	}
	return Shape{Op: Text, Points: []Point{{op.Pt[0], op.Pt[1]}}, Pen: st.pen, Text: t}, true, nil
}

func (st *state) path(op gvOp) Shape {
	s := Shape{Pen: st.pen, Fill: st.fill, Filled: op.Op == "P" || op.Op == "B"}
	switch op.Op {
	case "P", "p":
		s.Op = Polygon
	case "B", "b":
		s.Op = Bezier
	default:
		s.Op = Polyline
	}
	for _, pt := range op.Points {
		s.Points = append(s.Points, Point{pt[0], pt[1]})
	}
	return s
}
