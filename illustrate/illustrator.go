package illustrate

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/avdoc/avdoc/internal/parallel"
	"github.com/avdoc/avdoc/site"
	"github.com/avdoc/avdoc/story"
)

// Illustrator makes story files into site pages: it reads, parses and runs
// each, draws every frame and compares the kernels, or takes what it ran
// and drew from its cache when the story's skeleton has not changed.
type Illustrator struct {
	Limits   story.Limits
	Graphviz Graphviz
	// Printer prints each frame; nil: [SVG] with Graphviz, adaptive, as
	// the site wants.
	Printer Printer
	// Machines runs each kernel of a story; nil: [story.Simulate], the
	// models.
	Machines story.Machines
	// Cache keeps drawn stories; nil: none.
	Cache StoryCache
	// Runs says what a story's runs depend on besides its text, for the
	// cache (a live kernel's release, a recording's content); nil, or a
	// nil answer: nothing.
	Runs func(s *story.Story) []byte
	// Jobs is how many stories are drawn at once, and frames of one story
	// (at least 1). Their renders share Graphviz.
	Jobs int
	// Read reads a story file within a size limit.
	Read func(file string, limit int64) ([]byte, error)
	// Drawn, if set, is called by PathPages with each story's page as
	// soon as it is made (not one that could not be read, parsed, run or
	// drawn), named as [Slugs] will name it, on the goroutine that made
	// it: to write its diagrams while the others are drawn.
	Drawn func(page site.Story)
}

// StoryCache keeps what running and drawing a story made, filed under
// its source (a cache may file it under the source's skeleton, the story
// without its narration, which is all that drawing depends on) and the
// limits it ran within, and runs: what its runs depend on besides its
// text ([Illustrator.Runs]). What it keeps also depends on the Illustrator's
// Printer and Machines, which it does not see: a cache serves one
// Illustrator's settings (cmd/avdoc's: SVG for the site, the models).
type StoryCache interface {
	// GetStory returns what was filed for src, if it fits a story of
	// steps steps under kernels kernels.
	GetStory(src, runs []byte, lim story.Limits, steps, kernels int) (Drawn, bool)
	// PutStory files d for src and runs, best effort.
	PutStory(src, runs []byte, lim story.Limits, d Drawn)
}

// Page is one story file made into a page, or the error that stopped it:
// it could not be read, it is malformed, its events were refused, or its
// drawing failed.
type Page struct {
	File     string
	Story    site.Story // Slug unset: it depends on the other files (see [Slugs])
	Failures []story.Failure
	Checks   int
	Err      error
}

// Pages draws every file, il.Jobs at a time, and returns them in the
// order given whatever order they finish in.
func (il *Illustrator) Pages(ctx context.Context, files []string) []Page {
	return il.pages(ctx, files, nil)
}

// pages is Pages, calling done (if not nil) with each page as it is
// made. It parses every file first, then draws the stories that take the
// most work first (see work), so that the longest does not start last.
func (il *Illustrator) pages(ctx context.Context, files []string, done func(i int, p Page)) []Page {
	jobs := max(il.Jobs, 1)
	parsed := make([]parsedFile, len(files))
	parallel.For(len(files), jobs, func(i int) { parsed[i] = il.parse(files[i]) })
	order := make([]int, len(files))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(work(parsed[b].s), work(parsed[a].s)) })
	out := make([]Page, len(files))
	parallel.For(len(files), jobs, func(k int) {
		i := order[k]
		out[i] = il.draw(ctx, parsed[i])
		parsed[i] = parsedFile{} // its story may be large
		if done != nil {
			done(i, out[i])
		}
	})
	return out
}

// work estimates how long running and drawing s takes: its events (a
// name range, C1..C1000, is one per name) under each kernel, and its
// frames. A story that did not parse takes none.
func work(s *story.Story) int {
	if s == nil {
		return 0
	}
	n := 0
	for _, st := range s.Steps {
		n += len(st.Events) + 1
	}
	return n * len(s.Kernels)
}

