package main

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"

	"github.com/avdoc/avdoc/cmd/avdoc/internal/gvpool"
	"github.com/avdoc/avdoc/render"
	"github.com/avdoc/avdoc/render/gv"
	"github.com/avdoc/avdoc/site"
	"github.com/avdoc/avdoc/story"
)

// siteTitle is the title of the site avdoc builds.
const siteTitle = "avdoc: anonymous memory reverse mapping, step by step"

// siteStyle is how the site draws: light, turning dark by CSS for
// readers who prefer it.
func siteStyle() drawStyle { return drawStyle{theme: render.ThemeLight, adaptive: true} }

// jobsFlag registers -j on fs.
func jobsFlag(fs *flag.FlagSet) *int {
	return fs.Int("j", runtime.NumCPU(), "draw `N` stories at once, rendering in N Graphviz worker processes (1: all in this process)")
}

// closingRenderer is a renderer to close when done.
type closingRenderer interface {
	renderer
	Close() error
}

// startRenderer returns what to render with: a pool of that many
// Graphviz worker processes (go-graphviz cannot render on two goroutines
// at once, and its memory only grows), or, for 0 workers or when no
// worker can be started, Graphviz in this process.
func startRenderer(workers int) (closingRenderer, error) {
	if workers > 0 {
		if p, err := newRenderPool(gvpool.Options{Workers: workers}); err == nil {
			return p, nil
		}
		// No executable to start workers from: render here instead.
	}
	rd, err := gv.New(context.Background())
	if err != nil {
		return nil, fmt.Errorf("starting Graphviz: %w", err)
	}
	return rd, nil
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
