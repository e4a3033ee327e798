package buildcache

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestOpenStore(t *testing.T) {
	env := func(vars map[string]string) func(string) string {
		return func(k string) string { return vars[k] }
	}
	tmp := t.TempDir()
	file := filepath.Join(tmp, "a-file")
	if err := os.WriteFile(file, []byte("not a directory"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, flag string
		env        map[string]string
		wantDir    string // "" for no cache
		wantWarn   bool
	}{
		{"flag", filepath.Join(tmp, "f"), map[string]string{"AVDOC_CACHE": filepath.Join(tmp, "e")}, filepath.Join(tmp, "f"), false},
		{"environment", "", map[string]string{"AVDOC_CACHE": filepath.Join(tmp, "e")}, filepath.Join(tmp, "e"), false},
		{"off by flag", "off", map[string]string{"AVDOC_CACHE": filepath.Join(tmp, "e")}, "", false},
		{"off by environment", "", map[string]string{"AVDOC_CACHE": "off"}, "", false},
		{"not a directory", filepath.Join(file, "cache"), nil, "", true},
	}
	for _, tt := range tests {
		var warn bytes.Buffer
		s := Open(tt.flag, env(tt.env), &warn)
		switch {
		case tt.wantDir == "" && s != nil:
			t.Errorf("%s: a cache in %s, want none", tt.name, s.Dir())
		case tt.wantDir != "" && (s == nil || s.Dir() != tt.wantDir):
			t.Errorf("%s: cache %v, want one in %s", tt.name, s, tt.wantDir)
		}
		if (warn.Len() > 0) != tt.wantWarn {
			t.Errorf("%s: warned %q, want a warning: %v", tt.name, warn.String(), tt.wantWarn)
		}
	}
}
