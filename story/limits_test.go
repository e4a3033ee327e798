package story

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/avdoc/avdoc/engine"
)

// TestDefaultLimitsFitShippedStories: the defaults leave room for every
// shipped story, and the largest (Rik's case at full size) is measured
// as what it is: 1001 processes and 1,001,000 pages.
func TestDefaultLimitsFitShippedStories(t *testing.T) {
	def := DefaultLimits()
	var most int64
	for _, f := range shippedStories(t) {
		s, err := Parse(f.name, f.src)
		if err != nil {
			t.Fatalf("%s: %v", f.name, err)
		}
		b, lerr := measure(s, def, nil)
		if lerr != nil {
			t.Fatalf("%s: %v", f.name, lerr)
		}
		most = max(most, b.work)
		if frames := len(s.Steps) * len(s.Kernels); frames*10 > def.Frames {
			t.Errorf("%s draws %d diagrams, more than a tenth of the default limit %d", f.name, frames, def.Frames)
		}
		if f.name == "07-rik-1000.yaml" && (b.nProcs != 1001 || b.pages != 1_001_000) {
			t.Errorf("%s: measured %d processes and %d pages, want 1001 and 1001000", f.name, b.nProcs, b.pages)
		}
	}
	if most*2 > def.Work {
		t.Errorf("the largest shipped story takes %d units of work, more than half the default limit %d", most, def.Work)
	}
}

// limitStory is a story of one kernel with the given steps, one a line.
func limitStory(steps ...string) string {
	return "title: T\nkernel: 2.6.34\nsteps:\n" + strings.Join(steps, "\n") + "\n"
}

