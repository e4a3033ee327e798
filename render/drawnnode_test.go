package render

import "testing"

// TestDrawnNode: avdoc draws a node's look itself only when it is a box
// of fixed size whose every attribute, and every default it takes, it
// knows as Graphviz draws it; any other look is Graphviz's to draw.
func TestDrawnNode(t *testing.T) {
	defaults := []attr{str("fontname", "Arial"), str("fontsize", "11"), str("fontcolor", "#1d1f23"), str("color", "#1d1f23")}
	avc := []attr{str("shape", "box"), str("fontsize", "10"), str("height", "0.3056"), str("margin", "0.1,0.04"),
		str("style", "rounded"), str("label", "AVC 1"), str("pos", "221,525.72"), str("width", "0.8611"), str("fixedsize", "true")}
	with := func(as ...attr) []attr { return append(append([]attr{}, avc...), as...) }
	tests := []struct {
		name     string
		as       []attr
		defaults []attr
		ok       bool
		rounded  bool
		lines    int
	}{
		{"an AVC", avc, defaults, true, true, 1},
		{"a stack of AVCs", with(str("label", "AVC 4\nx 998"), str("style", "rounded,dashed"), str("penwidth", "2.2"), str("color", "#1a8f3c")), defaults, true, true, 2},
		{"square corners", with(str("style", "dashed")), defaults, true, false, 1},
		{"one periphery", with(str("peripheries", "1")), defaults, true, true, 1},
		{"two peripheries", with(str("peripheries", "2")), defaults, false, false, 0},
		{"filled", with(str("style", "rounded,filled")), defaults, false, false, 0},
		{"a note", with(str("shape", "note")), defaults, false, false, 0},
		{"not of fixed size", with(str("fixedsize", "false")), defaults, false, false, 0},
		{"an HTML label", append(with(), html("label", "anon_vma<BR/><B>P</B>")), defaults, false, false, 0},
		{"an empty line", with(str("label", "AVC 1\n")), defaults, false, false, 0},
		{"an escape", with(str("label", `AVC\N`)), defaults, false, false, 0},
		{"a named colour", with(str("color", "black")), defaults, false, false, 0},
		{"another font", with(str("fontname", "Courier")), defaults, false, false, 0},
		{"unknown attribute", with(str("labelloc", "t")), defaults, false, false, 0},
		{"no font colour", avc, defaults[:2], false, false, 0},
	}
	for _, tt := range tests {
		d, ok := drawnNode("n1", tt.as, tt.defaults)
		if ok != tt.ok {
			t.Errorf("%s: drawn by avdoc = %v, want %v", tt.name, ok, tt.ok)
			continue
		}
		if ok && (d.Name != "n1" || d.Rounded != tt.rounded || len(d.Lines) != tt.lines || d.Width != 0.8611 || d.FontSize != 10 || d.Font != "Arial") {
			t.Errorf("%s: drawnNode = %+v, want rounded %v, %d lines, 10-point Arial, 0.8611 inches wide", tt.name, d, tt.rounded, tt.lines)
		}
	}
}
