package figure

import (
	"fmt"
	"image/color"
	"strconv"

	"codeberg.org/go-fonts/liberation/liberationsansbold"
	"codeberg.org/go-fonts/liberation/liberationsansitalic"
	"codeberg.org/go-fonts/liberation/liberationsansregular"
	"github.com/tdewolff/canvas"
)

// Fonts are the faces the PDF and PNG printers set text in: Liberation
// Sans, which has Arial's metrics, the metrics Graphviz measured every
// label with, in regular, bold and italic (avdoc's labels never use bold
// italic, and each face adds 0.4 MB to the binary). Load them once with
// [LoadFonts] and share them.
type Fonts struct{ family *canvas.FontFamily }

// LoadFonts reads the embedded Liberation Sans faces (SIL Open Font
// License).
func LoadFonts() (*Fonts, error) {
	fam := canvas.NewFontFamily("Liberation Sans")
	for _, f := range []struct {
		ttf   []byte
		style canvas.FontStyle
	}{
		{liberationsansregular.TTF, canvas.FontRegular},
		{liberationsansbold.TTF, canvas.FontBold},
		{liberationsansitalic.TTF, canvas.FontItalic},
	} {
		if err := fam.LoadFont(f.ttf, 0, f.style); err != nil {
			return nil, fmt.Errorf("loading Liberation Sans: %w", err)
		}
	}
	return &Fonts{family: fam}, nil
}

// mm is one point in millimetres, canvas's unit.
const mm = 25.4 / 72

// page is a figure's size in points.
func (f *Figure) page() (w, h float64) {
	if f.single() {
		return f.Panels[0].Drawing.Size()
	}
	return f.Width, f.Height
}

// canvas draws the figure on a canvas, in millimetres, y up.
func (f *Figure) canvas(fonts *Fonts) *canvas.Canvas {
	w, h := f.page()
	c := canvas.New(w*mm, h*mm)
	ctx := canvas.NewContext(c)
	ctx.SetStrokeJoiner(canvas.MiterJoin)
	ctx.SetStrokeCapper(canvas.ButtCap)
	if !f.single() {
		ctx.SetFill(parseColour(f.Background))
		ctx.SetStroke(canvas.Transparent)
		ctx.DrawPath(0, 0, canvas.Rectangle(w*mm, h*mm))
	}
	for _, p := range f.Panels {
		if p.Caption != "" {
			face := fonts.family.Face(captionSize, parseColour(f.Foreground), canvas.FontBold)
			ctx.DrawText(p.X*mm, (h-(p.Y-captionBand+16))*mm, canvas.NewTextLine(face, p.Caption, canvas.Left))
		}
		d := p.Drawing
		dw := drawer{ctx: ctx, fonts: fonts, dx: p.X + d.Pad - d.BB[0], dy: h - p.Y - d.Pad - d.BB[3]}
		(&dw).drawing(d)
	}
	return c
}

// drawer draws one drawing, shifted from Graphviz's coordinates to the
// page's by (dx, dy) points.
type drawer struct {
	ctx     *canvas.Context
	fonts   *Fonts
	dx, dy  float64
	opacity float64 // the group's
}

// colour is c faded by the group's opacity.
func (dw *drawer) colour(c string) color.RGBA {
	rgba := parseColour(c)
	f := dw.opacity
	return color.RGBA{uint8(float64(rgba.R) * f), uint8(float64(rgba.G) * f), uint8(float64(rgba.B) * f), uint8(float64(rgba.A) * f)}
}

func (dw *drawer) drawing(d *Drawing) {
	for i, g := range d.Groups {
		dw.opacity = 1
		if g.Opacity > 0 {
			dw.opacity = g.Opacity
		}
		for _, s := range g.Shapes {
			if i == 0 && s.Op == Polygon && s.Filled { // the background covers the margin too
				x0, y0, x1, y1 := d.BB[0]-d.Pad, d.BB[1]-d.Pad, d.BB[2]+d.Pad, d.BB[3]+d.Pad
				s = Shape{Op: Polygon, Filled: true, Fill: s.Fill, Pen: Pen{Color: "transparent"},
					Points: []Point{{x0, y0}, {x0, y1}, {x1, y1}, {x1, y0}}}
			}
			dw.shape(s)
		}
	}
}

