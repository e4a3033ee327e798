// Package golden compares test output with golden files kept in testdata/.
//
// Every test package of avdoc imports it, so that `go test ./... -update`
// works: the flag is registered here, once, and rewrites every golden file
// whose test ran (the test still fails, so that a rewrite is never silent).
package golden

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// update is the one flag that rewrites golden files. It is package state
// only in the sense that the flag package owns it: tests never set it.
var update = flag.Bool("update", false, "rewrite golden files in testdata/ with the current output")

// Updating reports whether the test run was asked to rewrite golden files.
func Updating() bool { return *update }

// Check compares got with the golden file at path (relative to the test's
// package directory). With -update it writes got there instead and fails
// the test so that the rewrite shows in the run's output.
func Check(t testing.TB, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Errorf("rewrote %s; review it with git diff, then run the test again without -update", path)
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run `go test -run '%s' -update` to create it)", err, t.Name())
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (run with -update to accept it):\n%s", path, Diff(string(want), string(got)))
	}
}

// Diff returns a short line diff of want and got: the first differing
// lines with a few lines of context, enough to see what changed.
func Diff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	i := 0
	for i < len(w) && i < len(g) && w[i] == g[i] {
		i++
	}
	var b strings.Builder
	from := max(0, i-3)
	for k := from; k < i; k++ {
		b.WriteString("  " + w[k] + "\n")
	}
	for k := i; k < len(w) && k < i+8; k++ {
		b.WriteString("- " + w[k] + "\n")
	}
	for k := i; k < len(g) && k < i+8; k++ {
		b.WriteString("+ " + g[k] + "\n")
	}
	return b.String()
}
