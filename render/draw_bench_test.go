package render_test

import (
	"os"
	"testing"

	"github.com/avdoc/avdoc/internal/stepopts"
	"github.com/avdoc/avdoc/render"
	stories "github.com/avdoc/avdoc/story"
)

// BenchmarkDrawRik draws every step of stories/07-rik-1000.yaml under both
// kernels with the options the site uses (the step's display options, its
// first walk, and the state before it for the change marks): 1001
// processes and up to 1,001,000 pages, stacked by the story's collapse and
// by runs of alike pages. Graphviz is not involved.
func BenchmarkDrawRik(b *testing.B) {
	res := runStoryFile(b, "../stories/07-rik-1000.yaml")
	for b.Loop() {
		for k := range res.Runs {
			run := &res.Runs[k]
			for i := range run.Steps {
				render.Draw(&run.Steps[i].State, stepopts.For(run, i))
			}
		}
	}
}

// runStoryFile parses and runs a story file.
func runStoryFile(tb testing.TB, file string) *stories.Result {
	tb.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		tb.Fatal(err)
	}
	s, err := stories.Parse(file, src)
	if err != nil {
		tb.Fatal(err)
	}
	res, err := stories.Execute(s)
	if err != nil {
		tb.Fatal(err)
	}
	return res
}
