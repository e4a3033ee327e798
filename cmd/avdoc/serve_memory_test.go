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

// TestServeMemoryStaysFlat edits a story sixty times under a live site,
// each edit drawn again, and checks that serve's own heap does not grow
// with the number of renders: go-graphviz's memory only grows, so serve
// renders in worker processes, each replaced after a few renders here
// (every 200 in serve).
func TestServeMemoryStaysFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("sixty rebuilds")
	}
	dir := storyDir(t, map[string]string{"a.yaml": smallStory("A 0", "")})
	ls := newLiveSite([]string{dir}, story.DefaultLimits(), io.Discard)
	var total gvpool.Stats
	ls.startRenderer = func() (closingRenderer, error) {
		p, err := newRenderPool(gvpool.Options{Workers: 1, MaxRenders: 3})
		if err != nil {
			return nil, err
		}
		return statsOnClose{p, &total}, nil
	}
	heap := func() uint64 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapInuse
	}
	var after10 uint64
	for i := 1; i <= 60; i++ {
		edit(t, filepath.Join(dir, "a.yaml"), smallStory(fmt.Sprintf("A %d", i), ""), i)
		if n := ls.rebuild(t.Context()); n != 1 {
			t.Fatalf("rebuild %d read %d stories, want 1", i, n)
		}
		if i == 10 {
			after10 = heap()
		}
	}
	after60 := heap()
	if total.Renders < 200 || total.MaxServed > 3 || total.Recycled == 0 {
		t.Fatalf("workers: %+v; want ≥ 200 renders, none served by a worker past its 3rd", total)
	}
	// 200 renders in this process would add ~16 MB (80 KB each).
	if after60 > after10+after10/16+1<<20 {
		t.Errorf("serve's heap grew from %.1f MB after 10 rebuilds to %.1f MB after 60", mb(after10), mb(after60))
	}
	t.Logf("heap after 10 rebuilds %.1f MB, after 60 %.1f MB; workers %+v", mb(after10), mb(after60), total)
}

func mb(n uint64) float64 { return float64(n) / (1 << 20) }

// statsOnClose adds a pool's counters to a total when it closes.
type statsOnClose struct {
	*gvpool.Pool
	total *gvpool.Stats
}

func (s statsOnClose) Close() error {
	err := s.Pool.Close()
	st := s.Pool.Stats()
	s.total.Renders += st.Renders
	s.total.Recycled += st.Recycled
	s.total.Started += st.Started
	s.total.MaxServed = max(s.total.MaxServed, st.MaxServed)
	return err
}
