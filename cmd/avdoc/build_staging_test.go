package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/avdoc/avdoc/site"
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
			mustWrite(t, filepath.Join(out, manifestName), "")
		}, "not a manifest of this avdoc's", "thesis.tex"},
		{"older avdoc's marker", func(t *testing.T, out string) {
			mustWrite(t, filepath.Join(out, "index.html"), "a site")
			mustWrite(t, filepath.Join(out, manifestName), "built by avdoc; `avdoc build` may replace this directory\n")
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
				if err := checkOwnSite(out); err != nil {
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
	if left, _ := filepath.Glob(filepath.Join(work, "*", stagingPrefix+"*")); len(left) > 0 {
		t.Errorf("left %v", left)
	}
	mustWrite(t, filepath.Join(here, "mine.txt"), "mine")
	if code, _, stderr := avdoc(t, here, "build", "-o", ".", "../story.yaml"); code != exitInput || !strings.Contains(stderr, "mine.txt, which avdoc did not write") {
		t.Errorf("build -o . over a site with a user's file: exit %d\n%s", code, stderr)
	}
}

// TestStagingSurvivesCleanup: a build's new staging directory is never
// taken for a killed build's by another build cleaning up at that very
// moment (the race of two builds into one directory): it is locked
// before it is marked, and made again if it was removed while empty.
func TestStagingSurvivesCleanup(t *testing.T) {
	if !dirLocks {
		t.Skip("directories cannot be locked here")
	}
	parent := t.TempDir()
	out := filepath.Join(parent, "out")
	var stop atomic.Bool
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // another build, cleaning up as it starts, again and again
		defer wg.Done()
		for !stop.Load() {
			removeStale(parent)
		}
	}()
	defer wg.Wait()
	defer stop.Store(true)
	for i := range 300 {
		st := &staging{out: out}
		if err := st.create(); err != nil {
			t.Fatalf("create %d: %v", i, err)
		}
		if err := writeFile(st.dir, site.File{Path: "index.html", Data: []byte("x")}); err != nil {
			t.Fatalf("round %d: the staging directory went: %v", i, err)
		}
		st.discard()
	}
}

// TestSwapIsOneStep swaps sites into out again and again while a reader
// looks at out: it must find a complete site every time, never none.
func TestSwapIsOneStep(t *testing.T) {
	parent := t.TempDir()
	out := filepath.Join(parent, "out")
	newSite := func(n int) string {
		dir, err := os.MkdirTemp(parent, stagingPrefix)
		if err != nil {
			t.Fatal(err)
		}
		files := []site.File{{Path: "index.html", Data: []byte(fmt.Sprint(n))}}
		files = append(files, site.File{Path: manifestName, Data: writeManifest(files)})
		for _, f := range files {
			if err := writeFile(dir, f); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}
	if _, err := replace(newSite(0), out); err != nil {
		t.Fatal(err)
	}
	var stop atomic.Bool
	missing := make(chan error, 1)
	go func() {
		defer close(missing)
		for !stop.Load() {
			if _, err := os.Stat(filepath.Join(out, "index.html")); err != nil {
				missing <- err
				return
			}
		}
	}()
	for i := 1; i <= 500; i++ {
		if _, err := replace(newSite(i), out); err != nil {
			t.Fatalf("swap %d: %v", i, err)
		}
	}
	stop.Store(true)
	if err := <-missing; err != nil {
		t.Errorf("a reader found no site during a swap: %v", err)
	}
	if got, _ := os.ReadFile(filepath.Join(out, "index.html")); string(got) != "500" {
		t.Errorf("out holds site %q, want the last, 500", got)
	}
	if left, _ := filepath.Glob(filepath.Join(parent, ".avdoc-*")); len(left) > 0 {
		t.Errorf("old sites left: %v", left)
	}
}
