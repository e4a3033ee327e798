package kread

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestObjectMatchesSource rebuilds the BPF objects and their bindings with
// the generate lines of gen.go, into a temporary directory, and checks that
// they are byte for byte the committed ones. It needs clang (Debian: clang
// llvm libbpf-dev); outside CI it skips without it.
func TestObjectMatchesSource(t *testing.T) {
	if testing.Short() {
		t.Skip("rebuilding the BPF object takes a while")
	}
	if _, err := exec.LookPath("clang"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("clang is missing: .ci/run installs it (apt-get install clang llvm libbpf-dev)")
		}
		t.Skip("no clang here:", err)
	}
	dir := t.TempDir()
	for _, args := range generateArgs(t) {
		stem := args[slices.Index(args, "-output-stem")+1]
		// bpf2go takes its flags before the two positional arguments.
		n := len(args) - 2
		args = append(args[:n:n], append([]string{"-output-dir", dir}, args[n:]...)...)
		cmd := exec.Command("go", append([]string{"run"}, args...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go run %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		for _, name := range []string{stem + "_bpfel.o", stem + "_bpfel.go"} {
			sameFile(t, filepath.Join(dir, name), name)
		}
	}
}

func sameFile(t *testing.T, fresh, committed string) {
	t.Helper()
	a, err := os.ReadFile(fresh)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(committed)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Errorf("%s does not match its source in bpf/: run go generate ./live/kread and commit it", committed)
	}
}

// generateArgs returns the arguments of each go:generate line of gen.go,
// after "go run", split as go generate splits them (double quotes group).
func generateArgs(t *testing.T) [][]string {
	b, err := os.ReadFile("gen.go")
	if err != nil {
		t.Fatal(err)
	}
	var out [][]string
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "//go:generate go run "); ok {
			var args []string
			for i, part := range strings.Split(rest, `"`) {
				if i%2 == 1 {
					args = append(args, part)
				} else {
					args = append(args, strings.Fields(part)...)
				}
			}
			out = append(out, args)
		}
	}
	if len(out) == 0 {
		t.Fatal("gen.go has no go:generate go run line")
	}
	return out
}
