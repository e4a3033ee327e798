package differ

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/avdoc/avdoc/engine"
	"github.com/avdoc/avdoc/internal/golden"
	"github.com/avdoc/avdoc/live"
	"github.com/avdoc/avdoc/live/agent"
	"github.com/avdoc/avdoc/story"
)

func TestMain(m *testing.M) {
	agent.RunIfAgent()
	os.Exit(m.Run())
}

func model(t testing.TB) engine.Model {
	t.Helper()
	m, err := engine.Lookup("6.18")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// events parses events as a story's step writes them.
func events(t testing.TB, texts ...string) []engine.Event {
	t.Helper()
	s, err := story.Parse("t.yaml", []byte("title: t\nkernel: \"6.18\"\nsteps:\n  - do: ["+strings.Join(texts, ", ")+"]\n"))
	if err != nil {
		t.Fatal(err)
	}
	var out []engine.Event
	for _, ev := range s.Steps[0].Events {
		out = append(out, ev.Event)
	}
	return out
}

// TestGenerateIsDeterministic: a seed and an index give the same
// sequence on every run and every machine (the golden file pins them),
// and other seeds or indexes give others.
func TestGenerateIsDeterministic(t *testing.T) {
	cfg := Config{Model: model(t), Kinds: Kinds(), Seed: 1, N: 5}
	var b strings.Builder
	for i := range 5 {
		s := Generate(cfg, i)
		if again := Generate(cfg, i); again.String() != s.String() {
			t.Errorf("sequence %d: %s, then %s", i, s, again)
		}
		fmt.Fprintf(&b, "%d: %s\n", i, s)
	}
	golden.Check(t, "testdata/seed1.txt", []byte(b.String()))
	other := cfg
	other.Seed = 2
	if Generate(cfg, 0).String() == Generate(other, 0).String() || Generate(cfg, 0).String() == Generate(cfg, 1).String() {
		t.Errorf("seeds 1 and 2, or indexes 0 and 1, give the same sequence: %s", Generate(cfg, 0))
	}
}

// TestGenerateRunsOnlyLiveEvents: every event drawn can run on the live
// kernel, the model runs it, and a sequence keeps to its bounds.
func TestGenerateRunsOnlyLiveEvents(t *testing.T) {
	cfg := Config{Model: model(t), Kinds: Kinds(), Procs: 2, Pages: 3, Depth: 12, Seed: 7, N: 200}
	kinds := map[engine.Op]bool{}
	for i := range cfg.N {
		s := Generate(cfg, i)
		if len(s.Events) > cfg.Depth || !valid(cfg.Model, s) {
			t.Fatalf("sequence %d: %s: too long or refused by the model", i, s)
		}
		for _, ev := range s.Events {
			if !RunsLive(ev) {
				t.Fatalf("sequence %d: %s cannot run live", i, ev)
			}
			kinds[ev.Op] = true
		}
	}
	for _, op := range []engine.Op{engine.OpWrite, engine.OpFork, engine.OpExit, engine.OpMprotect, engine.OpMremap, engine.OpMadvise, engine.OpMunmap, engine.OpMmap} {
		if !kinds[op] {
			t.Errorf("no %s in 200 sequences", op)
		}
	}
}

// TestValidateRefusesWhatCannotRunLive: swap and hibernation, unknown
// kinds and bounds out of range are refused with the reason.
func TestValidateRefusesWhatCannotRunLive(t *testing.T) {
	tests := []struct {
		cfg  Config
		want string
	}{
		{Config{Kinds: []string{"swapout"}, N: 1}, "swap events need a swap device"},
		{Config{Kinds: []string{"hibernate"}, N: 1}, "hibernation never runs live"},
		{Config{Kinds: []string{"frok"}, N: 1}, `unknown event kind "frok"`},
		{Config{N: 0}, "--random 0"},
		{Config{N: 1, Depth: 41}, "--depth 41"},
		{Config{N: 1, Procs: 9}, "--procs 9"},
	}
	for _, tt := range tests {
		if err := tt.cfg.Validate(); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Validate(%+v) = %v; want it to say %q", tt.cfg, err, tt.want)
		}
	}
	if err := (Config{N: 3, Kinds: Kinds()}).Validate(); err != nil {
		t.Errorf("every live kind: %v", err)
	}
}

