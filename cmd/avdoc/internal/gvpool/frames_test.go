package gvpool

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/avdoc/avdoc/internal/stepopts"
	"github.com/avdoc/avdoc/render"
	"github.com/avdoc/avdoc/render/gv"
	"github.com/avdoc/avdoc/story"
)

// frameStories are the shipped stories whose frames the tests render:
// small enough that laying them out in-process takes well under a second
// each.
func frameStories() []string {
	return []string{"01-one-process", "02-fork", "03-cow", "05-anon-vma-2004", "08-anon-vma-root", "10-hibernation-oops"}
}

// job is a render request and the output, or error message, of the
// in-process gv.Renderer for it.
type job struct {
	name string
	q    request
	want []byte
}

// realJobs returns avdoc's own render requests, as `avdoc build` makes
// them, with the in-process renderer's answers: for each of
// frameStories, the sizing pass (nop, json0), the layout pass (dot,
// json0) and every frame placed (nop2, svg); then the DOT goldens of
// package render, drawn with dot.
func realJobs(tb testing.TB) []job {
	tb.Helper()
	ctx := context.Background()
	rd, err := gv.New(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	defer rd.Close()
	var jobs []job
	add := func(name string, dot []byte, e gv.Engine, f gv.Format) []byte {
		out, err := rd.Render(ctx, dot, e, f)
		if err != nil {
			tb.Fatalf("%s: in-process render: %v", name, err)
		}
		jobs = append(jobs, job{name: name, q: request{engine: e, format: f, dot: dot}, want: out})
		return out
	}
	for _, name := range frameStories() {
		file := filepath.Join("..", "..", "..", "..", "stories", name+".yaml")
		src, err := os.ReadFile(file)
		if err != nil {
			tb.Fatal(err)
		}
		s, err := story.ParseWith(file, src, story.Options{Limits: story.DefaultLimits()})
		if err != nil {
			tb.Fatal(err)
		}
		res, err := story.Execute(s)
		if err != nil {
			tb.Fatal(err)
		}
		var pics []*render.Picture
		for k := range res.Runs {
			run := &res.Runs[k]
			for i := range run.Steps {
				pics = append(pics, render.Draw(&run.Steps[i].State, stepopts.For(run, i)))
			}
		}
		l := render.NewLayout(pics)
		if err := l.SetSizes(add(name+"/sizing", l.SizingDOT(), gv.NOP, gv.Plain)); err != nil {
			tb.Fatal(err)
		}
		if err := l.SetPositions(add(name+"/layout", l.DOT(), gv.DOT, gv.JSON)); err != nil {
			tb.Fatal(err)
		}
		for i, p := range pics {
			add(name+"/frame"+strconv.Itoa(i+1), l.Place(p), gv.NOP2, gv.SVG)
		}
	}
	files, err := filepath.Glob(filepath.Join("..", "..", "..", "..", "render", "testdata", "*.dot"))
	if err != nil || len(files) == 0 {
		tb.Fatalf("no DOT goldens in render/testdata: %v", err)
	}
	slices.Sort(files)
	for _, f := range files {
		dot, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		add("render/testdata/"+filepath.Base(f), dot, gv.DOT, gv.SVG)
	}
	return jobs
}

// frames returns the jobs that draw frames (nop2, svg), the bulk of a
// build.
func frames(jobs []job) []job {
	var out []job
	for _, j := range jobs {
		if j.q.engine == gv.NOP2 {
			out = append(out, j)
		}
	}
	return out
}
