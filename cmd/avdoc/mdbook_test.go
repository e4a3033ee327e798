package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestMdbookCommand: mdBook's protocol, as mdBook runs avdoc: supports
// html only; the book on stdin comes back on stdout with the directive
// expanded; a story whose claim fails stops the book with its position.
func TestMdbookCommand(t *testing.T) {
	for renderer, want := range map[string]int{"html": exitOK, "latex": exitFailed} {
		if code, _, _ := avdoc(t, t.TempDir(), "mdbook", "supports", renderer); code != want {
			t.Errorf("supports %s: exit %d, want %d", renderer, code, want)
		}
	}
	root := t.TempDir()
	mustWrite(t, filepath.Join(root, "stories", "ok.yaml"), reportStories[0].src[:strings.Index(reportStories[0].src, "    expect")]+"    expect: [clean]\n")
	mustWrite(t, filepath.Join(root, "stories", "wrong.yaml"), reportStories[0].src)
	for _, tt := range []struct {
		file, stdout, stderr string
		code                 int
	}{
		{"ok.yaml", `<div class=\"avdoc-story\">`, "", exitOK},
		{"wrong.yaml", "", filepath.Join(root, "stories", "wrong.yaml") + ":5:14: step 1 (kernel 2.6.34): expected count(page) == 2", exitFailed},
	} {
		in := `[{"root":` + jsonText(t, root) + `,"config":{"book":{"src":"src"}},"renderer":"html"},` +
			`{"sections":[{"Chapter":{"name":"A","content":"{{#avdoc stories/` + tt.file + `}}","sub_items":[],"path":"a.md","source_path":"a.md","parent_names":[]}}],"__non_exhaustive":null}]`
		code, stdout, stderr := avdocIn(t, "", in, "mdbook")
		if code != tt.code || !strings.Contains(stdout, tt.stdout) || !strings.Contains(stderr, tt.stderr) || (code == exitOK) != json.Valid([]byte(stdout)) {
			t.Errorf("%s: exit %d, stdout %.300q, stderr %q; want %d, %q, %q", tt.file, code, stdout, stderr, tt.code, tt.stdout, tt.stderr)
		}
	}
}

func jsonText(t *testing.T, s string) string {
	t.Helper()
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