// TestLimitErrors: each limit, crossed, gives one error at the event,
// expectation or step that crossed it, naming the flag that raises it;
// and the story is cut there.
func TestLimitErrors(t *testing.T) {
	small := Limits{Procs: 4, Pages: 100, Steps: 3, Work: 2000, FileSize: 400}
	tests := []struct {
		name   string
		lim    Limits
		src    string
		want   string
		events int // events left in the story after the cut
	}{
		{"procs by a name range", small, limitStory("  - do: [spawn P, fork P C1..C9]"),
			`s.yaml:4:26: the name range "C1..C9" names 9 processes; a story may create at most 4 (raise the limit with --max-procs N)`, 1},
		{"procs one by one", small, limitStory("  - do: [spawn P, fork P C1..C3]", "  - do: fork C1 D"),
			"s.yaml:5:17: a story may create at most 4 processes; this is process 5 (raise the limit with --max-procs N)", 4},
		{"show names", small, limitStory("  - do: spawn P", "    show: {only: [C1..C5]}"),
			`s.yaml:5:19: the name range "C1..C5" names 5 processes; a story may create at most 4 (raise the limit with --max-procs N)`, 1},
		{"one huge mmap", small, limitStory("  - do: [spawn P, mmap P heap 101]"),
			"s.yaml:4:31: a story may map at most 100 pages; this mmap asks for 101 (raise the limit with --max-pages N)", 1},
		{"a count beyond int64", small, limitStory("  - do: [spawn P, mmap P heap 99999999999999999999999]"),
			"s.yaml:4:31: a story may map at most 100 pages; this mmap asks for 99999999999999999999999 (raise the limit with --max-pages N)", 1},
		{"pages copied by fork", small, limitStory("  - do: [spawn P, mmap P heap 40, fork P C1..C2]"),
			"s.yaml:4:42: a story may map at most 100 pages, counting every process's mappings (exited ones too); this brings it to 120 (raise the limit with --max-pages N)", 3},
		{"exited processes count", small, limitStory("  - do: [spawn P, mmap P a 60]", "  - do: [exit P, spawn Q, mmap Q b 60]"),
			"s.yaml:5:36: a story may map at most 100 pages, counting every process's mappings (exited ones too); this brings it to 120 (raise the limit with --max-pages N)", 4},
		{"steps", small, limitStory("  - do: spawn P", "  - say: two", "  - say: three", "  - say: four", "  - say: five"),
			"s.yaml:7:5: a story may have at most 3 steps; this is step 4 (raise the limit with --max-steps N, or split the story)", 1},
		{"work of a walk", Limits{Procs: 4, Work: 600}, limitStory("  - do: [spawn P, mmap P heap 20, write P:heap, fork P C1..C3]", "  - do: walk P:heap"),
			"s.yaml:5:9: a story may take at most 600 units of simulation work; up to this event it takes about 623 " +
				"(pages touched, VMAs walked and objects kept for each step's diagram, under its one kernel) (raise the limit with --max-work N, or make the story smaller)", 6},
		{"work of snapshots", Limits{Work: 1000}, limitStory("  - do: [spawn P, mmap P heap 90, write P:heap]", "  - say: two", "  - say: three"),
			"s.yaml:6:5: a story may take at most 1000 units of simulation work; up to this step it takes about 1092 " +
				"(pages touched, VMAs walked and objects kept for each step's diagram, under its one kernel) (raise the limit with --max-work N, or make the story smaller)", 3},
		{"work of expectations", Limits{Procs: 4, Work: 300}, limitStory("  - do: [spawn P, mmap P heap 10, write P:heap]",
			"    expect: ["+strings.Repeat("count(page) == 10, ", 80)+"clean]"),
			"s.yaml:5:1116: a story may take at most 300 units of simulation work; up to this expectation it takes about 302 " +
				"(pages touched, VMAs walked and objects kept for each step's diagram, under its one kernel) (raise the limit with --max-work N, or make the story smaller)", 3},
		{"frames of several kernels", Limits{Frames: 5}, "title: T\nkernels: [2.6.33, 2.6.34]\nsteps:\n  - do: spawn P\n  - say: two\n  - say: three\n",
			"s.yaml:6:5: a story may draw at most 5 diagrams, one per step under each kernel; step 3 under each of its 2 kernels brings it to 6 (raise the limit with --max-frames N, or draw fewer steps or kernels)", 1},
		{"frames of one kernel", Limits{Frames: 1}, limitStory("  - do: spawn P", "  - say: two"),
			"s.yaml:5:5: a story may draw at most 1 diagrams, one per step under each kernel; step 2 under its one kernel brings it to 2 (raise the limit with --max-frames N, or draw fewer steps or kernels)", 1},
		{"file size", small, limitStory("  - say: " + strings.Repeat("x", 400)),
			"s.yaml:1:1: the file is 441 bytes; a story may be at most 400 bytes (raise the limit with --max-file-size N)", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := ParseWith("s.yaml", []byte(tt.src), Options{Limits: tt.lim})
			if err == nil || err.Error() != tt.want {
				t.Fatalf("got error\n%v\nwant\n%s", err, tt.want)
			}
			if n := countEvents(s); n != tt.events {
				t.Errorf("%d events left after the cut, want %d", n, tt.events)
			}
			if _, err := measure(s, tt.lim.withDefaults(), nil); err != nil {
				t.Errorf("what is left still crosses a limit: %v", err)
			}
		})
	}
}

func countEvents(s *Story) int {
	n := 0
	for _, st := range s.Steps {
		n += len(st.Events)
	}
	return n
}

// TestLimitsRaised: a story refused under small limits parses when they
// are raised, and zero limits are the defaults.
func TestLimitsRaised(t *testing.T) {
	src := []byte(limitStory("  - do: [spawn P, mmap P heap 300, write P:heap, fork P C1..C20]"))
	if _, err := ParseWith("s.yaml", src, Options{Limits: Limits{Procs: 10, Pages: 1000, Work: 1000}}); err == nil {
		t.Fatal("the story should cross the small limits")
	}
	if _, err := ParseWith("s.yaml", src, Options{Limits: Limits{Procs: 21, Pages: 6300, Work: 100_000}}); err != nil {
		t.Errorf("with the limits raised: %v", err)
	}
	if _, err := ParseWith("s.yaml", src, Options{}); err != nil {
		t.Errorf("with the default limits: %v", err)
	}
	if got := (Limits{}).withDefaults(); got != DefaultLimits() {
		t.Errorf("zero limits are %+v, want the defaults %+v", got, DefaultLimits())
	}
}

