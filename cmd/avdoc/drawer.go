package main

import (
	"context"
	"flag"
	"io"

	"github.com/avdoc/avdoc/cmd/avdoc/internal/buildcache"
	"github.com/avdoc/avdoc/cmd/avdoc/internal/storyfile"
	"github.com/avdoc/avdoc/illustrate"
	"github.com/avdoc/avdoc/story"
)

// store is the cache as builds use it; nil caches nothing.
type store = buildcache.Store

// cacheFlag registers --cache on fs.
func cacheFlag(fs *flag.FlagSet) *string {
	return fs.String("cache", "", "keep rendered frames and drawn stories in `DIR` and reuse them (default $AVDOC_CACHE, else the user cache directory's avdoc/; \"off\" for none)")
}

// openStore opens the cache that --cache names (see [buildcache.Open]).
func openStore(dir string, getenv func(string) string, warn io.Writer) *store {
	return buildcache.Open(dir, getenv, warn)
}

// newDrawer returns what makes story files into pages: rendering with rd
// through the cache st (which may be nil), jobs stories at a time, each
// file read with storyfile.Read.
func newDrawer(lim story.Limits, rd illustrate.Graphviz, st *store, jobs int) *illustrate.Illustrator {
	il := &illustrate.Illustrator{Limits: lim, Graphviz: st.Graphviz(rd), Jobs: max(jobs, 1), Read: storyfile.Read}
	if st != nil {
		il.Cache = st
	}
	return il
}

// drawPaths draws every story file that paths name, in build order. A
// path that names no story file is a result of its own, with its error.
func drawPaths(ctx context.Context, il *illustrate.Illustrator, paths []string) []illustrate.Page {
	var out []illustrate.Page
	var files []string
	var at []int // where each file's result goes in out
	for _, p := range paths {
		found, err := storyfile.Expand(p)
		if err != nil {
			out = append(out, illustrate.Page{File: p, Err: err})
			continue
		}
		for _, f := range found {
			at = append(at, len(out))
			out = append(out, illustrate.Page{File: f})
			files = append(files, f)
		}
	}
	for i, r := range il.Pages(ctx, files) {
		out[at[i]] = r
	}
	return out
}
