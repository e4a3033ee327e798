package main

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
	"github.com/avdoc/avdoc/story"
)

// liveSite is the site `avdoc serve` shows, kept in memory and rebuilt
// as its story files change: only the stories whose files changed are
// parsed, run and drawn again; the others keep their pages.
type liveSite struct {
	paths      []string
	lim        story.Limits
	siteLimits site.Limits // pages and a site past them are not served
	log        io.Writer
	store      *store // the cache of drawn stories and frames, or nil
	// startRenderer starts what the site is drawn with, when a story
	// first needs drawing; rd is what it started, kept until Close.
	startRenderer func() (closingRenderer, error)
	rd            closingRenderer
	// read reads a story file: storyfile.Read, or, in tests, a function that
	// counts the files read.
	read func(file string, limit int64) ([]byte, error)

	// Only rebuild touches these.
	cache    map[string]*entry // by story file
	seen     []storyfile.Stamp // the files and stamps of the last rebuild
	seenErrs []string          // and the paths that named no story file

	mu      sync.Mutex
	snap    *liveBuild
	changed chan struct{} // closed, and replaced, when snap changes
}

// entry is one story file as the last rebuild that read it left it.
type entry struct {
	stamp    storyfile.Stamp
	story    site.Story // its pages, when it loaded
	failures []string   // its failed expectations, marked on its pages
	err      error      // why it did not load, or could not be drawn
}

// liveBuild is one build of the site: its files, the problems of its
// stories, and a generation that changes when either does.
type liveBuild struct {
	files    map[string][]byte // by site path, "fork/index.html"
	problems []string          // file:line:col messages, in file order
	gen      string
	stories  int
}

// newLiveSite returns the site of the stories in paths, not built yet:
// call rebuild.
func newLiveSite(paths []string, lim story.Limits, log io.Writer) *liveSite {
	return &liveSite{paths: paths, lim: lim, siteLimits: site.DefaultLimits(), log: log, read: storyfile.Read,
		// One worker for as long as serve runs, replaced every
		// gvpool.DefaultMaxRenders renders (200): a server runs for
		// hours, and go-graphviz's memory only grows.
		startRenderer: func() (closingRenderer, error) { return startRenderer(1) },
		cache:         map[string]*entry{}, changed: make(chan struct{})}
}

// current returns the site as last built, and a channel closed when a
// rebuild changes it.
func (ls *liveSite) current() (*liveBuild, <-chan struct{}) {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	return ls.snap, ls.changed
}

// rebuild brings the site up to date with its story files and returns
// how many stories it read again. It reports nothing when nothing
// changed since the last rebuild.
func (ls *liveSite) rebuild(ctx context.Context) int {
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
	ls.publish(snap, fmt.Sprintf("read %d of %s in %v", n, counted(len(stamps), "story file", "story files"), time.Since(start).Round(time.Millisecond)))
	return n
}

// refresh loads and draws again the stories whose stamps changed, and
// forgets those no longer there. It returns how many it read.
func (ls *liveSite) refresh(ctx context.Context, stamps []storyfile.Stamp) (int, error) {
	var d *illustrate.Illustrator
	keep := map[string]bool{}
	n := 0
	for _, st := range stamps {
		keep[st.File] = true
		if e := ls.cache[st.File]; e != nil && e.stamp == st {
			continue
		}
		if d == nil {
			rd, err := ls.renderer()
			if err != nil {
				return n, fmt.Errorf("starting Graphviz: %w", err)
			}
			d = newDrawer(ls.lim, rd, ls.store, 1)
			d.Read = ls.read
		}
		ls.cache[st.File] = ls.entry(ctx, d, st)
		n++
	}
	for f := range ls.cache {
		if !keep[f] {
			delete(ls.cache, f)
		}
	}
	return n, nil
}

// renderer returns what the site is drawn with, starting it the first
// time.
func (ls *liveSite) renderer() (closingRenderer, error) {
	if ls.rd == nil {
		rd, err := ls.startRenderer()
		if err != nil {
			return nil, err
		}
		ls.rd = rd
	}
	return ls.rd, nil
}

// Close stops what the site is drawn with: its worker process.
func (ls *liveSite) Close() error {
	if ls.rd == nil {
		return nil
	}
	return ls.rd.Close()
}

// entry draws one story file's page.
func (ls *liveSite) entry(ctx context.Context, d *illustrate.Illustrator, st storyfile.Stamp) *entry {
	r := d.Page(ctx, st.File)
	e := &entry{stamp: st, story: r.Story, err: r.Err}
	for _, f := range r.Failures {
		e.failures = append(e.failures, f.String())
	}
	return e
}

// assemble makes the site of the stories that loaded, as `avdoc build
// --force` would, and lists every problem of those that did not.
func (ls *liveSite) assemble(stamps []storyfile.Stamp, problems []string) *liveBuild {
	var stories []site.Story
	slugs := map[string]bool{}
	for _, st := range stamps {
		// Every file keeps its page name while it is broken, so that
		// its page comes back where the reader left it.
		slug := illustrate.UniqueSlug(st.File, slugs)
		e := ls.cache[st.File]
		switch {
		case e == nil:
		case e.err != nil:
			problems = append(problems, e.err.Error())
		default:
			problems = append(problems, e.failures...)
			story := e.story
			story.Slug = slug
			stories = append(stories, story)
		}
	}
	files, err := site.Build(illustrate.Site(stories))
	if kept, over := ls.siteLimits.Within(files, stories); err == nil && len(over) > 0 {
		problems, stories = append(problems, over...), kept
		files, err = site.Build(illustrate.Site(stories))
	}
	if _, whole := ls.siteLimits.Check(files, nil); whole != nil {
		problems, files = append(problems, whole.Error()), nil
	}
	snap := &liveBuild{files: map[string][]byte{}, problems: problems, stories: len(stories)}
	if err != nil {
		snap.problems = append(snap.problems, "building the site: "+err.Error())
	}
	for _, f := range files {
		snap.files[f.Path] = f.Data
	}
	snap.gen = generation(snap)
	return snap
}

// generation hashes a build's files and problems, so that a rebuild
// that changes nothing reloads no browser, even across restarts.
func generation(snap *liveBuild) string {
	h := sha256.New()
	paths := make([]string, 0, len(snap.files))
	for p := range snap.files {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	for _, p := range paths {
		fmt.Fprintf(h, "%q %d\n", p, len(snap.files[p]))
		h.Write(snap.files[p])
	}
	for _, p := range snap.problems {
		fmt.Fprintf(h, "problem %q\n", p)
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}

// publish makes snap the site served, and tells the browsers watching
// if it differs from the last one; what says what the rebuild did.
func (ls *liveSite) publish(snap *liveBuild, what string) {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	first := ls.snap == nil
	if !first && ls.snap.gen == snap.gen {
		return
	}
	ls.snap = snap
	close(ls.changed)
	ls.changed = make(chan struct{})
	for _, p := range snap.problems {
		fmt.Fprintln(ls.log, p)
	}
	verb := "rebuilt"
	if first {
		verb = "built"
	}
	fmt.Fprintf(ls.log, "%s: %s; %s on the site, %s\n", verb, what, counted(snap.stories, "story", "stories"), counted(len(snap.problems), "problem", "problems"))
}

// counted is "1 story", "2 stories".
func counted(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
