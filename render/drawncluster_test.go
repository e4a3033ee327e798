package render

import "testing"

// TestDrawnCluster: avdoc draws a cluster's look itself only when it
// knows every attribute of it, and of the graph's it takes, as Graphviz
// draws them; any other look is Graphviz's to draw.
func TestDrawnCluster(t *testing.T) {
	graph := []attr{str("id", "graph"), str("rankdir", "LR"), str("fontname", "Arial"), str("fontsize", "12"),
		str("fontcolor", "#1d1f23"), str("bgcolor", "#ffffff")}
	box := []attr{str("bb", "0,0,10,10"), str("lp", "5,8"), str("color", "#aaaaaa")}
	with := func(as ...attr) []attr { return append(append([]attr{}, box...), as...) }
	tests := []struct {
		name  string
		as    []attr
		graph []attr
		ok    bool
		style string
	}{
		{"rounded", with(str("label", "P"), str("style", "rounded")), graph, true, "solid"},
		{"rounded, dashed", with(str("label", "C1"), str("style", "rounded,dashed"), str("fontcolor", "#1a8f3c"), str("penwidth", "2")), graph, true, "dashed"},
		{"no label", with(str("style", "rounded")), graph, true, "solid"},
		{"square corners", with(str("label", "P"), str("style", "dashed")), graph, false, ""},
		{"filled", with(str("label", "P"), str("style", "rounded,filled")), graph, false, ""},
		{"named colour", append(with(str("style", "rounded")), str("color", "grey")), graph, false, ""},
		{"two lines", with(str("label", "P\nQ"), str("style", "rounded")), graph, false, ""},
		{"an escape", with(str("label", `\G`), str("style", "rounded")), graph, false, ""},
		{"not ASCII", with(str("label", "Pé"), str("style", "rounded")), graph, false, ""},
		{"two spaces", with(str("label", "P  Q"), str("style", "rounded")), graph, false, ""},
		{"an HTML label", append(with(str("style", "rounded")), html("label", "<B>P</B>")), graph, false, ""},
		{"another font", with(str("label", "P"), str("style", "rounded"), str("fontname", "Courier")), graph, false, ""},
		{"unknown attribute", with(str("label", "P"), str("style", "rounded"), str("labeljust", "l")), graph, false, ""},
		{"graph without a font size", with(str("label", "P"), str("style", "rounded")), graph[:3], false, ""},
	}
	for _, tt := range tests {
		d, ok := drawnCluster("cluster_q1", tt.as, tt.graph)
		if ok != tt.ok {
			t.Errorf("%s: drawn by avdoc = %v, want %v", tt.name, ok, tt.ok)
			continue
		}
		if ok && (d.Name != "cluster_q1" || d.Style != tt.style || d.Fill != "#ffffff" || d.FontSize != 12 || d.Font != "Arial" || d.BB != "0,0,10,10") {
			t.Errorf("%s: drawnCluster = %+v, want style %s, filled #ffffff, 12-point Arial", tt.name, d, tt.style)
		}
	}
}
