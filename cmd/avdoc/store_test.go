package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/avdoc/avdoc/cmd/avdoc/internal/buildcache"
	"github.com/avdoc/avdoc/site"
)

// TestCacheChangesNothing builds a set of stories again and again
// through one cache while they are edited, and checks after each build
// that the site is byte for byte the site built without a cache, and
// that the cache did the work it should have: everything from the cache
// when nothing changed, or only narration did; the edited story run and
// drawn again when its events or expectations changed; a story that
// fails never kept; a damaged cache read as empty.
func TestCacheChangesNothing(t *testing.T) {
	dir := storyDir(t, map[string]string{
		"a.yaml": smallStory("Story A", ""),
		"b.yaml": smallStory("Story B", ""),
	})
	cacheDir := t.TempDir()
	steps := []struct {
		name        string
		change      func()
		storyHits   int64 // stories taken whole from the cache
		renderHits  int64 // Graphviz renders answered by the cache, at least (a small story's layout: avdoc measures all its looks and draws all its pieces)
		renderCalls int64 // renders that reached Graphviz, at most
	}{
		{"first build", func() {}, 0, 0, 1 << 30},
		{"nothing changed", func() {}, 2, 0, 0},
		{"narration of b", func() {
			mustWrite(t, filepath.Join(dir, "b.yaml"), strings.Replace(smallStory("Story B", ""),
				"    expect: [clean]\n", "    say: |\n      P writes *both* pages.\n\n      Two lines.\n    expect: [clean]\n", 1))
		}, 2, 0, 0},
		{"an expectation of a, same frames", func() {
			mustWrite(t, filepath.Join(dir, "a.yaml"), smallStory("Story A", "      - count(process) == 2\n"))
		}, 1, 1, 0},
		{"an event of b", func() {
			mustWrite(t, filepath.Join(dir, "b.yaml"), strings.Replace(smallStory("Story B", ""), "mmap P heap 2", "mmap P heap 3", 1))
		}, 1, 0, 1 << 30},
		{"a fails", func() {
			mustWrite(t, filepath.Join(dir, "a.yaml"), smallStory("Story A", "      - count(process) == 3\n"))
		}, 1, 1, 0},
		{"a still fails: run again", func() {}, 1, 1, 0},
		{"damaged cache", func() { damageEntries(t, cacheDir) }, 0, 0, 1 << 30},
	}
	for _, st := range steps {
		st.change()
		want, err := buildSite(t.Context(), []string{dir}, nil, 1)
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		s := openStore(cacheDir, func(string) string { return "" }, io.Discard)
		if s == nil {
			t.Fatal("no cache")
		}
		got, err := buildSite(t.Context(), []string{dir}, s, 2)
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		sameSite(t, st.name, got, want)
		hits, rhits, calls := s.Stats.StoryHits.Load(), s.Stats.RenderHits.Load(), s.Stats.RenderMisses.Load()
		if hits != st.storyHits || rhits < st.renderHits || calls > st.renderCalls {
			t.Errorf("%s: %d stories and %d renders from the cache, %d renders by Graphviz; want %d, ≥ %d, ≤ %d",
				st.name, hits, rhits, calls, st.storyHits, st.renderHits, st.renderCalls)
		}
	}
}

// sameSite fails unless got and want hold the same files, byte for byte.
func sameSite(t *testing.T, name string, got, want []site.File) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d files, want %d", name, len(got), len(want))
	}
	for i := range got {
		if got[i].Path != want[i].Path || !bytes.Equal(got[i].Data, want[i].Data) {
			t.Errorf("%s: %s differs from the build without a cache (%s)", name, got[i].Path, want[i].Path)
		}
	}
}

// damageEntries flips the last byte of every entry in a cache directory.
func damageEntries(t *testing.T, dir string) {
	t.Helper()
	n := 0
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Dir(p) == dir {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		b[len(b)-1] ^= 0xff
		n++
		return os.WriteFile(p, b, 0o644)
	})
	if n == 0 {
		t.Fatal("no cache entries to damage")
	}
}

// TestCacheIDs: a cache is keyed by this binary and by the Graphviz it
// renders with (go-graphviz's version and checksum, which a test binary
// of a package main records).
func TestCacheIDs(t *testing.T) {
	if id := buildcache.ExecutableID(); len(id) < 16 {
		t.Errorf("ExecutableID() = %q", id)
	}
	if id := buildcache.GraphvizID(); !bytes.HasPrefix(id, []byte("github.com/goccy/go-graphviz@v")) {
		t.Errorf("GraphvizID() = %q, want the module's version and checksum", id)
	}
}
