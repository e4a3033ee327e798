package figure

import (
	"cmp"
	"fmt"
)

// Bounds is the box the drawing's shapes cover, x0, y0, x1, y1, in
// Graphviz's coordinates, with half of each stroke; the graph's
// background, which fills the whole box whatever it is, does not count.
// It reports false for a drawing with nothing on it.
func (d *Drawing) Bounds() ([4]float64, bool) {
	var b box
	for _, g := range d.Groups {
		for _, s := range g.Shapes {
			if g.Kind == "graph" && s.Op == Polygon {
				continue // the background
			}
			b.addShape(s)
		}
	}
	return b.bb, b.any
}

// Crop shrinks the drawing's box to its shapes' bounds (see
// [Drawing.Bounds]), keeping its margin: a frame drawn on a story-wide
// layout loses the empty space of what it does not show. It never grows
// the box, and leaves an empty drawing as it is.
func (d *Drawing) Crop() {
	if b, ok := d.Bounds(); ok {
		d.BB = clip(b, d.BB)
	}
}

// CropAll shrinks the drawings' boxes to the union of their bounds, so
// that drawings on one layout stay aligned with each other: a film
// strip's steps, kernels side by side.
func CropAll(ds []*Drawing) {
	var b box
	for _, d := range ds {
		if bb, ok := d.Bounds(); ok {
			b.add(bb[0], bb[1])
			b.add(bb[2], bb[3])
		}
	}
	if !b.any {
		return
	}
	for _, d := range ds {
		d.BB = clip(b.bb, d.BB)
	}
}

// clip is b within outer.
func clip(b, outer [4]float64) [4]float64 {
	return [4]float64{max(b[0], outer[0]), max(b[1], outer[1]), min(b[2], outer[2]), min(b[3], outer[3])}
}

// box grows to hold points.
type box struct {
	bb  [4]float64
	any bool
}

func (b *box) add(x, y float64) {
	if !b.any {
		b.bb, b.any = [4]float64{x, y, x, y}, true
		return
	}
	b.bb = [4]float64{min(b.bb[0], x), min(b.bb[1], y), max(b.bb[2], x), max(b.bb[3], y)}
}

// The extent of a line of text above and below its baseline, as a share
// of its font size (Arial's ascent and descent, rounded up).
const (
	textAscent  = 0.91
	textDescent = 0.22
)

// addShape adds what s covers. A Bézier curve lies within its control
// points; a stroke reaches half its width beyond its path.
func (b *box) addShape(s Shape) {
	if len(s.Points) == 0 {
		return
	}
	p, half := s.Points[0], float64(s.Pen.Width/2) // float64() here and below: never fused into a multiply-add
	switch s.Op {
	case Text:
		x0 := p.X - float64(s.Text.Width/2)
		switch s.Text.Align {
		case 'l':
			x0 = p.X
		case 'r':
			x0 = p.X - s.Text.Width
		}
		b.add(x0, p.Y-float64(textDescent*s.Text.Size))
		b.add(x0+s.Text.Width, p.Y+float64(textAscent*s.Text.Size))
	case Ellipse:
		if len(s.Points) < 2 {
			return
		}
		r := s.Points[1]
		b.add(p.X-r.X-half, p.Y-r.Y-half)
		b.add(p.X+r.X+half, p.Y+r.Y+half)
	default:
		for _, q := range s.Points {
			b.add(q.X-half, q.Y-half)
			b.add(q.X+half, q.Y+half)
		}
	}
}

// Bounds is the box every piece but the graph's background covers: the
// union of what any frame composed from the pieces can show.
func (p *Pieces) Bounds() ([4]float64, bool) {
	if p.measured {
		return p.bounds, p.bounded
	}
	var b box
	for name, shapes := range p.Shapes {
		if name == "graph" {
			continue
		}
		for _, s := range shapes {
			b.addShape(s)
		}
	}
	return b.bb, b.any
}

// CropFrom shrinks the drawing's box at its right and bottom to its
// shapes' bounds, and at its left and top to those of from (the bounds
// of every frame of a story, see [Pieces.Bounds]): frames shown one
// after another at their natural size, their top left corners aligned,
// keep every object at one place on the screen, and none keeps the
// empty space to the right of and below what it shows.
func (d *Drawing) CropFrom(from [4]float64) {
	if b, ok := d.Bounds(); ok {
		d.BB = clip([4]float64{from[0], b[1], b[2], from[3]}, d.BB)
	}
}

// Add adds a piece that avdoc draws itself, named name, to p.
func (p *Pieces) Add(name string, shapes []Shape) {
	p.Shapes[name] = shapes
	p.measured = false
}

// Derived is a piece drawn from another: Base's shapes with its stand-in
// colours and pen widths replaced.
type Derived struct {
	Name, Base string
	Colours    map[string]string   // by stand-in colour
	Widths     map[float64]float64 // by stand-in pen width
}

// Derive adds the derived pieces, then takes away the pieces they were
// drawn from, which no frame shows, and measures the bounds again.
func (p *Pieces) Derive(ds []Derived) error {
	for _, d := range ds {
		base, ok := p.Shapes[d.Base]
		if !ok {
			return fmt.Errorf("piece %s is drawn from %s, which Graphviz did not draw", d.Name, d.Base)
		}
		shapes := make([]Shape, len(base))
		for i, s := range base {
			s.Pen.Color = cmp.Or(d.Colours[s.Pen.Color], s.Pen.Color)
			s.Fill = cmp.Or(d.Colours[s.Fill], s.Fill)
			if w, ok := d.Widths[s.Pen.Width]; ok {
				s.Pen.Width = w
			}
			shapes[i] = s
		}
		p.Shapes[d.Name] = shapes
	}
	for _, d := range ds {
		delete(p.Shapes, d.Base)
	}
	p.measured = false
	p.bounds, p.bounded = p.Bounds()
	p.measured = true
	return nil
}
