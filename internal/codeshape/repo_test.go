package codeshape

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// module is avdoc's module path.
const module = "github.com/avdoc/avdoc"

// pkg is one package of the repository: its import path, directory and
// lines of non-test Go.
type pkg struct {
	path, dir string
	lines     int
}

// packages lists the repository's packages, testdata left out, in path order.
func packages(t *testing.T) []pkg {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	var out []pkg
	err = filepath.WalkDir(root, func(dir string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		if name := d.Name(); name == "testdata" || strings.HasPrefix(name, ".") && dir != root {
			return filepath.SkipDir
		}
		n, ok := goLines(dir)
		if ok {
			rel, _ := filepath.Rel(root, dir)
			out = append(out, pkg{path: filepath.ToSlash(filepath.Join(module, rel)), dir: dir, lines: n})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// goLines counts the lines of the non-test Go files in dir; false if it has none.
func goLines(dir string) (int, bool) {
	entries, _ := os.ReadDir(dir)
	n, ok := 0, false
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err == nil {
			n, ok = n+bytes.Count(data, []byte("\n")), true
		}
	}
	return n, ok
}
