package main

import (
	"context"
	"fmt"

	"github.com/avdoc/avdoc/internal/parallel"
	"github.com/avdoc/avdoc/site"
	"github.com/avdoc/avdoc/story"
)

// drawer makes story files into site pages: it reads, parses and runs
// each, and draws every frame, or takes what it ran and drew from the
// cache when the story's skeleton has not changed since.
type drawer struct {
	lim   story.Limits
	rd    renderer // through the cache, if there is one
	store *store   // nil: no cache
	// jobs is how many stories are drawn at once (at least 1). Their
	// renders share rd.
	jobs int
	// read reads a story file within a size limit: readStory, or, in
	// tests, a function that counts the files read.
	read func(file string, limit int64) ([]byte, error)
}

// newDrawer returns a drawer rendering with rd, caching in st (which may
// be nil), jobs stories at a time.
func newDrawer(lim story.Limits, rd renderer, st *store, jobs int) *drawer {
	return &drawer{lim: lim, rd: st.renderer(rd), store: st, jobs: max(jobs, 1), read: readStory}
}

// drawn is one story file made into a page, or the error that stopped
// it: it could not be read, it is malformed, its events were refused, or
// its drawing failed.
type drawn struct {
	file     string
	page     site.Story // Slug unset: it depends on the other files
	failures []story.Failure
	checks   int
	err      error
}

// drawAll draws every file, d.jobs at a time, and returns them in the
// order given whatever order they finish in.
func (d *drawer) drawAll(ctx context.Context, files []string) []drawn {
	out := make([]drawn, len(files))
	parallel.For(len(files), d.jobs, func(i int) { out[i] = d.draw(ctx, files[i]) })
	return out
}

// drawPaths draws every story file that paths name, in build order. A
// path that names no story file is a result of its own, with its error.
func (d *drawer) drawPaths(ctx context.Context, paths []string) []drawn {
	var out []drawn
	var files []string
	var at []int // where each file's result goes in out
	for _, p := range paths {
		found, err := expandPath(p)
		if err != nil {
			out = append(out, drawn{file: p, err: err})
			continue
		}
		for _, f := range found {
			at = append(at, len(out))
			out = append(out, drawn{file: f})
			files = append(files, f)
		}
	}
	for i, r := range d.drawAll(ctx, files) {
		out[at[i]] = r
	}
	return out
}

// draw makes one story file into a page. The story's run is dropped as
// soon as it is drawn: a big story's snapshots take much memory.
func (d *drawer) draw(ctx context.Context, file string) drawn {
	out := drawn{file: file}
	src, err := d.read(file, d.lim.FileSize)
	if err != nil {
		out.err = err
		return out
	}
	s, err := story.ParseWith(file, src, story.Options{Limits: d.lim})
	if err != nil {
		out.err = err
		return out
	}
	out.page = pageOf(s, file)
	key, cacheable := d.store.storyKey(src, d.lim)
	if cacheable {
		if cached, ok := d.store.getStory(key, len(s.Steps), len(s.Kernels)); ok {
			for i, st := range cached.Steps {
				out.page.Steps[i].Frames, out.page.Steps[i].Differs = st.Frames, st.Differs
			}
			out.checks = cached.Checks
			return out
		}
	}
	res, err := story.Execute(s)
	if err != nil {
		out.err = err
		return out
	}
	out.failures, out.checks = res.Failures, countChecks(res)
	steps, err := drawSteps(ctx, d.rd, res, d.jobs)
	if err != nil {
		out.err = fmt.Errorf("%s: %w", file, err)
		return out
	}
	for i, st := range steps {
		out.page.Steps[i].Frames, out.page.Steps[i].Differs = st.Frames, st.Differs
	}
	// Only a story whose expectations all hold is kept: a failure's
	// message says where in the file it is, which a narration edit can
	// change.
	if cacheable && len(res.Failures) == 0 {
		d.store.putStory(key, drawnSteps{Steps: steps, Checks: out.checks})
	}
	return out
}

// pageOf is the part of a story's page that comes from the story as
// written: titles, narration and events.
func pageOf(s *story.Story, file string) site.Story {
	p := site.Story{Title: s.Title, Summary: s.Summary, Tags: s.Tags, Kernels: s.KernelNames(),
		KernelInfo: kernelInfo(s), Intro: s.Intro, Outro: s.Outro, Source: displayPath(file)}
	for i := range s.Steps {
		p.Steps = append(p.Steps, site.Step{Narration: s.Steps[i].Say, Events: eventTexts(&s.Steps[i])})
	}
	return p
}

// drawSteps draws every frame of a story's run, par frames at a time
// (they share one layout and are independent once it is made), and says
// where the kernels' states came apart.
func drawSteps(ctx context.Context, rd renderer, res *story.Result, par int) ([]drawnStep, error) {
	d, err := drawStory(ctx, rd, res, siteStyle())
	if err != nil {
		return nil, err
	}
	differs := stateDiffs(res)
	out := make([]drawnStep, len(res.Story.Steps))
	errs := make([]error, len(out)*len(res.Runs)) // by step, then kernel
	for i := range out {
		if differs != nil {
			out[i].Differs = differs[i]
		}
		out[i].Frames = make([]site.Frame, len(res.Runs))
	}
	kernels := len(res.Runs)
	parallel.For(len(out)*kernels, par, func(j int) {
		i, k := j/kernels, j%kernels
		f, err := frame(ctx, rd, d, k, i)
		if err != nil {
			errs[j] = fmt.Errorf("step %d: %w", i+1, err)
		}
		out[i].Frames[k] = f
	})
	for _, err := range errs {
		if err != nil {
			return nil, err // the first, as drawing them in order would say
		}
	}
	return out, nil
}

// countChecks counts the expectations a story's run checked.
func countChecks(res *story.Result) int {
	n := 0
	for _, r := range res.Runs {
		for _, s := range r.Steps {
			n += len(s.Checks)
		}
	}
	return n
}
