package stepopts

import (
	"testing"

	"github.com/avdoc/avdoc/story"
)

func TestFor(t *testing.T) {
	src := `title: T
kernel: 2.6.34
steps:
  - do: [spawn P, mmap P heap 2, write P:heap]
    show: {ptes: true, swap: true, pages: false}
  - do: walk P:heap:0
`
	s, err := story.Parse("t.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	res, err := story.Execute(s)
	if err != nil {
		t.Fatal(err)
	}
	run := &res.Runs[0]
	first, second := For(run, 0), For(run, 1)
	if !first.PTEs || !first.Swap || !first.HidePages || first.Prev != nil || first.Walk != nil {
		t.Errorf("step 1: %+v; want PTEs, swap, no pages, no previous state, no walk", first)
	}
	if second.PTEs || second.HidePages || second.Prev != &run.Steps[0].State || second.Walk == nil {
		t.Errorf("step 2: %+v; want the defaults, step 1's state before it, and its walk", second)
	}
}
