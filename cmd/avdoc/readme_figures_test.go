package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/avdoc/avdoc/internal/golden"
)

// readmeSection is the README's text from the heading start to the next
// heading of level two.
func readmeSection(t *testing.T, start string) string {
	t.Helper()
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	i := strings.Index(s, start)
	if i < 0 {
		t.Fatalf("the README has no %q", start)
	}
	s = s[i:]
	if j := strings.Index(s, "\n## "); j >= 0 {
		s = s[:j]
	}
	return s
}

var (
	shBlock   = regexp.MustCompile("(?s)```sh\n(.*?)```")
	textBlock = regexp.MustCompile("(?s)```text\n\\$ (avdoc [^\n]*)\n(.*?)```")
)

// TestReadmeFigures runs the commands of the README's "Figures for
// articles..." section as written: each succeeds, the PNG it shows is
// what its command draws (go test -run ReadmeFigures -update rewrites
// it), the text figure is the command's output, and the slides' loop
// writes a PDF per step and the key.
func TestReadmeFigures(t *testing.T) {
	sec := readmeSection(t, "### Figures for articles")
	dir := t.TempDir()
	root, _ := filepath.Abs("../..")
	if err := os.Symlink(filepath.Join(root, "stories"), filepath.Join(dir, "stories")); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "docs/img"), 0o755); err != nil {
		t.Fatal(err)
	}
	blocks := shBlock.FindAllStringSubmatch(sec, -1)
	if len(blocks) < 2 {
		t.Fatalf("%d sh blocks in the section, want the PNG's and the slides'", len(blocks))
	}
	for _, b := range blocks {
		cmd := exec.Command("bash", "-euo", "pipefail", "-c", b[1])
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: %v: %s", b[1], err, out)
		}
	}
	png, err := os.ReadFile(filepath.Join(dir, "docs/img/fork-step2.png"))
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "../../docs/img/fork-step2.png", png)
	for _, f := range []string{"fork-1.pdf", "fork-5.pdf", "fork-key.pdf"} {
		if data, err := os.ReadFile(filepath.Join(dir, f)); err != nil || !bytes.HasPrefix(data, []byte("%PDF-")) {
			t.Errorf("the slides' %s: %v, %.8q", f, err, data)
		}
	}
	m := textBlock.FindStringSubmatch(sec)
	if m == nil {
		t.Fatal("no text figure with its command in the section")
	}
	cmd := exec.Command("bash", "-c", m[1])
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil || string(out) != m[2] {
		t.Errorf("%s: %v; the README shows\n%s\nthe command prints\n%s", m[1], err, m[2], out)
	}
}
