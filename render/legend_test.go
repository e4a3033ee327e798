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
