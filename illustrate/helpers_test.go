package illustrate

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/avdoc/avdoc/render"
	"github.com/avdoc/avdoc/render/gv"
	"github.com/avdoc/avdoc/site"
	"github.com/avdoc/avdoc/story"
)

// load parses and runs a story file within the default limits.
func load(t testing.TB, file string) *story.Result {
	t.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	s, err := story.Parse(file, src)
	if err != nil {
		t.Fatal(err)
	}
	res, err := story.ExecuteOn(s, asModel)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// asModel runs every kernel of a story on its model, the live kernel
// too (on the model it is labelled with, 6.18): what these tests check
// is drawing, not the kernel. livestory's tests, and cmd/avdoc's builds,
// draw a shipped live story from its recording.
func asModel(k story.Kernel) (story.Machine, error) {
	k.Live = false
	return story.Simulate(k)
}

// readFile reads a story file, as an [Illustrator] is given to.
func readFile(file string, _ int64) ([]byte, error) { return os.ReadFile(file) }

// buildSite draws the story files and assembles their site, as `avdoc
// build --force` does; a story that does not draw fails the test.
func buildSite(t *testing.T, files []string) []site.File {
	t.Helper()
	g := newGraphviz(t)
	il := &Illustrator{Limits: story.DefaultLimits(), Graphviz: g, Jobs: 2, Read: readFile}
	pages := il.Pages(context.Background(), files)
	for _, p := range pages {
		if p.Err != nil {
			t.Fatal(p.Err)
		}
	}
	out, err := site.Build(Site(Slugs(pages)))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// drawStrip draws every step of run k as a film strip, as `avdoc render
// --step all` does.
func drawStrip(t *testing.T, res *story.Result, k int, theme render.Theme) []byte {
	t.Helper()
	out, err := Figure(context.Background(), newGraphviz(t), res, Request{Runs: []int{k}, Theme: theme}, SVG{})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// newGraphviz starts Graphviz in this process, closed when the test ends.
func newGraphviz(t testing.TB) *gv.Renderer {
	t.Helper()
	g, err := gv.New(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { g.Close() })
	return g
}

// eachShippedFrame draws every shipped story in style and calls do for
// every frame of every kernel's run.
func eachShippedFrame(t *testing.T, style Style, do func(file string, f Frame)) {
	t.Helper()
	files, err := filepath.Glob("../stories/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no stories: %v", err)
	}
	ctx, g := context.Background(), newGraphviz(t)
	for _, file := range files {
		res := load(t, file)
		d, err := Draw(ctx, g, res, style)
		if err != nil {
			t.Fatal(err)
		}
		for k := range res.Runs {
			for _, f := range d.Frames(k) {
				do(file, f)
			}
		}
	}
}
