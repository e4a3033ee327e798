package figure

import "testing"

// TestCrop: a drawing's box shrinks to what its shapes cover, texts by
// their measured width and alignment, ellipses by their radii, Bézier
// curves by their control points, strokes by half their width; the
// background does not count, the margin stays, and the box never grows.
func TestCrop(t *testing.T) {
	thin := Pen{Width: 0}
	text := func(x, y float64, align byte, w float64) Shape {
		return Shape{Op: Text, Points: []Point{{x, y}}, Text: TextSpan{S: "x", Align: align, Width: w, Size: 10}, Pen: thin}
	}
	background := Group{Kind: "graph", Shapes: []Shape{{Op: Polygon, Filled: true, Points: []Point{{0, 0}, {0, 500}, {500, 500}, {500, 0}}}}}
	tests := []struct {
		name   string
		shapes []Shape
		want   [4]float64
	}{
		{"polygon", []Shape{{Op: Polygon, Pen: thin, Points: []Point{{10, 20}, {30, 20}, {30, 60}}}}, [4]float64{10, 20, 30, 60}},
		{"stroke reaches half its width out", []Shape{{Op: Polyline, Pen: Pen{Width: 2}, Points: []Point{{10, 20}, {30, 40}}}}, [4]float64{9, 19, 31, 41}},
		{"bezier by its control points", []Shape{{Op: Bezier, Pen: thin, Points: []Point{{10, 10}, {100, 200}, {50, 0}, {20, 20}}}}, [4]float64{10, 0, 100, 200}},
		{"ellipse by its radii", []Shape{{Op: Ellipse, Pen: thin, Points: []Point{{100, 100}, {20, 10}}}}, [4]float64{80, 90, 120, 110}},
		{"centred text", []Shape{text(100, 50, 'c', 40)}, [4]float64{80, 50 - 2.2, 120, 50 + 9.1}},
		{"left-aligned text", []Shape{text(100, 50, 'l', 40)}, [4]float64{100, 50 - 2.2, 140, 50 + 9.1}},
		{"right-aligned text", []Shape{text(100, 50, 'r', 40)}, [4]float64{60, 50 - 2.2, 100, 50 + 9.1}},
		{"never beyond the old box", []Shape{{Op: Polygon, Pen: thin, Points: []Point{{-10, 20}, {30, 600}}}}, [4]float64{0, 20, 30, 500}},
		{"nothing drawn: unchanged", nil, [4]float64{0, 0, 500, 500}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := &Drawing{BB: [4]float64{0, 0, 500, 500}, Pad: 4, Groups: []Group{background, {Kind: "node", Shapes: tt.shapes}}}
			d.Crop()
			for i := range 4 {
				if diff := d.BB[i] - tt.want[i]; diff > 1e-9 || diff < -1e-9 {
					t.Fatalf("BB = %v, want %v", d.BB, tt.want)
				}
			}
			if d.Pad != 4 {
				t.Errorf("Pad = %v, want 4 kept", d.Pad)
			}
			if w, h := d.Size(); w != tt.want[2]-tt.want[0]+8 || h != tt.want[3]-tt.want[1]+8 {
				t.Errorf("Size = %v×%v, want the cropped box and its margin", w, h)
			}
		})
	}
}

// TestCropAll: drawings on one layout are cropped to the union of what
// they show, so that they stay aligned.
func TestCropAll(t *testing.T) {
	a := &Drawing{BB: [4]float64{0, 0, 500, 500}, Groups: []Group{{Kind: "node", Shapes: []Shape{{Op: Polygon, Points: []Point{{10, 10}, {50, 50}}}}}}}
	b := &Drawing{BB: [4]float64{0, 0, 500, 500}, Groups: []Group{{Kind: "node", Shapes: []Shape{{Op: Polygon, Points: []Point{{100, 30}, {200, 40}}}}}}}
	empty := &Drawing{BB: [4]float64{0, 0, 500, 500}}
	CropAll([]*Drawing{a, b, empty})
	want := [4]float64{10, 10, 200, 50}
	for _, d := range []*Drawing{a, b, empty} {
		if d.BB != want {
			t.Errorf("BB = %v, want the union %v", d.BB, want)
		}
	}
}

// TestBelow: a drawing added under a figure goes at its left margin,
// under the lowest panel, and the page grows to hold it; a drawing alone
// becomes a page of two panels.
func TestBelow(t *testing.T) {
	box := func(w, h float64) *Drawing { return &Drawing{BB: [4]float64{0, 0, w, h}} }
	sheet := Sheet([]*Drawing{box(100, 50), box(100, 80)}, []string{"a", "b"}, 1, "#fff", "#000")
	alone := &Figure{Panels: []Panel{{Drawing: box(100, 50)}}}
	tests := []struct {
		name        string
		f           *Figure
		legend      *Drawing
		wantW, want float64 // the page's width, and the legend's y
	}{
		{"under a strip", sheet, box(300, 40), 316, sheet.Height - 8 + 24},
		{"under a drawing alone", alone, box(60, 40), 116, 8 + 50 + 24},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := len(tt.f.Panels)
			tt.f.Below(tt.legend)
			if len(tt.f.Panels) != n+1 || tt.f.single() {
				t.Fatalf("%d panels, want %d", len(tt.f.Panels), n+1)
			}
			p := tt.f.Panels[n]
			if p.X != 8 || p.Y != tt.want || p.Caption != "" {
				t.Errorf("legend at %v,%v captioned %q; want 8,%v uncaptioned", p.X, p.Y, p.Caption, tt.want)
			}
			if tt.f.Width != tt.wantW || tt.f.Height != p.Y+40+8 {
				t.Errorf("page %v×%v, want %v×%v", tt.f.Width, tt.f.Height, tt.wantW, p.Y+48)
			}
			if q := tt.f.Panels[0]; q.X != 8 || q.Y < 8 {
				t.Errorf("the first panel is at %v,%v: off the page's margin", q.X, q.Y)
			}
		})
	}
}
