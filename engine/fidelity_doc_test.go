package engine

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// fidelityDoc is the page that says, event by event and model by model,
// which kernel functions the engine stands for (issue 12).
const fidelityDoc = "../docs/fidelity.md"

func readFidelityDoc(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(fidelityDoc)
	if err != nil {
		t.Fatalf("reading the fidelity page: %v", err)
	}
	return string(b)
}

// TestFidelityDocCoversEngine: every model the engine knows is named in
// docs/fidelity.md, and every event has a section of its own, so that a
// new model or event cannot land without its kernel references.
func TestFidelityDocCoversEngine(t *testing.T) {
	doc := readFidelityDoc(t)
	for _, name := range ModelNames() {
		if !strings.Contains(doc, "`"+name+"`") {
			t.Errorf("model %s is not named (in backquotes) in %s", name, fidelityDoc)
		}
	}
	for _, op := range Ops() {
		heading := regexp.MustCompile("(?m)^#{2,4} .*`" + regexp.QuoteMeta(op.String()) + "`")
		if !heading.MatchString(doc) {
			t.Errorf("event %s has no section (a heading naming `%s`) in %s", op, op, fidelityDoc)
		}
	}
}

// TestFidelityDocCitesWhatExists: every test function, story file and
// known difference the page cites exists.
func TestFidelityDocCitesWhatExists(t *testing.T) {
	doc := readFidelityDoc(t)
	tests := testFuncNames(t, "..")
	checks := []struct {
		what   string
		cited  *regexp.Regexp
		exists func(string) bool
	}{
		{"test", regexp.MustCompile(`\bTest[A-Z]\w*`), func(s string) bool { return tests[s] }},
		{"story", regexp.MustCompile(`\bstories/[\w.-]+\.yaml`), func(s string) bool {
			_, err := os.Stat(filepath.Join("..", s))
			return err == nil
		}},
		{"difference", regexp.MustCompile(`\[(D\d+)\]\(#known-differences\)`), func(s string) bool {
			id := strings.TrimSuffix(strings.TrimPrefix(s, "["), "](#known-differences)")
			return strings.Contains(doc, "\n| "+id+" |")
		}},
	}
	for _, c := range checks {
		found := c.cited.FindAllString(doc, -1)
		if len(found) == 0 {
			t.Errorf("the page cites no %s at all: the pattern %s is stale", c.what, c.cited)
		}
		for _, s := range found {
			if !c.exists(s) {
				t.Errorf("%s cites %s %s, which does not exist", fidelityDoc, c.what, s)
			}
		}
	}
}

// testFuncNames returns the names of the Test functions declared in the
// _test.go files under root.
func testFuncNames(t *testing.T, root string) map[string]bool {
	t.Helper()
	decl := regexp.MustCompile(`(?m)^func (Test[A-Z]\w*)\(`)
	names := map[string]bool{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range decl.FindAllStringSubmatch(string(b), -1) {
			names[m[1]] = true
		}
		return nil
	})
	if err != nil {
		t.Fatalf("listing test functions: %v", err)
	}
	return names
}
