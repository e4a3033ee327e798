package kread

import (
	"os"
	"path/filepath"
	"testing"
)

func TestSetting(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		text, want string
		ok         bool
	}{
		{"always [madvise] never\n", "madvise", true},
		{"always inherit madvise [never]\n", "never", true},
		{"[always] inherit madvise never", "always", true},
		{"always madvise never\n", "", false},
	}
	for i, tt := range tests {
		path := filepath.Join(dir, "f")
		if err := os.WriteFile(path, []byte(tt.text), 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := setting(path)
		if got != tt.want || (err == nil) != tt.ok {
			t.Errorf("%d: setting(%q) = %q, %v; want %q, ok %v", i, tt.text, got, err, tt.want, tt.ok)
		}
	}
}
