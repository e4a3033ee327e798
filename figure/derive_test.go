package figure

import "testing"

// TestDerive draws a piece from another: its stand-in colours and pen
// width replaced, the base gone, the bounds measured again.
func TestDerive(t *testing.T) {
	p, err := ParseSVG([]byte(graphSVG))
	if err != nil {
		t.Fatal(err)
	}
	before, _ := p.Bounds()
	err = p.Derive([]Derived{{Name: "n9", Base: "n1", Colours: map[string]string{"#1d1f23": "#1a8f3c"}, Widths: map[float64]float64{1: 12}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := p.Shapes["n1"]; ok {
		t.Errorf("the base is still a piece")
	}
	box, label := p.Shapes["n9"][0], p.Shapes["n9"][1]
	if box.Pen.Color != "#1a8f3c" || box.Pen.Width != 12 || box.Fill != "transparent" || label.Pen.Color != "#1a8f3c" || label.Text.S != "a<b  c-d" {
		t.Errorf("derived piece = %+v", p.Shapes["n9"])
	}
	if after, _ := p.Bounds(); after[0] >= before[0] || after[1] >= before[1] {
		t.Errorf("bounds %v, before %v: a wider pen reaches further", after, before)
	}
	if err := p.Derive([]Derived{{Name: "n10", Base: "n1"}}); err == nil {
		t.Errorf("deriving from a piece that is not there did not fail")
	}
}
