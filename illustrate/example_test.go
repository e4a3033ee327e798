package illustrate_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/avdoc/avdoc/illustrate"
	"github.com/avdoc/avdoc/render/gv"
	"github.com/avdoc/avdoc/site"
	"github.com/avdoc/avdoc/story"
)

// A Go program that builds avdoc's site for one story, in memory.
func Example() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "fork.yaml")
	os.WriteFile(file, []byte(`title: Fork links the child to its parent's anon_vma
kernels: [2.6.33, 2.6.34]
steps:
  - do: [spawn P, mmap P heap 2, write P:heap]
    say: P maps two pages and writes both.
  - do: fork P C
    say: C's VMA is chained to P's anon_vma.
    expect:
      - walk(P:heap:1) == [P, C]
`), 0o644)

	g, err := gv.New(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer g.Close()
	il := &illustrate.Illustrator{Limits: story.DefaultLimits(), Graphviz: g,
		Read: func(file string, _ int64) ([]byte, error) { return os.ReadFile(file) }}
	pages := il.Pages(ctx, []string{file})
	if pages[0].Err != nil {
		fmt.Println(pages[0].Err)
		return
	}
	files, err := site.Build(illustrate.Site(illustrate.Slugs(pages)))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("checked:", pages[0].Checks, "failed:", len(pages[0].Failures))
	fmt.Println("step 2 differs:", pages[0].Story.Steps[1].Differs)
	for _, f := range files {
		if strings.HasPrefix(f.Path, "fork/") {
			fmt.Println(f.Path)
		}
	}
	// Output:
	// checked: 2 failed: 0
	// step 2 differs: [VMA C:heap is linked to: anon_vma P:heap under 2.6.33; anon_vmas C:heap, P:heap under 2.6.34.]
	// fork/index.html
	// fork/step-1-2.6.33.svg
	// fork/step-1-2.6.34.svg
	// fork/step-2-2.6.33.svg
	// fork/step-2-2.6.34.svg
}
