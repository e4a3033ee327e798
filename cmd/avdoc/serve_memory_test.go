package main

import (
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/avdoc/avdoc/cmd/avdoc/internal/gvpool"
	"github.com/avdoc/avdoc/story"
)

// TestServeMemoryStaysFlat edits a story again and again (rebuilds) under a live site
// set up as `avdoc serve` sets it up, each edit drawn again: serve must
// render in one worker process (go-graphviz's memory only grows), kept
// across rebuilds and replaced every 200 renders, as the README says, and
// its own heap must not grow with the renders. Rendering in serve's
// process, or a worker per rebuild, fails it.
func TestServeMemoryStaysFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("two hundred and ten rebuilds")
	}
	dir := storyDir(t, map[string]string{"a.yaml": smallStory("A 0", "")})
	ls := newLiveSite([]string{dir}, story.DefaultLimits(), io.Discard)
	t.Cleanup(func() { ls.Close() })
	heap := func() uint64 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapInuse
	}
	var after10 uint64
	for i := 1; i <= rebuilds; i++ {
		edit(t, filepath.Join(dir, "a.yaml"), smallStory(fmt.Sprintf("A %d", i), ""), i)
		if n := ls.Rebuild(t.Context()); n != 1 {
			t.Fatalf("rebuild %d read %d stories, want 1", i, n)
		}
		if i == 10 {
			after10 = heap()
		}
	}
	afterAll := heap()
	rd, err := ls.Renderer()
	if err != nil {
		t.Fatal(err)
	}
	pool, ok := rd.(*gvpool.Pool)
	if !ok {
		t.Fatalf("serve renders with a %T, not a pool of worker processes", rd)
	}
	st := pool.Stats()
	if st.Renders <= gvpool.DefaultMaxRenders || st.Recycled == 0 || st.MaxServed != gvpool.DefaultMaxRenders || st.Started != st.Recycled+1 {
		t.Errorf("workers: %+v; want more than %d renders, by one worker at a time, each replaced after %d",
			st, gvpool.DefaultMaxRenders, gvpool.DefaultMaxRenders)
	}
	// 200 renders in this process would add ~16 MB (80 KB each).
	if afterAll > after10+after10/16+1<<20 {
		t.Errorf("serve's heap grew from %.1f MB after 10 rebuilds to %.1f MB after %d", mb(after10), mb(afterAll), rebuilds)
	}
	t.Logf("heap after 10 rebuilds %.1f MB, after %d %.1f MB; workers %+v", mb(after10), rebuilds, mb(afterAll), st)
}

// rebuilds is how often TestServeMemoryStaysFlat edits its story: each
// rebuild has Graphviz lay the story out, and nothing else (avdoc
// measures every look and draws every piece of it), so that this many
// rebuilds take more than gvpool.DefaultMaxRenders renders.
const rebuilds = 210

func mb(n uint64) float64 { return float64(n) / (1 << 20) }
