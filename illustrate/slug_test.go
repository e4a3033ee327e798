package illustrate

import (
	"path/filepath"
	"regexp"
	"testing"
)

var slugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// TestSlugsStayInside: whatever a story file is called, its page's name
// is lower-case letters, digits and dashes, never empty, and unique.
func TestSlugsStayInside(t *testing.T) {
	tests := []struct{ file, want string }{
		{"stories/fork.yaml", "fork"},
		{"..", "story"},
		{"../x.yaml", "x"},
		{"a/../../b.yaml", "b"},
		{"/abs/path/C.yml", "c"},
		{"...yaml", "story-2"},
		{".yaml", "story-3"},
		{"-.yaml", "story-4"},
		{"日本語.yaml", "story-5"},
		{"Ünïcödé.yaml", "n-c-d"},
		{"a b\tc.yaml", "a-b-c"},
		{`x"><img src=x onerror=alert(1)>.yaml`, "x-img-src-x-onerror-alert-1"},
		{"x.yaml", "x-2"},
		{"X.YAML", "x-3"},
		{"x-2.yaml", "x-2-2"},
	}
	taken := map[string]bool{}
	for _, tt := range tests {
		got := UniqueSlug(tt.file, taken)
		if got != tt.want || !slugRE.MatchString(got) || !filepath.IsLocal(got) {
			t.Errorf("UniqueSlug(%q) = %q, want %q", tt.file, got, tt.want)
		}
	}
}
