package main

import (
	"io"

	"github.com/avdoc/avdoc/cmd/avdoc/internal/livesite"
	"github.com/avdoc/avdoc/illustrate"
	"github.com/avdoc/avdoc/story"
)

// liveSite is the site `avdoc serve` shows (see [livesite.Site]), served
// over HTTP by its ServeHTTP.
type liveSite struct {
	*livesite.Site
	store *store // the cache of drawn stories and frames, or nil
}

// newLiveSite returns the site of the stories in paths, not built yet:
// call Rebuild. It caches in no store: set Store.
func newLiveSite(paths []string, lim story.Limits, log io.Writer) *liveSite {
	ls := &liveSite{}
	// One worker for as long as serve runs, replaced every
	// gvpool.DefaultMaxRenders renders (200): a server runs for hours,
	// and go-graphviz's memory only grows.
	start := func() (livesite.Renderer, error) { return startRenderer(1) }
	ls.Site = livesite.New(paths, start, func(rd illustrate.Graphviz) *illustrate.Illustrator {
		return newDrawer(lim, rd, ls.store, 1)
	}, log)
	return ls
}

// counted is "1 story", "2 stories".
func counted(n int, one, many string) string { return livesite.Counted(n, one, many) }
