package render

import "testing"

// TestPaletteUnambiguous: the dark rules find a colour by its light
// value, so two colours may share a light value only if they share the
// dark one too.
func TestPaletteUnambiguous(t *testing.T) {
	dark := map[string]string{}
	for c, v := range colours() {
		if d, ok := dark[v[0]]; ok && d != v[1] {
			t.Errorf("colour %d: light %s turns %s here and %s elsewhere", c, v[0], v[1], d)
		}
		dark[v[0]] = v[1]
	}
}
