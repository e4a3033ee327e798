package story

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/avdoc/avdoc/internal/golden"
)

// txtar is a minimal reader for the txtar archives of testdata/errors: a
// comment, then sections each introduced by a `-- NAME --` line.
type txtar struct {
	comment  []byte
	sections []section
}

type section struct {
	name string
	data []byte
}

var txtarHeader = regexp.MustCompile(`^-- (.+?) --$`)

func parseTxtar(data []byte) txtar {
	var a txtar
	cur := &a.comment
	for len(data) > 0 {
		line, rest, _ := bytes.Cut(data, []byte("\n"))
		if m := txtarHeader.FindSubmatch(line); m != nil {
			a.sections = append(a.sections, section{name: string(m[1])})
			cur = &a.sections[len(a.sections)-1].data
		} else {
			*cur = append(*cur, line...)
			if len(rest) > 0 || bytes.HasSuffix(data, []byte("\n")) {
				*cur = append(*cur, '\n')
			}
		}
		data = rest
	}
	return a
}

func (a txtar) get(name string) ([]byte, bool) {
	for _, s := range a.sections {
		if s.name == name {
			return s.data, true
		}
	}
	return nil, false
}

func (a txtar) format() []byte {
	var b bytes.Buffer
	b.Write(a.comment)
	for _, s := range a.sections {
		b.WriteString("-- " + s.name + " --\n")
		b.Write(s.data)
	}
	return b.Bytes()
}

func (a *txtar) set(name string, data []byte) {
	for i := range a.sections {
		if a.sections[i].name == name {
			a.sections[i].data = data
			return
		}
	}
	a.sections = append(a.sections, section{name: name, data: data})
}

func TestTxtarRoundTrip(t *testing.T) {
	for _, in := range []string{
		"comment\n-- a --\nx\ny\n-- b --\n",
		"-- a --\n-- b --\nz\n",
		"-- a --\nno newline at end",
	} {
		if got := string(parseTxtar([]byte(in)).format()); got != in {
			t.Errorf("round trip of %q gave %q", in, got)
		}
	}
}

// errorText parses and, if that succeeds, executes src named story.yaml,
// and returns every error as ErrorList.Error prints it, one a line.
func errorText(src []byte) string {
	s, err := Parse("story.yaml", src)
	if err == nil {
		_, err = Execute(s)
	}
	if err == nil {
		return ""
	}
	return err.Error() + "\n"
}

// TestErrors runs each story of testdata/errors/*.txtar and compares its
// errors with the archive's `-- errors --` section. Run with -update to
// rewrite those sections.
func TestErrors(t *testing.T) {
	files, err := filepath.Glob("testdata/errors/*.txtar")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 25 {
		t.Fatalf("found %d error cases in testdata/errors, want at least 25", len(files))
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			a := parseTxtar(data)
			src, ok := a.get("story.yaml")
			if !ok {
				t.Fatalf("%s has no -- story.yaml -- section", file)
			}
			got := errorText(src)
			if golden.Updating() {
				a.set("errors", []byte(got))
				if out := a.format(); !bytes.Equal(out, data) {
					if err := os.WriteFile(file, out, 0o644); err != nil {
						t.Fatal(err)
					}
					t.Errorf("rewrote the errors of %s; review it, then run again without -update", file)
				}
				return
			}
			want, ok := a.get("errors")
			if !ok {
				t.Fatalf("%s has no -- errors -- section (run with -update to add it)", file)
			}
			if got != string(want) {
				t.Errorf("errors of %s differ (run with -update to accept):\n%s", file, golden.Diff(string(want), got))
			}
		})
	}
}

// TestClipText: long quoted texts and words in an error are cut to their
// first runes, whole messages to a bound; short ones are left alone.
func TestClipText(t *testing.T) {
	long := strings.Repeat("é", 100)
	tests := []struct{ in, want string }{
		{`unknown event "frok"`, `unknown event "frok"`},
		{`unknown event "` + long + `"`, `unknown event "` + strings.Repeat("é", clipKeep-1) + `…"`},
		{`found "a \"q\" b" here`, `found "a \"q\" b" here`},
		{"process " + long + " has exited", "process " + strings.Repeat("é", clipKeep) + "… has exited"},
		{`unclosed "` + long, `unclosed "` + strings.Repeat("é", clipKeep-1) + "…"},
		{strings.Repeat("ab ", 1000), strings.Repeat("ab ", 1000)[:clipMsg] + "…"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := clipText(tt.in); got != tt.want {
			t.Errorf("clipText(%.40q…)\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}
