package sitedir

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/avdoc/avdoc/site"
)

// TestPutThenCommit: files written ahead with Put end up as Commit's
// files say: kept if unchanged, rewritten if changed, removed (with the
// directories they leave empty) if Commit does not list them; the site
// is avdoc's, so the next build may replace it.
func TestPutThenCommit(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	st := New(out)
	if err := st.Create(); err != nil {
		t.Fatal(err)
	}
	defer st.Discard()
	for _, f := range []site.File{
		{Path: "a/kept.svg", Data: []byte("kept")},
		{Path: "a/changed.svg", Data: []byte("before")},
		{Path: "gone/stray.svg", Data: []byte("stray")},
	} {
		if err := st.Put(f); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string]string{"a/kept.svg": "kept", "a/changed.svg": "after", "index.html": "index"}
	var files []site.File
	for p, d := range want {
		files = append(files, site.File{Path: p, Data: []byte(d)})
	}
	if err := st.Commit(files); err != nil {
		t.Fatal(err)
	}
	for p, d := range want {
		if got, _ := os.ReadFile(filepath.Join(out, p)); string(got) != d {
			t.Errorf("%s = %q, want %q", p, got, d)
		}
	}
	if _, err := os.Lstat(filepath.Join(out, "gone")); err == nil {
		t.Errorf("the directory of a file Put but not committed is left")
	}
	if err := CheckOwnSite(out); err != nil {
		t.Errorf("the committed site is not avdoc's: %v", err)
	}
	if err := st.Put(site.File{Path: "late.svg", Data: []byte("x")}); err == nil {
		t.Errorf("Put after Commit succeeded")
	}
}

// TestPutRacingDiscard: files Put while the build is discarded (an error
// or an interrupt elsewhere) never bring the staging directory back.
func TestPutRacingDiscard(t *testing.T) {
	parent := t.TempDir()
	st := New(filepath.Join(parent, "out"))
	if err := (&Staging{}).Put(site.File{Path: "x", Data: nil}); err == nil {
		t.Errorf("Put before Create succeeded")
	}
	if err := st.Create(); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				st.Put(site.File{Path: fmt.Sprintf("s%d/f%d.svg", i%7, g*1000+i), Data: []byte("x")})
			}
		}()
	}
	st.Discard()
	wg.Wait()
	if left, _ := filepath.Glob(filepath.Join(parent, StagingPrefix+"*")); len(left) > 0 {
		t.Errorf("staging directories left after Discard: %v", left)
	}
}

// TestPutDiagramsWithinLimits: diagrams are written ahead only while they
// stay within the site's limits (a build writes nothing past them): not
// those of a story past the page limit, nor those that would take the
// total past the site limit.
func TestPutDiagramsWithinLimits(t *testing.T) {
	story := func(slug string, size int) site.Story {
		svg := []byte(fmt.Sprintf("%0*d", size, 0))
		return site.Story{Slug: slug, Kernels: []string{"k"}, Steps: []site.Step{{Frames: []site.Frame{{Kernel: "k", SVG: svg}}}}}
	}
	st := New(filepath.Join(t.TempDir(), "out"))
	if err := st.Create(); err != nil {
		t.Fatal(err)
	}
	defer st.Discard()
	put := st.PutDiagrams(site.Limits{Page: 100, Site: 150})
	put(story("fits", 80))
	put(story("too-big", 101))  // past the page limit
	put(story("over-site", 80)) // 80+80 past the site limit
	put(story("small", 60))     // 80+60 within it
	for slug, want := range map[string]bool{"fits": true, "too-big": false, "over-site": false, "small": true} {
		_, err := os.Stat(filepath.Join(st.dir, slug, "step-1-k.svg"))
		if got := err == nil; got != want {
			t.Errorf("%s's diagram written ahead: %v, want %v", slug, got, want)
		}
	}
}
