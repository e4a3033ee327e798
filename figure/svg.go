package figure

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// SVG prints the figure as a standalone SVG document. A figure of one
// panel without a caption is written as Graphviz's SVG renderer writes
// that drawing, element for element, with the figure's title,
// description and style in its head; several panels are nested <svg>
// elements on a page, each under its caption.
func (f *Figure) SVG() []byte {
	var b bytes.Buffer
	b.WriteString(xmlHeader)
	if f.single() {
		d := f.Panels[0].Drawing
		w, h := d.Size()
		fmt.Fprintf(&b, `<svg width="%dpt" height="%dpt" viewBox="0.00 0.00 %.2f %.2f" %s>`+"\n",
			int(math.Floor(w+0.5)), int(math.Floor(h+0.5)), w, h, svgNS)
		f.svgHead(&b)
		b.WriteString("\n")
		d.svgBody(&b)
	} else {
		f.svgPage(&b)
	}
	b.WriteString("</svg>\n")
	return b.Bytes()
}

// single reports whether the figure is one drawing alone.
func (f *Figure) single() bool { return len(f.Panels) == 1 && f.Panels[0].Caption == "" }

const (
	xmlHeader = `<?xml version="1.0" encoding="UTF-8" standalone="no"?>` + "\n"
	svgNS     = `xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" role="img"`
)

func (f *Figure) svgHead(b *bytes.Buffer) {
	b.WriteString("<title>" + EscapeXML(f.Title) + "</title>\n")
	b.WriteString("<desc>" + EscapeXML(f.Desc) + "</desc>\n")
	b.WriteString("<style>\n" + f.Style + "</style>\n")
}

// svgPage writes several panels, each a nested <svg> under its caption.
func (f *Figure) svgPage(b *bytes.Buffer) {
	fmt.Fprintf(b, `<svg width="%gpt" height="%gpt" viewBox="0 0 %g %g" %s>`+"\n", f.Width, f.Height, f.Width, f.Height, svgNS)
	f.svgHead(b)
	fmt.Fprintf(b, `<rect width="100%%" height="100%%" fill="%s"/>`+"\n", f.Background)
	for _, p := range f.Panels {
		if p.Caption != "" {
			fmt.Fprintf(b, `<text x="%g" y="%g" font-family="Arial" font-size="%d" font-weight="bold" fill="%s">%s</text>`+"\n",
				p.X, p.Y-captionBand+16, captionSize, f.Foreground, EscapeXML(p.Caption))
		}
		w, h := p.Drawing.pageSize()
		vw, vh := p.Drawing.Size()
		fmt.Fprintf(b, `<svg x="%g" y="%g" width="%g" height="%g" viewBox="0.00 0.00 %.2f %.2f">`+"\n\n", p.X, p.Y, w, h, vw, vh)
		p.Drawing.svgBody(b)
		b.WriteString("</svg>\n")
	}
}

// captionBand is the height of a caption's band above its panel.
const captionBand = 26

// svgBody writes the drawing's groups as Graphviz does: the graph's group
// holds the rest, y flipped by its transform.
func (d *Drawing) svgBody(b *bytes.Buffer) {
	for i, g := range d.Groups {
		if i == 0 {
			fmt.Fprintf(b, `<g id="%s" class="%s" transform="scale(1 1) rotate(0) translate(%s %s)">`+"\n",
				EscapeXML(g.ID), EscapeXML(g.Class), num(d.Pad-d.BB[0]), num(d.Pad+d.BB[3]))
			b.WriteString("<title>" + EscapeXML(g.Title) + "</title>\n")
			d.svgBackground(b, g)
			continue
		}
		fmt.Fprintf(b, `<g id="%s" class="%s">`+"\n", EscapeXML(g.ID), EscapeXML(g.Class))
		b.WriteString("<title>" + EscapeXML(g.Title) + "</title>\n")
		for _, s := range g.Shapes {
			s.svg(b)
		}
		b.WriteString("</g>\n")
	}
	b.WriteString("</g>\n")
}

// svgBackground fills the drawing's box and margin, as Graphviz does.
func (d *Drawing) svgBackground(b *bytes.Buffer, g Group) {
	for _, s := range g.Shapes {
		if s.Op != Polygon || !s.Filled {
			continue
		}
		x0, y0, x1, y1 := d.BB[0]-d.Pad, d.BB[1]-d.Pad, d.BB[2]+d.Pad, d.BB[3]+d.Pad
		bg := Shape{Op: Polygon, Filled: true, Fill: s.Fill, Pen: Pen{Color: "transparent", Width: 1},
			Points: []Point{{x0, y0}, {x0, y1}, {x1, y1}, {x1, y0}}}
		bg.svg(b)
	}
}

