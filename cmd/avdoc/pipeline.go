package main

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/avdoc/avdoc/render"
	"github.com/avdoc/avdoc/render/gv"
	"github.com/avdoc/avdoc/site"
	"github.com/avdoc/avdoc/story"
)

// siteTitle is the title of the site avdoc builds.
const siteTitle = "avdoc: anonymous memory reverse mapping, step by step"

// renderOptions turns a step's display options into the renderer's.
func renderOptions(sr *story.StepRun) render.Options {
	opt := render.Options{
		HidePages: sr.Show.Pages != nil && !*sr.Show.Pages,
		PTEs:      sr.Show.PTEs != nil && *sr.Show.PTEs,
		Swap:      sr.Show.Swap != nil && *sr.Show.Swap,
		Only:      sr.Show.Only,
		Collapse:  sr.Show.Collapse,
	}
	if len(sr.Walks) > 0 {
		opt.Walk = &sr.Walks[0]
	}
	return opt
}

// siteStyle is how the site draws: light, turning dark by CSS for
// readers who prefer it.
func siteStyle() drawStyle { return drawStyle{theme: render.ThemeLight, adaptive: true} }

// buildSite renders every frame of every story and assembles the site.
func buildSite(ctx context.Context, stories []loaded) ([]site.File, error) {
	rd, err := gv.New(ctx)
	if err != nil {
		return nil, fmt.Errorf("starting Graphviz: %w", err)
	}
	defer rd.Close()
	var pages []site.Story
	slugs := map[string]bool{}
	for _, l := range stories {
		st, err := siteStory(ctx, rd, l, uniqueSlug(l.file, slugs))
		if err != nil {
			return nil, err
		}
		pages = append(pages, st)
	}
	return assembleSite(pages) // the same assembly serve uses
}

func siteStory(ctx context.Context, rd renderer, l loaded, slug string) (site.Story, error) {
	s := l.story
	out := site.Story{Slug: slug, Title: s.Title, Summary: s.Summary, Tags: s.Tags, Kernels: s.KernelNames(),
		KernelInfo: kernelInfo(s), Intro: s.Intro, Outro: s.Outro, Source: displayPath(l.file)}
	d, err := drawStory(ctx, rd, l.result, siteStyle())
	if err != nil {
		return site.Story{}, fmt.Errorf("%s: %w", l.file, err)
	}
	differs := stateDiffs(l.result)
	for i := range s.Steps {
		step := site.Step{Narration: s.Steps[i].Say, Events: eventTexts(&s.Steps[i])}
		if differs != nil {
			step.Differs = differs[i]
		}
		for k := range l.result.Runs {
			f, err := frame(ctx, rd, d, k, i)
			if err != nil {
				return site.Story{}, fmt.Errorf("%s: step %d: %w", l.file, i+1, err)
			}
			step.Frames = append(step.Frames, f)
		}
		out.Steps = append(out.Steps, step)
	}
	return out, nil
}

func eventTexts(st *story.Step) []string {
	var out []string
	for _, ev := range st.Events {
		if len(out) == 0 || out[len(out)-1] != ev.Text { // a name range is one text
			out = append(out, ev.Text)
		}
	}
	return out
}

// frame is step i of run k of a drawn story, for the site.
func frame(ctx context.Context, rd renderer, d *storyDrawing, k, i int) (site.Frame, error) {
	r := &d.res.Runs[k]
	sr := &r.Steps[i]
	svg, err := d.svg(ctx, rd, k, i, siteStyle())
	if err != nil {
		return site.Frame{}, err
	}
	f := site.Frame{Kernel: r.Kernel.Model.Name, SVG: svg, Desc: d.pics[k][i].Describe()}
	for _, l := range sr.Log {
		f.Log = append(f.Log, l.String())
	}
	for _, c := range sr.Checks {
		chk := site.Check{Text: c.Expectation.Text, OK: c.OK}
		if !c.OK {
			chk.Detail = "got " + c.Got
		}
		f.Checks = append(f.Checks, chk)
	}
	for _, v := range sr.New {
		f.Violations = append(f.Violations, v.String())
	}
	for _, w := range sr.Walks {
		if w.Oops != nil {
			f.Oopses = append(f.Oopses, w.Func+": "+w.Oops.Msg)
		}
	}
	return f, nil
}

// displayPath is how the site names a story's file: as given when that
// is relative, else by its last two elements, so that no absolute path of
// the machine that built the site ends up in it.
func displayPath(file string) string {
	if !filepath.IsAbs(file) {
		return filepath.ToSlash(filepath.Clean(file))
	}
	return filepath.ToSlash(filepath.Join(filepath.Base(filepath.Dir(file)), filepath.Base(file)))
}

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

// uniqueSlug derives a page name from a story's file name: lower case,
// letters and digits joined by dashes, made unique with a number.
func uniqueSlug(file string, taken map[string]bool) string {
	base := strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	slug := strings.Trim(nonSlug.ReplaceAllString(strings.ToLower(base), "-"), "-")
	if slug == "" {
		slug = "story"
	}
	s := slug
	for n := 2; taken[s]; n++ {
		s = fmt.Sprintf("%s-%d", slug, n)
	}
	taken[s] = true
	return s
}
