// Package buildcache is avdoc's cache as builds use it: each Graphviz
// render filed under its DOT and Graphviz's version, and each drawn story
// under avdoc's build ID, the limits and the story's skeleton (the story
// without its narration). A nil *Store caches nothing.
package buildcache

import (
	"bytes"
	"context"
	"crypto/sha256"
	"debug/elf"
	"encoding/gob"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync/atomic"

	"github.com/avdoc/avdoc/cmd/avdoc/internal/cache"
	"github.com/avdoc/avdoc/illustrate"
	"github.com/avdoc/avdoc/render/gv"
	"github.com/avdoc/avdoc/story"
)

// Store is the cache as builds use it: Graphviz's output filed under the
// DOT it was given, and whole drawn stories filed under their skeleton
// (the story without its narration). A nil *Store caches nothing.
type Store struct {
	c *cache.Cache
	// avdoc names this avdoc binary: drawn stories depend on all of its
	// code. graphviz names the Graphviz it renders with: frames depend on
	// that alone, so they survive upgrades of avdoc.
	avdoc, graphviz []byte
	Stats           Stats
}

// Stats counts what a store saved, and what it could not.
type Stats struct {
	StoryHits, StoryMisses   atomic.Int64
	RenderHits, RenderMisses atomic.Int64
}

// Open opens the cache that the --cache flag's value (or, if empty,
// $AVDOC_CACHE, or the user's cache directory) names, or none for "off".
// A cache that cannot be opened is not an error: the build runs without
// one, saying why on warn.
func Open(dir string, getenv func(string) string, warn io.Writer) *Store {
	if dir == "" {
		dir = getenv("AVDOC_CACHE")
	}
	if dir == "off" {
		return nil
	}
	if dir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			return nil // no home: nowhere to keep it, and nothing to say
		}
		dir = filepath.Join(base, "avdoc")
	}
	c, err := cache.Open(dir)
	if err != nil {
		fmt.Fprintf(warn, "avdoc: not caching: %v\n", err)
		return nil
	}
	if _, err := c.Trim(); err != nil {
		fmt.Fprintf(warn, "avdoc: %v\n", err)
	}
	return &Store{c: c, avdoc: ExecutableID(), graphviz: GraphvizID()}
}

// ExecutableID identifies the running binary: its Go build ID, which
// hashes its content, or else the SHA-256 of the file; nil if neither
// can be read, which turns story caching off.
func ExecutableID() []byte {
	exe, err := os.Executable()
	if err != nil {
		return nil
	}
	if f, err := elf.Open(exe); err == nil {
		defer f.Close()
		if sec := f.Section(".note.go.buildid"); sec != nil {
			if note, err := sec.Data(); err == nil && len(note) > 16 {
				return append([]byte("go-buildid "), note[16:]...) // past the note's header and "Go\x00\x00"
			}
		}
	}
	f, err := os.Open(exe)
	if err != nil {
		return nil
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return nil
	}
	return h.Sum([]byte("sha256 "))
}

// GraphvizID identifies the go-graphviz module this binary was built
// with (its version and checksum), falling back to the binary itself.
func GraphvizID() []byte {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, m := range bi.Deps {
			if m.Path == "github.com/goccy/go-graphviz" {
				if m.Replace != nil {
					m = m.Replace
				}
				if m.Sum != "" {
					return []byte(m.Path + "@" + m.Version + " " + m.Sum)
				}
			}
		}
	}
	return ExecutableID()
}

// Graphviz wraps rd so that it answers from the cache what Graphviz
// rendered before. Graphviz's output depends only on its input and
// version, so a render is filed under those.
func (s *Store) Graphviz(rd illustrate.Graphviz) illustrate.Graphviz {
	if s == nil || s.graphviz == nil {
		return rd
	}
	return &cachedRenderer{next: rd, s: s}
}

type cachedRenderer struct {
	next illustrate.Graphviz
	s    *Store
}

func (r *cachedRenderer) Render(ctx context.Context, dot []byte, e gv.Engine, f gv.Format) ([]byte, error) {
	k := cache.NewKey([]byte("graphviz v1"), r.s.graphviz, []byte(e), []byte(f), dot)
	if out, ok := r.s.c.Get(k); ok {
		r.s.Stats.RenderHits.Add(1)
		return out, nil
	}
	r.s.Stats.RenderMisses.Add(1)
	out, err := r.next.Render(ctx, dot, e, f)
	if err == nil {
		r.s.c.Put(k, out) // best effort: a full disk only costs speed
	}
	return out, err
}

// storyKey files a drawn story under everything its drawing depends on:
// this binary, the limits it ran within, how the site draws, the story's
// skeleton, and what its runs depend on besides (runs: a live kernel's
// release, or its recording). ok is false when the story cannot be
// cached.
func (s *Store) storyKey(src, runs []byte, lim story.Limits) (cache.Key, bool) {
	if s == nil || s.avdoc == nil {
		return cache.Key{}, false
	}
	skel, err := story.Skeleton(src)
	if err != nil {
		return cache.Key{}, false
	}
	return cache.NewKey([]byte("story v5"), s.avdoc, fmt.Appendf(nil, "%+v %+v", lim, illustrate.SiteStyle()), skel, runs), true
}

// GetStory returns the drawn steps filed for src and runs, if they fit
// the story (a story of n steps under kernels many kernels).
func (s *Store) GetStory(src, runs []byte, lim story.Limits, steps, kernels int) (illustrate.Drawn, bool) {
	k, ok := s.storyKey(src, runs, lim)
	if !ok {
		return illustrate.Drawn{}, false
	}
	var d illustrate.Drawn
	data, ok := s.c.Get(k)
	if ok && gob.NewDecoder(bytes.NewReader(data)).Decode(&d) == nil && len(d.Steps) == steps {
		for _, st := range d.Steps {
			if len(st.Frames) != kernels {
				ok = false
			}
		}
		if ok {
			s.Stats.StoryHits.Add(1)
			return d, true
		}
	}
	s.Stats.StoryMisses.Add(1)
	return illustrate.Drawn{}, false
}

// PutStory files a drawn story for src and runs, best effort.
func (s *Store) PutStory(src, runs []byte, lim story.Limits, d illustrate.Drawn) {
	k, ok := s.storyKey(src, runs, lim)
	if !ok {
		return
	}
	var b bytes.Buffer
	if gob.NewEncoder(&b).Encode(d) == nil {
		s.c.Put(k, b.Bytes())
	}
}

// Dir is the cache's directory.
func (s *Store) Dir() string { return s.c.Dir() }

// Summary says what the cache saved, for the end of a build; "" if it
// saved nothing.
func (s *Store) Summary() string {
	if s == nil {
		return ""
	}
	var parts []string
	if n := s.Stats.StoryHits.Load(); n > 0 {
		parts = append(parts, counted(int(n), "story", "stories")+" from the cache")
	}
	if n := s.Stats.RenderHits.Load(); n > 0 {
		parts = append(parts, counted(int(n), "Graphviz render", "Graphviz renders")+" from the cache")
	}
	return strings.Join(parts, ", ")
}

// counted is "1 story", "2 stories".
func counted(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
