package main

import (
	"strings"
	"testing"
)

// TestModelsListsEachModelWithCommits: `avdoc models` prints a line per
// model, 6.18 among them, with the commits its rules come from.
func TestModelsListsEachModelWithCommits(t *testing.T) {
	code, out, _ := avdoc(t, t.TempDir(), "models")
	if code != 0 {
		t.Fatalf("avdoc models exited %d", code)
	}
	for _, tt := range []struct{ model, commit string }{
		{"6.0", "6c287605fd56"}, {"6.0", "64fe24a3e05e"}, {"6.18", "879bca0a2c4f"}, {"6.18", "6a56ccbcf6c6"}, {"3.7", "bf181b9f9d8d"},
	} {
		found := false
		for _, line := range strings.Split(out, "\n") {
			if f := strings.Fields(line); len(f) > 0 && f[0] == tt.model && strings.Contains(line, tt.commit) {
				found = true
			}
		}
		if !found {
			t.Errorf("no line for model %s with commit %s in:\n%s", tt.model, tt.commit, out)
		}
	}
}
