package render

import "testing"

// TestDrawnEdge: avdoc draws an edge's look itself only when it knows
// every attribute of it as Graphviz draws it; any other look is
// Graphviz's to draw.
func TestDrawnEdge(t *testing.T) {
	pos := str("pos", "e,1,2 3,4 5,6 7,8 9,10")
	col := str("color", "#1f77b4")
	tests := []struct {
		name  string
		as    []attr
		ok    bool
		head  bool
		style string
		width float64
	}{
		{"plain", []attr{pos, col}, true, true, "solid", 1.3},
		{"dashed, thin", []attr{pos, col, str("style", "dashed"), str("penwidth", "0.8"), str("constraint", "true"), str("weight", "4")}, true, true, "dashed", 0.8},
		{"dotted", []attr{pos, col, str("style", "dotted")}, true, true, "dotted", 1.3},
		{"no arrowhead", []attr{pos, col, str("arrowhead", "none")}, true, false, "solid", 1.3},
		{"no direction", []attr{pos, col, str("dir", "none")}, true, false, "solid", 1.3},
		{"none then normal", []attr{pos, col, str("dir", "none"), str("arrowhead", "normal")}, true, false, "solid", 1.3},
		{"forward", []attr{pos, col, str("dir", "forward")}, true, true, "solid", 1.3},
		{"both ways", []attr{pos, col, str("dir", "both")}, false, false, "", 0},
		{"another arrowhead", []attr{pos, col, str("arrowhead", "dot")}, false, false, "", 0},
		{"bold", []attr{pos, col, str("style", "bold")}, false, false, "", 0},
		{"named colour", []attr{pos, str("color", "black")}, false, false, "", 0},
		{"no colour", []attr{pos}, false, false, "", 0},
		{"no route", []attr{col}, false, false, "", 0},
		{"a label", []attr{pos, col, str("label", "x")}, false, false, "", 0},
		{"a bad pen", []attr{pos, col, str("penwidth", "wide")}, false, false, "", 0},
	}
	for _, tt := range tests {
		d, ok := drawnEdge("e1", tt.as)
		if ok != tt.ok {
			t.Errorf("%s: drawn by avdoc = %v, want %v", tt.name, ok, tt.ok)
			continue
		}
		if ok && (d.Name != "e1" || d.Head != tt.head || d.Style != tt.style || d.PenWidth != tt.width || d.ArrowSize != 0.7 || d.Color != "#1f77b4") {
			t.Errorf("%s: drawnEdge = %+v, want head %v, style %s, pen %g", tt.name, d, tt.head, tt.style, tt.width)
		}
	}
}