// PathPages draws every story file that paths name, in order: expand
// gives the files a path names (a directory's story files, say). A path
// that names none is a page of its own, with expand's error.
func (il *Illustrator) PathPages(ctx context.Context, paths []string, expand func(path string) ([]string, error)) []Page {
	var out []Page
	var files []string
	var at []int // where each file's result goes in out
	for _, p := range paths {
		found, err := expand(p)
		if err != nil {
			out = append(out, Page{File: p, Err: err})
			continue
		}
		for _, f := range found {
			at = append(at, len(out))
			out = append(out, Page{File: f})
			files = append(files, f)
		}
	}
	var done func(i int, p Page)
	if il.Drawn != nil {
		slugs := slugs(out)
		done = func(i int, p Page) {
			if p.Err == nil {
				s := p.Story
				s.Slug = slugs[at[i]]
				il.Drawn(s)
			}
		}
	}
	for i, r := range il.pages(ctx, files, done) {
		out[at[i]] = r
	}
	return out
}

// parsedFile is a story file read and parsed, or the page of the error
// that stopped it.
type parsedFile struct {
	out Page
	src []byte
	s   *story.Story
}

// Page makes one story file into a page. The story's run is dropped as
// soon as it is drawn: a big story's snapshots take much memory.
func (il *Illustrator) Page(ctx context.Context, file string) Page {
	return il.draw(ctx, il.parse(file))
}

// parse reads and parses a story file.
func (il *Illustrator) parse(file string) parsedFile {
	out := Page{File: file}
	src, err := il.Read(file, il.Limits.FileSize)
	if err != nil {
		out.Err = err
		return parsedFile{out: out}
	}
	s, err := story.ParseWith(file, src, story.Options{Limits: il.Limits})
	if err != nil {
		out.Err = err
		return parsedFile{out: out}
	}
	out.Story = PageOf(s, file)
	return parsedFile{out: out, src: src, s: s}
}

// draw runs and draws a parsed story file, or takes it from the cache.
func (il *Illustrator) draw(ctx context.Context, pf parsedFile) Page {
	out, src, s := pf.out, pf.src, pf.s
	if s == nil {
		return out
	}
	var runs []byte
	if il.Runs != nil {
		runs = il.Runs(s)
	}
	if il.Cache != nil {
		if cached, ok := il.Cache.GetStory(src, runs, il.Limits, len(s.Steps), len(s.Kernels)); ok {
			cached.Fill(&out.Story)
			out.Checks = cached.Checks
			return out
		}
	}
	d, failures, err := il.illustrate(ctx, s)
	if err != nil {
		out.Err = err
		return out
	}
	d.Fill(&out.Story)
	out.Failures, out.Checks = failures, d.Checks
	// Only a story whose expectations all hold is kept: a failure's
	// message says where in the file it is, which a narration edit can
	// change.
	if il.Cache != nil && len(failures) == 0 {
		il.Cache.PutStory(src, runs, il.Limits, d)
	}
	return out
}

// illustrate runs a parsed story and draws it.
func (il *Illustrator) illustrate(ctx context.Context, s *story.Story) (Drawn, []story.Failure, error) {
	res, err := story.ExecuteOn(s, il.Machines)
	if err != nil {
		return Drawn{}, nil, err
	}
	p := il.Printer
	if p == nil {
		p = SVG{Adaptive: true}
	}
	steps, err := DrawSteps(ctx, il.Graphviz, p, res, max(il.Jobs, 1))
	if err != nil {
		return Drawn{}, nil, fmt.Errorf("%s: %w", s.File, err)
	}
	return Drawn{Steps: steps, Checks: CountChecks(res)}, res.Failures, nil
}

// Slugs names the pages of the stories drawn, in file order, with
// [UniqueSlug].
func Slugs(pages []Page) []site.Story {
	var out []site.Story
	for i, slug := range slugs(pages) {
		s := pages[i].Story
		s.Slug = slug
		out = append(out, s)
	}
	return out
}

// slugs is the slug of each page, as Slugs names them: from their files
// alone.
func slugs(pages []Page) []string {
	out := make([]string, len(pages))
	taken := map[string]bool{}
	for i, p := range pages {
		out[i] = UniqueSlug(p.File, taken)
	}
	return out
}
