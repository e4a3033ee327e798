package sitedir

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/avdoc/avdoc/site"
)

// TestStagingSurvivesCleanup: a build's new staging directory is never
// taken for a killed build's by another build cleaning up at that very
// moment (the race of two builds into one directory): it is locked
// before it is marked, and made again if it was removed while empty.
func TestStagingSurvivesCleanup(t *testing.T) {
	if !DirLocks {
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
			RemoveStale(parent)
		}
	}()
	defer wg.Wait()
	defer stop.Store(true)
	for i := range 300 {
		st := New(out)
		if err := st.Create(); err != nil {
			t.Fatalf("create %d: %v", i, err)
		}
		if err := WriteFile(st.dir, site.File{Path: "index.html", Data: []byte("x")}); err != nil {
			t.Fatalf("round %d: the staging directory went: %v", i, err)
		}
		st.Discard()
	}
}

// TestSwapIsOneStep swaps sites into out again and again while a reader
// looks at out: it must find a complete site every time, never none.
func TestSwapIsOneStep(t *testing.T) {
	parent := t.TempDir()
	out := filepath.Join(parent, "out")
	newSite := func(n int) string {
		dir, err := os.MkdirTemp(parent, StagingPrefix)
		if err != nil {
			t.Fatal(err)
		}
		files := []site.File{{Path: "index.html", Data: []byte(fmt.Sprint(n))}}
		files = append(files, site.File{Path: ManifestName, Data: manifest(files, sums(files))})
		for _, f := range files {
			if err := WriteFile(dir, f); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}
	if _, err := Replace(newSite(0), out); err != nil {
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
		if _, err := Replace(newSite(i), out); err != nil {
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
