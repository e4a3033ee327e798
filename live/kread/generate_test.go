package kread

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestObjectMatchesSource rebuilds the BPF object and its bindings with the
// go:generate line of gen.go, into a temporary directory, and checks that
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
	args := generateArgs(t)
	dir := t.TempDir()
	// bpf2go takes its flags before the two positional arguments.
	args = append(args[:len(args)-2:len(args)-2], append([]string{"-output-dir", dir}, args[len(args)-2:]...)...)
	cmd := exec.Command("go", append([]string{"run"}, args...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go run %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	for _, name := range []string{"taskvma_bpfel.o", "taskvma_bpfel.go"} {
		fresh, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		committed, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(fresh, committed) {
			t.Errorf("%s does not match bpf/taskvma.bpf.c: run go generate ./live/kread and commit it", name)
		}
	}
}

// generateArgs returns the arguments of the go:generate line of gen.go,
// after "go run", split as go generate splits them (double quotes group).
func generateArgs(t *testing.T) []string {
	b, err := os.ReadFile("gen.go")
	if err != nil {
		t.Fatal(err)
	}
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
			return args
		}
	}
	t.Fatal("gen.go has no //go:generate go run line")
	return nil
}
