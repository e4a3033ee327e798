package render

import (
	"strings"
	"testing"
)

// TestKeyIsTheLegend: a picture's key says what its legend shows, line for line,
// with or without the legend drawn, change marks included.
func TestKeyIsTheLegend(t *testing.T) {
	tests := []struct {
		name     string
		p        *Picture
		hidden   *Picture
		wantText []string
	}{
		{"fork, change marks", Draw(fork(), Options{Prev: single()}), Draw(fork(), Options{Prev: single(), HideLegend: true}),
			[]string{"same_vma list: a VMA's AVCs", "vma->anon_vma", "page->mapping", "new in this step", "changed, or pointer moved"}},
		{"exit leaves a freed anon_vma", Draw(freed(), Options{}), Draw(freed(), Options{HideLegend: true}),
			[]string{"freed object still pointed at"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lg := find(tt.p, "legend")
			if lg == nil {
				t.Fatal("no legend drawn")
			}
			if got, want := len(lg.table.rows)-1, len(tt.p.Key()); got != want { // less the title row
				t.Errorf("the legend has %d rows, the key %d entries", got, want)
			}
			for i, e := range tt.p.Key() {
				if row := lg.table.rows[i+1]; !strings.Contains(row, escapeHTMLLabel(e.Text)) {
					t.Errorf("legend row %d is %q, the key says %q", i+1, row, e.Text)
				}
			}
			if find(tt.hidden, "legend") != nil {
				t.Error("HideLegend drew a legend")
			}
			if len(tt.hidden.Key()) != len(tt.p.Key()) {
				t.Errorf("without its legend the picture's key has %d entries, with it %d", len(tt.hidden.Key()), len(tt.p.Key()))
			}
			var texts []string
			for _, e := range tt.hidden.Key() {
				texts = append(texts, e.Text)
			}
			for _, w := range tt.wantText {
				if !strings.Contains(strings.Join(texts, "|"), w) {
					t.Errorf("key %q lacks %q", texts, w)
				}
			}
		})
	}
}

// TestLegendDOT: a legend alone is a graph of one legend node, with the
// entries given and nothing else, in the theme's colours, its ids
// prefixed; untrusted text is escaped.
func TestLegendDOT(t *testing.T) {
	key := UnionKey(Draw(fork(), Options{Prev: single()}).Key(), Draw(freed(), Options{}).Key())
	tests := []struct {
		name        string
		walk        string
		theme       Theme
		want, avoid []string
	}{
		{"light", "", ThemeLight, []string{`id="k-graph"`, `id="k-legend"`, "freed object still pointed at", "new in this step", `#d62728`}, []string{"#ff6b6b", "->", "cluster"}},
		{"dark, a walk", "walked page <1> & found 2", ThemeDark, []string{`#ff6b6b`, "walked page &lt;1&gt; &amp; found 2"}, []string{"#d62728", "<1>"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dot := string(LegendDOT(key, tt.walk, tt.theme, "k-"))
			if !strings.HasPrefix(dot, "digraph avdoc {") || strings.Count(dot, "class=\"legend\"") != 1 {
				t.Fatalf("not a graph of one legend:\n%s", dot)
			}
			for _, w := range tt.want {
				if !strings.Contains(dot, w) {
					t.Errorf("lacks %q:\n%s", w, dot)
				}
			}
			for _, a := range tt.avoid {
				if strings.Contains(dot, a) {
					t.Errorf("has %q:\n%s", a, dot)
				}
			}
			if got := strings.Count(dot, `<TD ALIGN="LEFT"`); got != len(key)+boolInt(tt.walk != "") {
				t.Errorf("%d rows of text, want %d entries and the walk's", got, len(key))
			}
		})
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestUnionKey: each entry once, in the order keys first show it.
func TestUnionKey(t *testing.T) {
	a, b, c := KeyEntry{Text: "a"}, KeyEntry{Class: "x", Text: "b"}, KeyEntry{Class: "y", Text: "b"}
	got := UnionKey([]KeyEntry{a, b}, nil, []KeyEntry{c, a, b})
	want := []KeyEntry{a, b, c}
	if len(got) != len(want) {
		t.Fatalf("UnionKey = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("UnionKey = %v, want %v", got, want)
		}
	}
}
