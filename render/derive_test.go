package render

import (
	"fmt"
	"testing"
)

// TestDerive replaces a node look's colours and pen width by stand-ins,
// and leaves alone what Graphviz might not write as it was given.
func TestDerive(t *testing.T) {
	defaults := []attr{str("fontname", "Arial"), str("color", "#1d1f23")}
	tests := []struct {
		name    string
		as      []attr
		base    string
		colours map[string]string
		width   float64 // 0: none
	}{
		{"outline", []attr{str("shape", "box"), str("color", "#1a8f3c"), str("penwidth", "2.2"), str("label", "AVC 2")},
			`node [shape="box", label="AVC 2", color="#0b0c00", penwidth="0.37"]`, map[string]string{"#0b0c00": "#1a8f3c"}, 2.2},
		{"defaults", []attr{str("shape", "box"), str("label", "AVC 2")},
			`node [shape="box", label="AVC 2", color="#0b0c00", penwidth="0.37"]`, map[string]string{"#0b0c00": "#1d1f23"}, 1},
		{"table", []attr{str("shape", "plain"), html("label", `<TABLE COLOR="#1d1f23"><TR><TD BGCOLOR="#eeeeee">P:heap COLOR="#123456"</TD></TR></TABLE>`)},
			`node [shape="plain", label=<<TABLE COLOR="#0b0c00"><TR><TD BGCOLOR="#0b0c01">P:heap COLOR="#0b0c02"</TD></TR></TABLE>>, color="#0b0c03", penwidth="0.37"]`,
			map[string]string{"#0b0c00": "#1d1f23", "#0b0c01": "#eeeeee", "#0b0c02": "#123456", "#0b0c03": "#1d1f23"}, 1},
		{"named and upper case colours stay", []attr{str("fontcolor", "#aabbcc80"), str("color", "red"), str("fillcolor", "#AABBCC")},
			`node [color="red", fillcolor="#AABBCC", fontcolor="#aabbcc80", penwidth="0.37"]`, map[string]string{}, 1},
		{"widths Graphviz reads otherwise stay", []attr{str("penwidth", "2pt")},
			`node [color="#0b0c00", penwidth="2pt"]`, map[string]string{"#0b0c00": "#1d1f23"}, 0},
		{"a width it writes as 0 stays", []attr{str("penwidth", "0.001"), str("color", "blue")}, "", nil, 0},
		{"a look holding a stand-in stays", []attr{str("color", "#1a8f3c"), str("label", "#0B0C00")}, "", nil, 0},
		{"setlinewidth stays", []attr{str("style", "setlinewidth(3)"), str("penwidth", "2")}, "", nil, 0},
	}
	for _, tc := range tests {
		base, d, ok := derive(tc.as, pieceKey("node", tc.as), defaults)
		if ok != (tc.base != "") {
			t.Errorf("%s: derived %v, want %v", tc.name, ok, tc.base != "")
			continue
		}
		if !ok {
			continue
		}
		if got := pieceKey("node", base); got != tc.base+"\n" {
			t.Errorf("%s: base\n%s\nwant\n%s", tc.name, got, tc.base)
		}
		if fmt.Sprint(d.Colours) != fmt.Sprint(tc.colours) {
			t.Errorf("%s: colours %v, want %v", tc.name, d.Colours, tc.colours)
		}
		if w, ok := d.Widths[standInWidth]; ok != (tc.width != 0) || w != tc.width {
			t.Errorf("%s: widths %v, want %v", tc.name, d.Widths, tc.width)
		}
	}
}

// TestDrawnWidth reads a pen width as Graphviz's SVG writes it.
func TestDrawnWidth(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"1", 1, true}, {"2.2", 2.2, true}, {"1.234", 1.23, true}, {"1.001", 1, true}, {"3.", 3, true},
		{"0.004", 0, false}, {"", 0, false}, {"1e3", 0, false}, {"-1", 0, false}, {"1.2.3", 0, false}, {"inf", 0, false},
	}
	for _, tc := range tests {
		if got, ok := drawnWidth(tc.in); got != tc.want || ok != tc.ok {
			t.Errorf("drawnWidth(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}
