package xmlwalk

import (
	"encoding/xml"
	"strings"
	"testing"
)

func TestWalk(t *testing.T) {
	var got []string
	err := Walk([]byte(`<svg><g id="a"><title>x &amp; y</title></g></svg>`), func(stack []xml.StartElement, tok xml.Token) {
		if cd, ok := tok.(xml.CharData); ok {
			var names []string
			for _, s := range stack {
				names = append(names, s.Name.Local)
			}
			got = append(got, strings.Join(names, "/")+"="+string(cd))
		}
	})
	if err != nil || len(got) != 1 || got[0] != "svg/g/title=x & y" {
		t.Errorf("Walk: %v, %q", err, got)
	}
	for _, bad := range []string{`<svg><g></svg>`, `<svg>&nbsp;</svg>`, `<svg a=1/>`} {
		if Walk([]byte(bad), func([]xml.StartElement, xml.Token) {}) == nil {
			t.Errorf("Walk accepted %q", bad)
		}
	}
}