// svg writes one shape as Graphviz's SVG renderer does.
func (s Shape) svg(b *bytes.Buffer) {
	switch s.Op {
	case Text:
		s.svgText(b)
		return
	case Ellipse:
		b.WriteString("<ellipse")
		s.svgPaint(b)
		c, r := s.Points[0], s.Points[1]
		fmt.Fprintf(b, ` cx="%s" cy="%s" rx="%s" ry="%s"/>`+"\n", num(c.X), num(-c.Y), num(r.X), num(r.Y))
		return
	case Bezier:
		b.WriteString("<path")
		s.svgPaint(b)
		b.WriteString(` d="`)
		for i, p := range s.Points {
			switch i {
			case 0:
				b.WriteByte('M')
			case 1:
				b.WriteByte('C')
			default:
				b.WriteByte(' ')
			}
			writePoint(b, p)
		}
		b.WriteString(`"/>` + "\n")
		return
	}
	tag := "polygon"
	pts := s.Points
	if s.Op == Polyline {
		tag = "polyline"
	} else if len(pts) > 0 {
		pts = append(pts[:len(pts):len(pts)], pts[0])
	}
	b.WriteString("<" + tag)
	s.svgPaint(b)
	b.WriteString(` points="`)
	for i, p := range pts {
		if i > 0 {
			b.WriteByte(' ')
		}
		writePoint(b, p)
	}
	b.WriteString(`"/>` + "\n")
}

// svgPaint writes the fill and stroke attributes.
func (s Shape) svgPaint(b *bytes.Buffer) {
	b.WriteString(` fill="`)
	if s.Filled && s.Op != Polyline {
		b.WriteString(paint(s.Fill))
	} else {
		b.WriteString("none")
	}
	b.WriteString(`"`)
	if a, ok := alpha(s.Fill); ok && s.Filled && a > 0 {
		fmt.Fprintf(b, ` fill-opacity="%f"`, a)
	}
	b.WriteString(` stroke="` + paint(s.Pen.Color) + `"`)
	if s.Pen.Width != 1 {
		b.WriteString(` stroke-width="` + num(s.Pen.Width) + `"`)
	}
	switch s.Pen.Style {
	case "dashed":
		b.WriteString(` stroke-dasharray="5,2"`)
	case "dotted":
		b.WriteString(` stroke-dasharray="1,5"`)
	}
	if a, ok := alpha(s.Pen.Color); ok && a > 0 {
		fmt.Fprintf(b, ` stroke-opacity="%f"`, a)
	}
}

func (s Shape) svgText(b *bytes.Buffer) {
	t, p := s.Text, s.Points[0]
	anchor := "middle"
	switch t.Align {
	case 'l':
		anchor = "start"
	case 'r':
		anchor = "end"
	}
	b.WriteString(`<text text-anchor="` + anchor + `" x="`)
	writeNum(b, p.X)
	b.WriteString(`" y="`)
	writeNum(b, -p.Y)
	b.WriteString(`" font-family="` + EscapeXML(t.Face) + `"`)
	if t.Bold {
		b.WriteString(` font-weight="bold"`)
	}
	if t.Italic {
		b.WriteString(` font-style="italic"`)
	}
	b.WriteString(` font-size="`)
	b.Write(strconv.AppendFloat(make([]byte, 0, 16), t.Size, 'f', 2, 64))
	b.WriteString(`"`)
	if c := s.Pen.Color; !strings.EqualFold(c, "black") {
		b.WriteString(` fill="` + paint(c) + `"`)
	}
	b.WriteString(">" + escapeText(t.S) + "</text>\n")
}

// paint is a colour as Graphviz's SVG renderer writes it: an alpha
// channel is dropped (see alpha), a transparent colour is "none".
func paint(c string) string {
	if a, ok := alpha(c); ok {
		if a == 0 {
			return "none"
		}
		return c[:7]
	}
	if c == "transparent" {
		return "none"
	}
	return c
}

// alpha returns the opacity of an "#rrggbbaa" colour below 1.
func alpha(c string) (float64, bool) {
	if len(c) != 9 || c[0] != '#' {
		return 0, false
	}
	a, err := strconv.ParseUint(c[7:], 16, 8)
	if err != nil || a == 255 {
		return 0, false
	}
	return float64(a) / 255, true
}

// writePoint writes a point as "x,y", y flipped to SVG's.
func writePoint(b *bytes.Buffer, p Point) {
	writeNum(b, p.X)
	b.WriteByte(',')
	writeNum(b, -p.Y)
}

// writeNum writes x as num does, without making a string of it.
func writeNum(b *bytes.Buffer, x float64) {
	if x > -0.005 && x < 0.005 {
		b.WriteByte('0')
		return
	}
	var buf [32]byte
	s := bytes.TrimRight(strconv.AppendFloat(buf[:0], x, 'f', 2, 64), "0")
	b.Write(bytes.TrimSuffix(s, []byte(".")))
}

// num writes a coordinate as Graphviz does: two decimals at most, no
// trailing zeros, and no "-0".
func num(x float64) string {
	if x > -0.005 && x < 0.005 {
		return "0"
	}
	s := strconv.FormatFloat(x, 'f', 2, 64)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}
