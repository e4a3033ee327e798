// Package livesite keeps the site `avdoc serve` shows in memory and
// rebuilds, as their files change, only the stories that changed.
package livesite

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"sync"
	"time"

	"github.com/avdoc/avdoc/cmd/avdoc/internal/storyfile"
	"github.com/avdoc/avdoc/illustrate"
	"github.com/avdoc/avdoc/site"
)

// Renderer is Graphviz to close when done.
type Renderer interface {
	illustrate.Graphviz
	Close() error
}

// Site is the site of some story files, kept in memory and rebuilt as
// they change: only the stories whose files changed are parsed, run and
// drawn again; the others keep their pages. A story that stops loading
// keeps its last good page, under its problems, until it loads again.
type Site struct {
	paths      []string
	SiteLimits site.Limits // pages and a site past them are not served
	log        io.Writer
	// StartRenderer starts what the site is drawn with, when a story
	// first needs drawing; rd is what it started, kept until Close.
	StartRenderer func() (Renderer, error)
	rd            Renderer
	// NewDrawer returns what draws the stories with rd.
	NewDrawer func(rd illustrate.Graphviz) *illustrate.Illustrator
	// Read, if not nil, replaces the drawer's way of reading a story
	// file (tests count the files read with it).
	Read func(file string, limit int64) ([]byte, error)

	// Only Rebuild touches these.
	cache    map[string]*entry // by story file
	seen     []storyfile.Stamp // the files and stamps of the last rebuild
	seenErrs []string          // and the paths that named no story file

	mu      sync.Mutex
	snap    *Build
	changed chan struct{} // closed, and replaced, when snap changes
}

// entry is one story file as the last rebuild that read it left it.
type entry struct {
	stamp    storyfile.Stamp
	story    site.Story // its page: as it loaded, or, if it no longer loads, as it last did
	hasPage  bool       // whether story is a page: it loaded, now or before
	failures []string   // its failed expectations, marked on its pages
	err      error      // why it did not load, or could not be drawn
}

// Build is one build of the site: its files, the problems of its
// stories, and a generation that changes when either does.
type Build struct {
	Files    map[string][]byte // by site path, "fork/index.html"
	Problems []string          // file:line:col messages, in file order
	Gen      string
	Stories  int
}

// New returns the site of the stories in paths, not built yet: call
// Rebuild. It draws with newDrawer, on what start starts.
func New(paths []string, start func() (Renderer, error), newDrawer func(illustrate.Graphviz) *illustrate.Illustrator, log io.Writer) *Site {
	return &Site{paths: paths, SiteLimits: site.DefaultLimits(), log: log, StartRenderer: start, NewDrawer: newDrawer,
		cache: map[string]*entry{}, changed: make(chan struct{})}
}

// Current returns the site as last built, and a channel closed when a
// rebuild changes it.
func (ls *Site) Current() (*Build, <-chan struct{}) {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	return ls.snap, ls.changed
}

// Rebuild brings the site up to date with its story files and returns
// how many stories it read again. It reports nothing when nothing
// changed since the last rebuild.
func (ls *Site) Rebuild(ctx context.Context) int {
	files, pathErrs := storyfile.Scan(ls.paths)
	stamps := storyfile.StampAll(files)
	if ls.snap != nil && slices.Equal(stamps, ls.seen) && slices.Equal(pathErrs, ls.seenErrs) {
		return 0
	}
	ls.seen, ls.seenErrs = stamps, pathErrs
	start := time.Now()
	n, err := ls.refresh(ctx, stamps)
	problems := slices.Clone(pathErrs)
	if err != nil {
		problems = append(problems, err.Error())
		ls.seen = nil // try again at the next look
	}
	snap := ls.assemble(stamps, problems)
	ls.publish(snap, fmt.Sprintf("read %d of %s in %v", n, Counted(len(stamps), "story file", "story files"), time.Since(start).Round(time.Millisecond)))
	return n
}

// Watch rebuilds the site when its story files change, looking every
// interval, until ctx is done.
func (ls *Site) Watch(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			ls.Rebuild(ctx)
		}
	}
}