// fakeDiffer says a sequence differs at the step where cond first holds
// of the events so far, with the kind cond gives ("" for none).
func fakeDiffer(cond func([]engine.Event) string) func(Sequence) (*Found, error) {
	return func(s Sequence) (*Found, error) {
		for i := range s.Events {
			if kind := cond(s.Events[:i+1]); kind != "" {
				return &Found{Step: i + 2, Diffs: []live.Difference{{Kind: kind}}}, nil
			}
		}
		return nil, nil
	}
}

// has reports whether evs has an event whose text is one of texts.
func has(evs []engine.Event, texts ...string) bool {
	return slices.ContainsFunc(evs, func(ev engine.Event) bool { return slices.Contains(texts, ev.String()) })
}

// last reports whether the last of evs is one of texts.
func last(evs []engine.Event, texts ...string) bool {
	return slices.Contains(texts, evs[len(evs)-1].String())
}

// TestShrinkFindsTheMinimalSequence: on a synthetic difference, shrinking
// drops the events, processes and pages it does not need, keeps the
// kind of difference it started with, and stops at its budget.
func TestShrinkFindsTheMinimalSequence(t *testing.T) {
	tests := []struct {
		name    string
		pages   int
		events  []string
		cond    func([]engine.Event) string
		maxRuns int
		want    string
	}{{
		name: "a child's write after fork", pages: 3,
		events: []string{"write P:heap:0", "read P:heap:2", "fork P C2", "write P:heap:1", "mprotect P:heap:2 ro", "write C2:heap:1", "write P:heap:0"},
		cond: func(evs []engine.Event) string {
			if has(evs, "fork P C2") && last(evs, "write C2:heap:1") {
				return live.KindChain
			}
			return ""
		},
		maxRuns: 100, want: "spawn P, mmap P heap 2 at 512; fork P C2; write C2:heap:1",
	}, {
		name: "a grandchild keeps its parent", pages: 2,
		events: []string{"fork P C1", "write P:heap:0", "fork C1 C2", "fork P C3", "write C3:heap:1", "write C2:heap:0", "exit C3"},
		cond: func(evs []engine.Event) string {
			if last(evs, "write C2:heap:0") {
				return live.KindWalk
			}
			return ""
		},
		maxRuns: 100, want: "spawn P, mmap P heap 1 at 512; fork P C1; fork C1 C2; write C2:heap:0",
	}, {
		name: "the same kind, not another", pages: 2,
		events: []string{"write P:heap:1", "fork P C1", "write P:heap:0"},
		cond: func(evs []engine.Event) string {
			switch {
			case !last(evs, "write P:heap:0"):
				return ""
			case has(evs, "fork P C1"):
				return live.KindChain
			}
			return live.KindPage
		},
		maxRuns: 100, want: "spawn P, mmap P heap 1 at 512; fork P C1; write P:heap:0",
	}, {
		name: "no runs left: only cut after the difference", pages: 2,
		events: []string{"write P:heap:1", "fork P C1", "write P:heap:0", "exit C1"},
		cond: func(evs []engine.Event) string {
			if last(evs, "write P:heap:0") {
				return live.KindPage
			}
			return ""
		},
		maxRuns: 0, want: "spawn P, mmap P heap 2 at 512; write P:heap:1; fork P C1; write P:heap:0",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seq := Sequence{Setup: events(t, fmt.Sprintf("spawn P, mmap P heap %d at 512", tt.pages)), Events: events(t, tt.events...)}
			if !valid(model(t), seq) {
				t.Fatalf("the model refuses %s", seq)
			}
			try := fakeDiffer(tt.cond)
			f, _ := try(seq)
			runs := 0
			counted := func(s Sequence) (*Found, error) { runs++; return try(s) }
			got, gf, err := Shrink(model(t), seq, f, counted, tt.maxRuns)
			if err != nil || got.String() != tt.want || gf.Kind() != f.Kind() {
				t.Errorf("Shrink = %s (%s), %v;\nwant %s (%s)", got, gf.Diffs[0].Kind, err, tt.want, f.Kind())
			}
			if runs > tt.maxRuns {
				t.Errorf("%d runs; the budget was %d", runs, tt.maxRuns)
			}
		})
	}
}

// TestWithoutProcDropsDescendants: dropping a process drops its fork,
// its events and those of every process it forked.
func TestWithoutProcDropsDescendants(t *testing.T) {
	evs := events(t, "fork P C1", "fork C1 C2", "write C2:heap:0", "fork P C3", "write P:heap:0", "exit C1")
	got := Sequence{Setup: events(t, "spawn P"), Events: withoutProc(evs, "C1")}
	if want := "spawn P; fork P C3; write P:heap:0"; got.String() != want {
		t.Errorf("without C1: %s; want %s", got, want)
	}
}
