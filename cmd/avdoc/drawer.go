package main

import (
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
	il := &illustrate.Illustrator{Limits: lim, Graphviz: st.Graphviz(rd), Jobs: max(jobs, 1), Read: storyfile.Read, Machines: storyfile.Machines, Runs: storyfile.Runs}
	if st != nil {
		il.Cache = st
	}
	return il
}
