package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/avdoc/avdoc/cmd/avdoc/internal/sitedir"
)

// TestReplaceOnlyOwnSites: avdoc replaces an empty directory or a site it
// built, untouched; never a directory holding anything its manifest does
// not list, or a file changed since it wrote it, whatever marker it has.
func TestReplaceOnlyOwnSites(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, out string)
		msg   string // in the refusal; "" for a build that replaces out
		kept  string // a file of out's that must survive
	}{
		{"empty directory", func(t *testing.T, out string) { mustMkdir(t, out) }, "", ""},
		{"avdoc's site", func(t *testing.T, out string) { buildInto(t, filepath.Dir(out), "out") }, "", ""},
		{"user's files and an empty marker", func(t *testing.T, out string) {
			mustWrite(t, filepath.Join(out, "thesis.tex"), "years of work")
			mustWrite(t, filepath.Join(out, sitedir.ManifestName), "")
		}, "not a manifest of this avdoc's", "thesis.tex"},
		{"older avdoc's marker", func(t *testing.T, out string) {
			mustWrite(t, filepath.Join(out, "index.html"), "a site")
			mustWrite(t, filepath.Join(out, sitedir.ManifestName), "built by avdoc; `avdoc build` may replace this directory\n")
		}, "not a manifest of this avdoc's", "index.html"},
		{"no manifest", func(t *testing.T, out string) {
			mustWrite(t, filepath.Join(out, "notes.txt"), "mine")
		}, "it has no .avdoc-site", "notes.txt"},
		{"a file added to avdoc's site", func(t *testing.T, out string) {
			buildInto(t, filepath.Dir(out), "out")
			mustWrite(t, filepath.Join(out, "story", "my-notes.md"), "mine")
		}, "it holds story/my-notes.md, which avdoc did not write", "story/my-notes.md"},
		{"a directory added to avdoc's site", func(t *testing.T, out string) {
			buildInto(t, filepath.Dir(out), "out")
			mustMkdir(t, filepath.Join(out, "drafts"))
		}, "it holds drafts, which avdoc did not write", "drafts"},
		{"a file of avdoc's site edited", func(t *testing.T, out string) {
			buildInto(t, filepath.Dir(out), "out")
			mustWrite(t, filepath.Join(out, "story", "index.html"), "edited by hand")
		}, "its story/index.html changed since avdoc wrote it", "story/index.html"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			work := t.TempDir()
			mustWrite(t, filepath.Join(work, "story.yaml"), tinyStory)
			out := filepath.Join(work, "out")
			tt.setup(t, out)
			var before []byte
			if tt.kept != "" {
				before, _ = os.ReadFile(filepath.Join(out, tt.kept))
			}
			code, _, stderr := avdoc(t, work, "build", "-o", "out", "story.yaml")
			if tt.msg == "" {
				if code != exitOK {
					t.Fatalf("build: exit %d\n%s", code, stderr)
				}
				if err := sitedir.CheckOwnSite(out); err != nil {
					t.Errorf("the new site does not match its manifest: %v", err)
				}
				return
			}
			if code != exitInput || !strings.Contains(stderr, "refusing to replace") || !strings.Contains(stderr, tt.msg) {
				t.Errorf("exit %d, stderr %q; want exit %d refusing with %q", code, stderr, exitInput, tt.msg)
			}
			if after, err := os.ReadFile(filepath.Join(out, tt.kept)); err != nil && !strings.Contains(err.Error(), "is a directory") || string(after) != string(before) {
				t.Errorf("%s changed or went: %v", tt.kept, err)
			}
		})
	}
}

// TestBuildIntoDot: `-o .` builds into the current directory, empty or
// a site avdoc built, with its staging directory beside it, not inside.
func TestBuildIntoDot(t *testing.T) {
	work := t.TempDir()
	mustWrite(t, filepath.Join(work, "story.yaml"), tinyStory)
	here := filepath.Join(work, "here")
	mustMkdir(t, here)
	for i := range 2 { // into the empty directory, then over the site
		if code, _, stderr := avdoc(t, here, "build", "-o", ".", "../story.yaml"); code != exitOK {
			t.Fatalf("build %d -o . in %s: exit %d\n%s", i+1, here, code, stderr)
		}
		mustExist(t, filepath.Join(here, "story", "index.html"))
	}
	if left, _ := filepath.Glob(filepath.Join(work, "*", sitedir.StagingPrefix+"*")); len(left) > 0 {
		t.Errorf("left %v", left)
	}
	mustWrite(t, filepath.Join(here, "mine.txt"), "mine")
	if code, _, stderr := avdoc(t, here, "build", "-o", ".", "../story.yaml"); code != exitInput || !strings.Contains(stderr, "mine.txt, which avdoc did not write") {
		t.Errorf("build -o . over a site with a user's file: exit %d\n%s", code, stderr)
	}
}
