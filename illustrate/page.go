package illustrate

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/avdoc/avdoc/engine"
	"github.com/avdoc/avdoc/engine/compare"
	"github.com/avdoc/avdoc/internal/parallel"
	"github.com/avdoc/avdoc/render"
	"github.com/avdoc/avdoc/site"
	"github.com/avdoc/avdoc/story"
)

// Title is the title of the site avdoc builds.
const Title = "avdoc: anonymous memory reverse mapping, step by step"

// SiteStyle is how the site draws: light, turned dark by CSS for readers
// who prefer it (see [SVG.Adaptive]), and without legends: a story's page
// shows one key for all its diagrams.
func SiteStyle() Style { return Style{Theme: render.ThemeLight, NoLegend: true} }

// Drawn is the part of a story's page that running and drawing it makes,
// step by step, and how many expectations it checked. The rest of the
// page comes from the story as written ([PageOf]). A [StoryCache] keeps
// it.
type Drawn struct {
	Steps  []Step
	Checks int
}

// Step is one step drawn: a frame per kernel, and, under several kernels,
// where their states came apart in it.
type Step struct {
	Frames  []site.Frame
	Differs []string
	// NewLayout says that the step starts a scene: its frames, under some
	// kernel, are laid out afresh (see [Drawing.NewScene]).
	NewLayout bool
}

// Fill puts the drawn steps into the page of the story they were drawn from.
func (d Drawn) Fill(page *site.Story) {
	for i, st := range d.Steps {
		page.Steps[i].Frames, page.Steps[i].Differs = st.Frames, st.Differs
		page.Steps[i].NewLayout = st.NewLayout
	}
}

// PageOf is the part of a story's page that comes from the story as
// written: titles, narration and events. file is the story's file, as the
// site shows it (see [DisplayPath]). Its Slug is left for [Slugs].
func PageOf(s *story.Story, file string) site.Story {
	p := site.Story{Title: s.Title, Summary: s.Summary, Tags: s.Tags, Kernels: s.KernelNames(),
		KernelInfo: KernelInfo(s), Intro: s.Intro, Outro: s.Outro, Source: DisplayPath(file)}
	for i := range s.Steps {
		p.Steps = append(p.Steps, site.Step{Narration: s.Steps[i].Say, Events: EventTexts(&s.Steps[i])})
	}
	return p
}

// DrawSteps draws every frame of a story's run with p, par frames at a
// time (they share one layout and are independent once it is made), and
// says where the kernels' states came apart.
func DrawSteps(ctx context.Context, g Graphviz, p Printer, res *story.Result, par int) ([]Step, error) {
	d, err := Draw(ctx, g, res, SiteStyle())
	if err != nil {
		return nil, err
	}
	differs := compare.Kernels(Runs(res))
	out := make([]Step, len(res.Story.Steps))
	errs := make([]error, len(out)*len(res.Runs)) // by step, then kernel
	for i := range out {
		if differs != nil {
			out[i].Differs = differs[i]
		}
		out[i].Frames = make([]site.Frame, len(res.Runs))
		for k := range res.Runs {
			out[i].NewLayout = out[i].NewLayout || d.NewScene(k, i)
		}
	}
	kernels := len(res.Runs)
	parallel.For(len(out)*kernels, par, func(j int) {
		i, k := j/kernels, j%kernels
		f, err := siteFrame(ctx, p, d, k, i)
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

// Runs is each kernel's run of a story, as [compare.Kernels] reads them.
func Runs(res *story.Result) []compare.Run {
	out := make([]compare.Run, len(res.Runs))
	for k := range res.Runs {
		r := &res.Runs[k]
		out[k].Kernel = r.Kernel.Model.Name
		for i := range r.Steps {
			out[k].Steps = append(out[k].Steps, &r.Steps[i].StepResult)
		}
	}
	return out
}

// siteFrame is step i of run k of a drawn story, for the site.
func siteFrame(ctx context.Context, p Printer, d *Drawing, k, i int) (site.Frame, error) {
	sr := &d.res.Runs[k].Steps[i]
	fr := d.Frame(k, i)
	svg, err := p.Print(ctx, fr)
	if err != nil {
		return site.Frame{}, err
	}
	f := site.Frame{Kernel: fr.Kernel, Label: d.res.Runs[k].Kernel.Label(), SVG: svg, Desc: fr.Picture.Describe(), Walk: fr.Picture.WalkSummary()}
	for _, e := range fr.Picture.Key() {
		f.Key = append(f.Key, site.KeyEntry(e))
	}
	for _, l := range sr.Log {
		f.Log = append(f.Log, l.String())
	}
	var before *engine.State
	if i > 0 {
		before = &d.res.Runs[k].Steps[i-1].State
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
	namePages(&sr.State, before, &f.Log, &f.Violations, &f.Oopses)
	return f, nil
}

// namePages names the pages that lists of lines mention, as
// [render.NamePages] does, in one look at the states for all of them:
// each look reads every page table of a state.
func namePages(now, before *engine.State, lists ...*[]string) {
	var all []string
	for _, l := range lists {
		all = append(all, *l...)
	}
	all = render.NamePages(all, now, before)
	for _, l := range lists {
		if len(*l) > 0 {
			*l, all = all[:len(*l):len(*l)], all[len(*l):]
		}
	}
}

// CountChecks counts the expectations a story's run checked.
func CountChecks(res *story.Result) int {
	n := 0
	for _, r := range res.Runs {
		for _, s := range r.Steps {
			n += len(s.Checks)
		}
	}
	return n
}

// Site is the site of stories drawn, with avdoc's title and a page per
// kernel model, for [site.Build].
func Site(stories []site.Story) site.Site {
	s := site.Site{Title: Title, Stories: stories}
	s.Models, s.Fixes = Models()
	return s
}

// DisplayPath is how the site names a story's file: as given when that
// is relative, else by its last two elements, so that no absolute path of
// the machine that built the site ends up in it.
func DisplayPath(file string) string {
	if !filepath.IsAbs(file) {
		return filepath.ToSlash(filepath.Clean(file))
	}
	return filepath.ToSlash(filepath.Join(filepath.Base(filepath.Dir(file)), filepath.Base(file)))
}

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

// UniqueSlug derives a page name from a story's file name: lower case,
// letters and digits joined by dashes, made unique with a number among
// those taken, which it adds it to.
func UniqueSlug(file string, taken map[string]bool) string {
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
