package compare

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/avdoc/avdoc/engine"
	"github.com/avdoc/avdoc/story"
)

// runsOf is each kernel's run of a story's result.
func runsOf(res *story.Result) []Run {
	var out []Run
	for _, r := range res.Runs {
		run := Run{Kernel: r.Kernel.Model.Name}
		for i := range r.Steps {
			run.Steps = append(run.Steps, &r.Steps[i].StepResult)
		}
		out = append(out, run)
	}
	return out
}

// runText parses and runs a story given as text.
func runText(t *testing.T, src string) []Run {
	t.Helper()
	s, err := story.Parse("t.yaml", []byte(src))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	res, err := story.Execute(s)
	if err != nil {
		t.Fatalf("execute: %v", err)
	}
	return runsOf(res)
}

// TestKernels: a step is said to part the kernels where their states come to differ
// in it, in the words stories use; a difference carried over from an earlier step is
// not said again, and one kernel says nothing.
func TestKernels(t *testing.T) {
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
			got := Kernels(runText(t, tt.story))
			if !slices.EqualFunc(got, tt.want, slices.Equal) {
				t.Errorf("Kernels:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

// TestKernelsAreCapped: past MaxSentences differences a step counts the rest.
func TestKernelsAreCapped(t *testing.T) {
	var b strings.Builder
	b.WriteString("title: t\nkernels: [2.6.33, 2.6.34]\nsteps:\n  - do: [spawn P, mmap P heap 1, write P:heap:0]\n  - do: [")
	for i := range 7 {
		fmt.Fprintf(&b, "fork P C%d, ", i)
	}
	b.WriteString("walk P:heap:0]\n")
	got := Kernels(runText(t, b.String()))[1]
	if len(got) != MaxSentences+1 || got[MaxSentences] != "And 3 more like these." {
		t.Errorf("Kernels of 7 forks: %q, want %d differences and a count of the other 3", got, MaxSentences)
	}
}

// TestKernelsPagesPlain: what the comparison says of pages is what the plain
// definition says, looking up every address of every region under every kernel,
// after the step and before it, on random stories run under several kernels.
func TestKernelsPagesPlain(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	kernels := []string{"2.6.6", "2.6.7", "2.6.33", "2.6.34-rc3", "2.6.34", "2.6.36", "3.7", "3.19", "6.0"}
	tried := 0
	for n := 0; tried < 150 && n < 2000; n++ {
		src := randomStory(rng, kernels)
		s, err := story.Parse("t.yaml", []byte(src))
		if err != nil {
			continue
		}
		res, err := story.Execute(s)
		if err != nil {
			continue
		}
		tried++
		runs := runsOf(res)
		var prev *comparison
		for i := range res.Story.Steps {
			c := newComparison(runs, i, prev)
			c.pages()
			want := plainPageNotes(runs, i)
			got := append(slices.Clone(c.found), fmt.Sprint(c.more))
			if len(want) > MaxSentences {
				want = append(want[:MaxSentences], fmt.Sprint(len(want)-MaxSentences))
			} else {
				want = append(want, "0")
			}
			if !slices.Equal(got, want) {
				t.Fatalf("step %d of\n%s\n got %q\nwant %q", i+1, src, got, want)
			}
			prev = c
		}
	}
	if tried < 100 {
		t.Fatalf("only %d random stories ran", tried)
	}
}

// plainPageNotes is every difference in what an address maps that step i makes,
// by the definition: per address, each kernel's fact after the step and before it.
func plainPageNotes(runs []Run, i int) []string {
	c := newComparison(runs, i, nil)
	var notes []string
	first := c.now[0]
	for p := range first.Procs {
		proc := &first.Procs[p]
		if proc.Exited {
			continue
		}
		for _, r := range proc.Regions {
			var run []pageFact
			var from, n uint64
			flush := func() {
				if n > 0 {
					addr := fmt.Sprintf("%s:%s:%d", proc.Name, r.Name, from-r.Start)
					if n > 1 {
						addr += fmt.Sprintf("..%d", from-r.Start+n-1)
					}
					notes = append(notes, addr+" maps: "+byValue(c.kernels, c.factStrings(run))+".")
				}
				n = 0
			}
			for addr := r.Start; addr < r.End(); addr++ {
				now, before := c.plainFacts(c.now, p, addr), c.plainFacts(c.before, p, addr)
				if alike(now) || (c.before != nil && sameWords(now, before)) {
					flush()
					continue
				}
				if n > 0 && sameWords(run, now) && from+n == addr {
					n++
					continue
				}
				flush()
				run, from, n = now, addr, 1
			}
			flush()
		}
	}
	return notes
}

// plainFacts is what process p (by index) maps at addr under each state.
func (c *comparison) plainFacts(states []*engine.State, p int, addr uint64) []pageFact {
	var out []pageFact
	for _, st := range states {
		f := pageFact{}
		if p < len(st.Procs) && !st.Procs[p].Exited {
			f.present = true
			if pte, _ := st.PTEAt(&st.Procs[p], addr); pte != nil {
				f.kind = pte.Kind
				if pte.Kind == engine.PTEPage {
					pg := st.Page(pte.Page)
					f.mapcount = pg.Mapcount
					if pg.Mapping != 0 {
						av := st.AnonVMA(pg.Mapping)
						f.mapping, f.freed = c.names.id(av.Name), av.Freed
					}
				}
			}
		}
		out = append(out, f)
	}
	return out
}

// randomStory is a story of random events under two or three random kernels;
// the engine may refuse some.
func randomStory(rng *rand.Rand, kernels []string) string {
	var b strings.Builder
	ks := slices.Clone(kernels)
	rng.Shuffle(len(ks), func(i, j int) { ks[i], ks[j] = ks[j], ks[i] })
	fmt.Fprintf(&b, "title: t\nkernels: [%s]\nsteps:\n", strings.Join(ks[:2+rng.IntN(2)], ", "))
	procs := []string{"P"}
	pages := map[string]int{"P": 2 + rng.IntN(30)}
	fmt.Fprintf(&b, "  - do: [spawn P, mmap P heap %d, write P:heap]\n", pages["P"])
	addr := func() string {
		p := procs[rng.IntN(len(procs))]
		lo := rng.IntN(pages[p])
		return fmt.Sprintf("%s:heap:%d..%d", p, lo, lo+rng.IntN(pages[p]-lo))
	}
	for s := range 2 + rng.IntN(6) {
		var evs []string
		for range 1 + rng.IntN(3) {
			switch rng.IntN(8) {
			case 0, 1:
				c := fmt.Sprintf("C%d_%d", s, len(evs))
				p := procs[rng.IntN(len(procs))]
				procs, pages[c] = append(procs, c), pages[p]
				evs = append(evs, "fork "+p+" "+c)
			case 2, 3:
				evs = append(evs, "write "+addr())
			case 4:
				evs = append(evs, "read "+addr())
			case 5:
				evs = append(evs, "swapout "+addr())
			case 6:
				if len(procs) > 1 {
					j := 1 + rng.IntN(len(procs)-1)
					evs = append(evs, "exit "+procs[j])
					procs = slices.Delete(procs, j, j+1)
				}
			case 7:
				evs = append(evs, "munmap "+addr())
			}
		}
		fmt.Fprintf(&b, "  - do: [%s]\n", strings.Join(evs, ", "))
	}
	return b.String()
}
