package illustrate

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/avdoc/avdoc/internal/golden"
	"github.com/avdoc/avdoc/render"
	"github.com/avdoc/avdoc/story"
)

// mailLines fails the test unless every line of a text figure is at most
// render.TextWidth columns of printable ASCII with no trailing space.
func mailLines(t *testing.T, name string, text []byte) {
	t.Helper()
	if !strings.HasSuffix(string(text), "\n") {
		t.Errorf("%s: does not end with a newline", name)
	}
	for i, l := range strings.Split(strings.TrimSuffix(string(text), "\n"), "\n") {
		switch {
		case len(l) > render.TextWidth:
			t.Errorf("%s:%d: %d columns: %q", name, i+1, len(l), l)
		case strings.HasSuffix(l, " "):
			t.Errorf("%s:%d: trailing space: %q", name, i+1, l)
		case strings.IndexFunc(l, func(r rune) bool { return r < 0x20 || r > 0x7e }) >= 0:
			t.Errorf("%s:%d: not printable ASCII: %q", name, i+1, l)
		}
	}
}

// textOf prints step (1-based, 0 for all) of run k of res as text, as
// `avdoc render --format text` does; Graphviz is never called.
func textOf(t *testing.T, res *story.Result, k, step int) []byte {
	t.Helper()
	req := Request{Runs: []int{k}, Theme: render.ThemeLight}
	if step > 0 {
		req.Steps = []int{step}
	}
	out, err := Figure(context.Background(), nil, res, req, Text{})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestTextEveryStory prints every step of every shipped story under every
// kernel as text: each fits a mail, and printing is deterministic.
func TestTextEveryStory(t *testing.T) {
	files, err := filepath.Glob("../stories/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no stories: %v", err)
	}
	for _, file := range files {
		res := load(t, file)
		for k, run := range res.Runs {
			t.Run(filepath.Base(file)+"/"+run.Kernel.Model.Name, func(t *testing.T) {
				all := textOf(t, res, k, 0)
				mailLines(t, file, all)
				if again := textOf(t, res, k, 0); string(again) != string(all) {
					t.Errorf("two prints differ")
				}
				words := strings.Join(strings.Fields(string(all)), " ")
				for i := range run.Steps {
					if h := fmt.Sprintf(": step %d of %d, kernel ", i+1, len(run.Steps)); strings.Count(words, h) != 1 {
						t.Errorf("not one heading %q", h)
					}
				}
			})
		}
	}
}

// TestTextGolden pins the text figure of a few steps, one per design and
// feature: 2.6.6's pte_chains, 2.6.7's list of VMAs, a 2.6.34 fork, 3.7's
// interval tree, 3.19's parent and degree, and the hibernation oops (a
// freed anon_vma, a dangling page->mapping, a walk).
func TestTextGolden(t *testing.T) {
	for _, c := range []struct {
		file, kernel string
		step         int
	}{
		{"04-pte-chains", "2.6.6", 2},
		{"05-anon-vma-2004", "2.6.7", 3},
		{"02-fork", "2.6.34", 2},
		{"09-interval-tree", "3.7", 3},
		{"14-fork-chain", "3.19", 3},
		{"10-hibernation-oops", "2.6.34-rc3", 7},
	} {
		name := fmt.Sprintf("%s-%s-step%d", c.file, c.kernel, c.step)
		t.Run(name, func(t *testing.T) {
			res := load(t, "../stories/"+c.file+".yaml")
			k, err := RunIndex(res, c.kernel)
			if err != nil {
				t.Fatal(err)
			}
			golden.Check(t, "testdata/text/"+name+".txt", textOf(t, res, k, c.step))
		})
	}
}

// TestTextSteps checks that every step printed at once is each step
// printed alone, one after another, separated by a blank line.
func TestTextSteps(t *testing.T) {
	res := load(t, "../stories/02-fork.yaml")
	var want []string
	for i := range res.Runs[0].Steps {
		want = append(want, string(textOf(t, res, 0, i+1)))
	}
	if got := string(textOf(t, res, 0, 0)); got != strings.Join(want, "\n") {
		t.Errorf("--step all is not the steps joined by blank lines:\n%s", got)
	}
}

// TestTextHostileStory prints a story whose title commands a terminal and
// whose names run past a line: within the width, the control characters
// shown as escapes, no character of a name lost.
func TestTextHostileStory(t *testing.T) {
	long := strings.Repeat("Longname", 12)
	src := fmt.Sprintf("title: \"Evil \\e[2J\\e]0;owned\\a title \\u202e%s\"\nkernel: 2.6.34\nsteps:\n"+
		"  - do: [spawn %s, mmap %s heap 2, write %s:heap, fork %s C]\n", long, long, long, long, long)
	s, err := story.Parse("evil.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	res, err := story.Execute(s)
	if err != nil {
		t.Fatal(err)
	}
	out := textOf(t, res, 0, 1)
	mailLines(t, "evil", out)
	flat := strings.Join(strings.Fields(string(out)), "")
	for _, want := range []string{`Evil\u001b[2J\u001b]0;owned\u0007title\u202e` + long, "av(" + long + ":heap)", "VMA" + long + ":heap"} {
		if !strings.Contains(flat, want) {
			t.Errorf("text lacks %q (spaces removed):\n%s", want, out)
		}
	}
}
