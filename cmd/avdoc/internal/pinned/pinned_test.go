package pinned

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDiagramCheck: a diagram matches its stored copy, differs from it at
// a line, or has none.
func TestDiagramCheck(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "step-1-2.6.34.dot")
	d := diagram{path: path, step: 1, kernel: "2.6.34", dot: []byte("digraph {\n  a\n}\n")}
	if c := d.check("s.yaml", dir); c.OK || !strings.Contains(c.Failure, "no stored copy") {
		t.Errorf("no copy: %+v", c)
	}
	if err := os.WriteFile(path, []byte("digraph {\n  b\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if c := d.check("s.yaml", dir); c.OK || !strings.Contains(c.Failure, `line 2: stored "  b", now "  a"`) {
		t.Errorf("a copy that differs: %+v", c)
	}
	if err := os.WriteFile(path, d.dot, 0o644); err != nil {
		t.Fatal(err)
	}
	if c := d.check("s.yaml", dir); !c.OK || c.Kind != "diagram" || c.Step != 1 {
		t.Errorf("the same copy: %+v", c)
	}
}
