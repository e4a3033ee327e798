package main

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/avdoc/avdoc/story"
)

// runText parses and runs a story given as text.
func runText(t *testing.T, src string) *story.Result {
	t.Helper()
	s, err := story.Parse("t.yaml", []byte(src))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	res, err := story.Execute(s)
	if err != nil {
		t.Fatalf("execute: %v", err)
	}
	return res
}

// TestStateDiffs: a step is said to part the kernels where their states come to differ
// in it, in the words stories use; a difference carried over from an earlier step is
// not said again, and one kernel says nothing.
func TestStateDiffs(t *testing.T) {
	tests := []struct {
		name  string
		story string
		want  [][]string // per step
	}{{
		name: "one kernel",
		story: `title: t
kernel: 2.6.34
steps:
  - do: [spawn P, mmap P heap 1, write P:heap:0]
`,
		want: nil,
	}, {
		name: "alike kernels part nowhere",
		story: `title: t
kernels: [2.6.34, 2.6.36]
steps:
  - do: [spawn P, mmap P heap 2, write P:heap]
  - do: fork P C
`,
		want: [][]string{nil, nil},
	}, {
		name: "fork: chains differ, once; a child's write: a run of pages; a walk",
		story: `title: t
kernels: [2.6.33, 2.6.34]
steps:
  - do: [spawn P, mmap P heap 3, write P:heap]
  - do: fork P C
  - do: exit P
  - do: write C:heap
  - do: walk C:heap:0
`,
		want: [][]string{
			nil,
			{"VMA C:heap is linked to: anon_vma P:heap under 2.6.33; anon_vmas C:heap, P:heap under 2.6.34."},
			nil,
			{"C:heap:0..2 maps: a page on anon_vma P:heap under 2.6.33; a page on anon_vma C:heap under 2.6.34."},
			nil,
		},
	}, {
		name: "the hibernation oops: the swapped-in page's anon_vma, then the freed one",
		story: `title: t
kernels: [2.6.34-rc3, 2.6.34]
steps:
  - do: [spawn P, mmap P heap 1, write P:heap:0, fork P C]
  - do: swapout P:heap:0
    expect: [swapped(P:heap:0)]
  - do: read C:heap:0
  - do: read P:heap:0
    expect: {2.6.34-rc3: [violation R1, violation R5], 2.6.34: [clean]}
  - do: exit C
    expect: {2.6.34-rc3: [violation R2], 2.6.34: [clean]}
`,
		want: [][]string{
			nil,
			nil,
			{"C:heap:0 maps: a page on anon_vma C:heap under 2.6.34-rc3; a page on anon_vma P:heap under 2.6.34."},
			{"P:heap:0 maps: a page on anon_vma C:heap under 2.6.34-rc3; a page on anon_vma P:heap under 2.6.34."},
			{"P:heap:0 maps: a page on freed anon_vma C:heap under 2.6.34-rc3; a page on anon_vma P:heap under 2.6.34."},
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := stateDiffs(runText(t, tt.story))
			if !slices.EqualFunc(got, tt.want, slices.Equal) {
				t.Errorf("stateDiffs:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

// TestStateDiffsAreCapped: past maxDiffs differences a step counts the rest.
func TestStateDiffsAreCapped(t *testing.T) {
	var b strings.Builder
	b.WriteString("title: t\nkernels: [2.6.33, 2.6.34]\nsteps:\n  - do: [spawn P, mmap P heap 1, write P:heap:0]\n  - do: [")
	for i := range 7 {
		fmt.Fprintf(&b, "fork P C%d, ", i)
	}
	b.WriteString("walk P:heap:0]\n")
	got := stateDiffs(runText(t, b.String()))[1]
	if len(got) != maxDiffs+1 || got[maxDiffs] != "And 3 more like these." {
		t.Errorf("stateDiffs of 7 forks: %q, want %d differences and a count of the other 3", got, maxDiffs)
	}
}