func (dw *drawer) shape(s Shape) {
	if s.Op == Text {
		dw.text(s)
		return
	}
	ctx := dw.ctx
	ctx.SetFill(canvas.Transparent)
	if s.Filled && s.Op != Polyline {
		ctx.SetFill(dw.colour(s.Fill))
	}
	ctx.SetStroke(dw.colour(s.Pen.Color))
	ctx.SetStrokeWidth(s.Pen.Width * mm)
	// canvas measures dashes in stroke widths; SVG's are in points
	w := max(s.Pen.Width, 0.01)
	switch s.Pen.Style {
	case "dashed":
		ctx.SetDashes(0, 5/w, 2/w)
	case "dotted":
		ctx.SetDashes(0, 1/w, 5/w)
	default:
		ctx.SetDashes(0)
	}
	ctx.DrawPath(0, 0, dw.path(s))
}

// path is a shape's outline on the page.
func (dw *drawer) path(s Shape) *canvas.Path {
	at := func(p Point) (float64, float64) { return (p.X + dw.dx) * mm, (p.Y + dw.dy) * mm }
	if s.Op == Ellipse {
		x, y := at(s.Points[0])
		return canvas.Ellipse(s.Points[1].X*mm, s.Points[1].Y*mm).Translate(x, y)
	}
	p := &canvas.Path{}
	if len(s.Points) == 0 {
		return p
	}
	p.MoveTo(at(s.Points[0]))
	if s.Op == Bezier {
		for i := 1; i+2 < len(s.Points); i += 3 {
			x1, y1 := at(s.Points[i])
			x2, y2 := at(s.Points[i+1])
			x3, y3 := at(s.Points[i+2])
			p.CubeTo(x1, y1, x2, y2, x3, y3)
		}
		return p
	}
	for _, pt := range s.Points[1:] {
		p.LineTo(at(pt))
	}
	if s.Op == Polygon {
		p.Close()
	}
	return p
}

// text sets a span on its baseline, aligned at its point as Graphviz
// placed it.
func (dw *drawer) text(s Shape) {
	t := s.Text
	style := canvas.FontRegular
	if t.Bold {
		style = canvas.FontBold
	}
	if t.Italic && !t.Bold {
		style = canvas.FontItalic
	}
	face := dw.fonts.family.Face(t.Size, dw.colour(s.Pen.Color), style)
	align := map[byte]canvas.TextAlign{'l': canvas.Left, 'r': canvas.Right}[t.Align]
	if t.Align != 'l' && t.Align != 'r' {
		align = canvas.Center
	}
	p := s.Points[0]
	dw.ctx.DrawText((p.X+dw.dx)*mm, (p.Y+dw.dy)*mm, canvas.NewTextLine(face, t.S, align))
}

// parseColour reads a colour as Graphviz gives it: "#rrggbb",
// "#rrggbbaa", or one of the few names avdoc's drawings use.
func parseColour(c string) color.RGBA {
	switch c {
	case "black":
		return color.RGBA{A: 255}
	case "white":
		return color.RGBA{255, 255, 255, 255}
	case "", "none", "transparent":
		return color.RGBA{}
	}
	if len(c) != 7 && len(c) != 9 || c[0] != '#' {
		return color.RGBA{A: 255}
	}
	v, err := strconv.ParseUint(c[1:], 16, 32)
	if err != nil {
		return color.RGBA{A: 255}
	}
	if len(c) == 7 {
		v = v<<8 | 0xff
	}
	r, g, b, a := uint8(v>>24), uint8(v>>16), uint8(v>>8), uint8(v)
	// canvas takes colours premultiplied by their alpha
	return color.RGBA{uint8(uint32(r) * uint32(a) / 255), uint8(uint32(g) * uint32(a) / 255), uint8(uint32(b) * uint32(a) / 255), a}
}