// refresh loads and draws again the stories whose stamps changed, and
// forgets those no longer there. It returns how many it read.
func (ls *Site) refresh(ctx context.Context, stamps []storyfile.Stamp) (int, error) {
	var d *illustrate.Illustrator
	keep := map[string]bool{}
	n := 0
	for _, st := range stamps {
		keep[st.File] = true
		old := ls.cache[st.File]
		if old != nil && old.stamp == st {
			continue
		}
		if d == nil {
			rd, err := ls.Renderer()
			if err != nil {
				return n, fmt.Errorf("starting Graphviz: %w", err)
			}
			d = ls.NewDrawer(rd)
			if ls.Read != nil {
				d.Read = ls.Read
			}
		}
		ls.cache[st.File] = draw(ctx, d, st, old)
		n++
	}
	for f := range ls.cache {
		if !keep[f] {
			delete(ls.cache, f)
		}
	}
	return n, nil
}

// Renderer returns what the site is drawn with, starting it the first
// time.
func (ls *Site) Renderer() (Renderer, error) {
	if ls.rd == nil {
		rd, err := ls.StartRenderer()
		if err != nil {
			return nil, err
		}
		ls.rd = rd
	}
	return ls.rd, nil
}

// Close stops what the site is drawn with: its worker process.
func (ls *Site) Close() error {
	if ls.rd == nil {
		return nil
	}
	return ls.rd.Close()
}

// draw draws one story file's page. When it no longer loads, it keeps
// the page old had, if any: a typo while editing does not take the page
// away.
func draw(ctx context.Context, d *illustrate.Illustrator, st storyfile.Stamp, old *entry) *entry {
	r := d.Page(ctx, st.File)
	if r.Err != nil {
		e := &entry{stamp: st, err: r.Err}
		if old != nil && old.hasPage {
			e.story, e.hasPage = old.story, true
		}
		return e
	}
	e := &entry{stamp: st, story: r.Story, hasPage: true}
	for _, f := range r.Failures {
		e.failures = append(e.failures, f.String())
	}
	return e
}

// assemble makes the site of the stories that loaded, now or before, as
// `avdoc build --force` would, and lists every problem.
func (ls *Site) assemble(stamps []storyfile.Stamp, problems []string) *Build {
	var stories []site.Story
	slugs := map[string]bool{}
	for _, st := range stamps {
		// Every file keeps its page name while it is broken, so that
		// its page comes back where the reader left it.
		slug := illustrate.UniqueSlug(st.File, slugs)
		e := ls.cache[st.File]
		if e == nil {
			continue
		}
		if e.err != nil {
			problems = append(problems, e.err.Error())
		}
		problems = append(problems, e.failures...)
		if e.hasPage {
			story := e.story
			story.Slug = slug
			stories = append(stories, story)
		}
	}
	return ls.build(stories, problems)
}

// build makes the files of stories within the site's limits.
func (ls *Site) build(stories []site.Story, problems []string) *Build {
	files, err := site.Build(illustrate.Site(stories))
	if kept, over := ls.SiteLimits.Within(files, stories); err == nil && len(over) > 0 {
		problems, stories = append(problems, over...), kept
		files, err = site.Build(illustrate.Site(stories))
	}
	if _, whole := ls.SiteLimits.Check(files, nil); whole != nil {
		problems, files = append(problems, whole.Error()), nil
	}
	snap := &Build{Files: map[string][]byte{}, Problems: problems, Stories: len(stories)}
	if err != nil {
		snap.Problems = append(snap.Problems, "building the site: "+err.Error())
	}
	for _, f := range files {
		snap.Files[f.Path] = f.Data
	}
	snap.Gen = generation(snap)
	return snap
}

// generation hashes a build's files and problems, so that a rebuild
// that changes nothing reloads no browser, even across restarts.
func generation(snap *Build) string {
	h := sha256.New()
	paths := make([]string, 0, len(snap.Files))
	for p := range snap.Files {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	for _, p := range paths {
		fmt.Fprintf(h, "%q %d\n", p, len(snap.Files[p]))
		h.Write(snap.Files[p])
	}
	for _, p := range snap.Problems {
		fmt.Fprintf(h, "problem %q\n", p)
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}

// publish makes snap the site served, and tells the browsers watching
// if it differs from the last one; what says what the rebuild did.
func (ls *Site) publish(snap *Build, what string) {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	first := ls.snap == nil
	if !first && ls.snap.Gen == snap.Gen {
		return
	}
	ls.snap = snap
	close(ls.changed)
	ls.changed = make(chan struct{})
	for _, p := range snap.Problems {
		fmt.Fprintln(ls.log, p)
	}
	verb := "rebuilt"
	if first {
		verb = "built"
	}
	fmt.Fprintf(ls.log, "%s: %s; %s on the site, %s\n", verb, what, Counted(snap.Stories, "story", "stories"), Counted(len(snap.Problems), "problem", "problems"))
}

// Counted is "1 story", "2 stories".
func Counted(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
