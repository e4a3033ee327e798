package codeshape

import (
	"os"
	"path"
	"slices"
	"strings"
	"testing"
)

// importRule says which of avdoc's packages a package may import (its
// own non-test files, directly), and, for the pure ones, which standard
// packages it may not: the layering of the README's layout table.
type importRule struct {
	pkg   string   // relative to the module
	may   []string // avdoc's packages it may import, relative to the module
	noStd []string // standard packages it may not import (no I/O)
}

// noIO are the standard packages that reach outside the process.
func noIO() []string {
	return []string{"os", "os/exec", "os/signal", "io/fs", "io/ioutil", "net", "net/http", "syscall", "time"}
}

// noIOButTime is noIO for the explorer, which reads the clock for its
// time budget and progress reports; what it finds does not depend on it.
func noIOButTime() []string {
	return slices.DeleteFunc(noIO(), func(p string) bool { return p == "time" })
}

// importRules is the layering: story → engine (or an observed kernel) →
// render → site, with illustrate wiring them and cmd/avdoc wiring
// illustrate to files, processes and HTTP. Every package has a rule (a
// new package must say where it stands), as the README's layout table
// says.
func importRules() []importRule {
	return []importRule{
		{pkg: "engine", noStd: noIO()},
		{pkg: "engine/compare", may: []string{"engine"}, noStd: noIO()},
		{pkg: "engine/explore", may: []string{"engine"}, noStd: noIOButTime()},
		{pkg: "story", may: []string{"engine", "internal/parallel", "internal/fsname"}},
		{pkg: "story/schema", may: []string{"engine"}},
		{pkg: "render", may: []string{"engine"}, noStd: noIO()},
		{pkg: "render/gv", may: []string{"internal/gvcache"}},
		{pkg: "figure", noStd: noIO()},
		{pkg: "site", may: []string{"internal/parallel", "internal/fsname"}, noStd: noIO()},
		{pkg: "illustrate", may: []string{"engine", "engine/compare", "figure", "story", "render", "render/gv", "site", "internal/parallel", "internal/stepopts"}},
		{pkg: "report", may: []string{"story"}},
		{pkg: "live", may: []string{"engine", "live/agent", "live/kread"}},
		{pkg: "live/agent"},
		{pkg: "live/kread"},
		{pkg: "live/livestory", may: []string{"engine", "story", "live", "live/kread", "live/swapdev"}},
		{pkg: "live/swapdev"},
		{pkg: "live/pidfig", may: []string{"engine", "story", "live", "live/kread"}},
		{pkg: "live/pidfig/shtree"},
		{pkg: "live/differ", may: []string{"engine", "engine/explore", "story", "live", "live/livestory"}},
		{pkg: "mdbook", may: []string{"illustrate", "site", "story"}},
		{pkg: "internal/parallel"},
		{pkg: "internal/fsname"},
		{pkg: "internal/stepopts", may: []string{"story", "render"}},
		{pkg: "internal/golden"},
		{pkg: "internal/xmlwalk"},
		{pkg: "internal/codeshape"},
		{pkg: "internal/gvcache"},
		{pkg: "bench/scale", may: []string{"engine"}},
		{pkg: "cmd/avdoc/internal/cache"},
		{pkg: "cmd/avdoc/internal/gvpool", may: []string{"render/gv"}},
		{pkg: "cmd/avdoc/internal/progress"},
		{pkg: "cmd/avdoc/internal/batchgc"},
		{pkg: "cmd/avdoc/internal/storyfile", may: []string{"story", "live/livestory", "live/swapdev"}},
		{pkg: "cmd/avdoc/internal/termquote"},
		{pkg: "cmd/avdoc/internal/sitedir", may: []string{"cmd/avdoc/internal/storyfile", "site"}},
		{pkg: "cmd/avdoc/internal/foundstory", may: []string{"engine", "engine/explore", "live/differ"}},
		{pkg: "cmd/avdoc/internal/pinned", may: []string{"illustrate", "report", "internal/fsname"}},
		{pkg: "cmd/avdoc/internal/buildcache", may: []string{"cmd/avdoc/internal/cache", "illustrate", "render/gv", "story"}},
		{pkg: "cmd/avdoc/internal/pidcmd", may: []string{"illustrate", "live/pidfig", "render/gv"}},
		{pkg: "cmd/avdoc/internal/livesite", may: []string{"cmd/avdoc/internal/storyfile", "illustrate", "site"}},
		// The CLI wires everything; nothing imports it.
		{pkg: "cmd/avdoc", may: []string{"*"}},
	}
}

// TestImportRules: every package imports only what its rule lets it.
func TestImportRules(t *testing.T) {
	rules := importRules()
	for _, p := range packages(t) {
		rel := strings.TrimPrefix(strings.TrimPrefix(p.path, module), "/")
		i := slices.IndexFunc(rules, func(r importRule) bool { return r.pkg == rel })
		if i < 0 {
			t.Errorf("%s has no import rule: add it to importRules and to the README's layout table", rel)
			continue
		}
		imports, err := Imports(p.dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range imports {
			if msg := rules[i].check(imp); msg != "" {
				t.Errorf("%s imports %s: %s", rel, imp, msg)
			}
		}
	}
}

// check says what is wrong with the rule's package importing imp, or "".
func (r importRule) check(imp string) string {
	if ours, ok := strings.CutPrefix(imp, module+"/"); ok {
		switch {
		case slices.Contains(r.may, "*"), slices.Contains(r.may, ours):
			return ""
		case len(r.may) == 0:
			return "nothing of avdoc's may be imported here"
		}
		return "of avdoc's, only " + strings.Join(r.may, ", ") + " may be imported here"
	}
	if slices.Contains(r.noStd, imp) {
		return "the package does no I/O"
	}
	return ""
}

// TestImportRuleCheck: the rule check refuses what it should.
func TestImportRuleCheck(t *testing.T) {
	r := importRule{pkg: "engine/compare", may: []string{"engine"}, noStd: noIO()}
	tests := []struct {
		imp string
		ok  bool
	}{
		{module + "/engine", true},
		{module + "/story", false},
		{module + "/engine/explore", false},
		{"strings", true},
		{"os", false},
		{"gopkg.in/yaml.v3", true},
	}
	for _, tt := range tests {
		if got := r.check(tt.imp) == ""; got != tt.ok {
			t.Errorf("check(%q) ok = %v, want %v", tt.imp, got, tt.ok)
		}
	}
	if msg := (importRule{pkg: "engine"}).check(module + "/story"); !strings.Contains(msg, "nothing of avdoc's") {
		t.Errorf("engine importing story: %q, want it to say nothing of avdoc's may be imported", msg)
	}
}

// TestReadmeTable: every package with an import rule is in the README's
// layout table, as a row of its own (`engine/explore/`) or, for the
// parts of internal/ and cmd/avdoc/internal/, by name (`pidcmd`) in
// their row.
func TestReadmeTable(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]string{} // each row's first cell, without its backquotes and slash
	for line := range strings.Lines(string(readme)) {
		if cells := strings.Split(line, "|"); len(cells) > 2 && strings.HasPrefix(strings.TrimSpace(cells[1]), "`") {
			rows[strings.Trim(strings.TrimSpace(cells[1]), "`/")] = line
		}
	}
	for _, r := range importRules() {
		if _, ok := rows[r.pkg]; ok {
			continue
		}
		row := rows[path.Dir(r.pkg)]
		if strings.Contains(row, "`"+path.Base(r.pkg)+"`") || strings.Contains(row, "`"+r.pkg) {
			continue
		}
		t.Errorf("the README's layout table does not name %s", r.pkg)
	}
}