// TestBudgetIsAnUpperBound runs stories, shipped and random, under every
// model and checks after each step that the engine made no more
// processes, VMAs, anon_vmas, AVCs, page table entries, pages and swap
// slots than the budget allowed for: the limits bound what they claim to.
func TestBudgetIsAnUpperBound(t *testing.T) {
	var stories []storyFile
	stories = append(stories, shippedStories(t)...)
	rng := rand.New(rand.NewPCG(6, 6))
	for i := range 300 {
		stories = append(stories, storyFile{fmt.Sprintf("random%d.yaml", i), []byte(randomStory(rng))})
	}
	for _, f := range stories {
		s, err := Parse(f.name, f.src)
		if err != nil {
			t.Fatalf("%s: %v\n%s", f.name, err, f.src)
		}
		res, _ := ExecuteOn(s, asModel) // refused events are fine: the budget counts them too
		_, lerr := measure(s, DefaultLimits(), func(i int, b *budget) {
			for _, r := range res.Runs {
				if msg := exceeds(&r.Steps[i].State, b); msg != "" {
					t.Errorf("%s, step %d, kernel %s: %s\n%s", f.name, i+1, r.Kernel.Model.Name, msg, f.src)
				}
			}
		})
		if lerr != nil {
			t.Fatalf("%s: %v", f.name, lerr)
		}
	}
}

// exceeds says what in st the budget b did not allow for, or "".
func exceeds(st *engine.State, b *budget) string {
	ptes := 0
	for _, v := range st.VMAs {
		ptes += len(v.PTEs)
	}
	for _, c := range []struct {
		what        string
		got, budget int64
	}{
		{"processes", int64(len(st.Procs)), b.nProcs},
		{"VMAs", int64(len(st.VMAs)), b.vmas},
		{"anon_vmas", int64(len(st.AnonVMAs)), b.avcs},
		{"AVCs", int64(len(st.AVCs)), b.avcs},
		{"page table entries", int64(ptes), b.ptes},
		{"pages and swap slots", int64(len(st.Pages) + len(st.Swap)), b.created},
	} {
		if c.got > c.budget {
			return fmt.Sprintf("%d %s, budget %d", c.got, c.what, c.budget)
		}
	}
	return ""
}

// randomStory writes a story of random events over a few processes and
// regions, under every model.
func randomStory(rng *rand.Rand) string {
	procs := []string{"P"}
	var b strings.Builder
	b.WriteString("title: random\nkernels: [2.6.6, 2.6.7, 2.6.33, 2.6.34-rc3, 2.6.34, 2.6.36, 3.7, 3.19, 6.0]\nsteps:\n")
	b.WriteString("  - do: [spawn P, mmap P a 4, mmap P b 3 ro]\n")
	pick := func() string { return procs[rng.IntN(len(procs))] }
	page := func() string {
		r := []string{"a:", "b:"}[rng.IntN(2)]
		switch rng.IntN(3) {
		case 0:
			return pick() + ":" + strings.TrimSuffix(r, ":")
		case 1:
			return fmt.Sprintf("%s:%s%d", pick(), r, rng.IntN(4))
		}
		return fmt.Sprintf("%s:%s%d..%d", pick(), r, rng.IntN(2), 1+rng.IntN(3))
	}
	for range 4 + rng.IntN(8) {
		var evs []string
		for range 1 + rng.IntN(4) {
			switch rng.IntN(10) {
			case 0, 1:
				c := fmt.Sprintf("C%d", len(procs))
				evs = append(evs, "fork "+pick()+" "+c)
				procs = append(procs, c)
			case 2:
				evs = append(evs, "write "+page())
			case 3:
				evs = append(evs, "read "+page())
			case 4:
				evs = append(evs, "mprotect "+page()+" "+[]string{"ro", "rw"}[rng.IntN(2)])
			case 5:
				evs = append(evs, "munmap "+page())
			case 6:
				evs = append(evs, "swapout "+page(), "evict all")
			case 7:
				evs = append(evs, "walk "+page())
			case 8:
				evs = append(evs, []string{"hibernate", "swapout all", "evict " + page()}[rng.IntN(3)])
			default:
				evs = append(evs, "exit "+pick())
			}
		}
		fmt.Fprintf(&b, "  - do: [%s]\n", strings.Join(evs, ", "))
	}
	return b.String()
}
