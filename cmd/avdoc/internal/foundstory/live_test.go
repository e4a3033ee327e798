package foundstory

import (
	"strings"
	"testing"

	"github.com/avdoc/avdoc/engine"
	"github.com/avdoc/avdoc/internal/golden"
	"github.com/avdoc/avdoc/live"
	"github.com/avdoc/avdoc/live/differ"
	"github.com/avdoc/avdoc/story"
)

// TestWriteLive writes a finding whose "kernel" is the 6.18 model
// standing in for the live kernel against the 6.0 model (6.18 merges a
// faulted page into an unfaulted neighbour; 6.0 does not): the story
// parses, says it is a finding, pins the merge on each side, and its
// text is pinned by a golden file.
func TestWriteLive(t *testing.T) {
	m60, m618 := lookup(t, "6.0"), lookup(t, "6.18")
	steps := [][]string{{"spawn P", "mmap P heap 2 at 513"}, {"write P:heap"}, {"mprotect P:heap ro"}, {"mmap P low 1 at 512"}, {"mprotect P:heap:0 rw"}}
	seq := differ.Sequence{Setup: events(t, steps[0]...)}
	for _, st := range steps[1:] {
		seq.Events = append(seq.Events, events(t, st...)...)
	}
	f := &differ.Found{Step: len(steps), Model: runAll(t, m60, seq), Kernel: runAll(t, m618, seq)}
	f.Diffs = live.Compare(&f.Model[len(steps)-1].State, &f.Kernel[len(steps)-1].State)
	if len(f.Diffs) == 0 {
		t.Fatal("6.0 and 6.18 agree here; the test needs them to part")
	}
	fd := &differ.Finding{Index: 3, Original: seq, First: f, Shrunk: seq, Last: f, Runs: 7, Again: true}
	src := WriteLive(LiveFinding{Argv: []string{"--random", "5", "--seed", "9", "--model", "6.0"}, Seed: 9, Model: m60,
		Report: differ.Report{Release: "6.18.0-test", Sequences: 4}, Finding: fd})
	golden.Check(t, "testdata/live-finding.yaml", []byte(src))
	s, err := story.Parse("live-finding.yaml", []byte(src))
	if err != nil {
		t.Fatalf("%v\n%s", err, src)
	}
	for _, want := range []string{"It is a finding", "- vma(P:low:0) != vma(P:heap:0)", "- vma(P:low:0) == vma(P:heap:0)", "kernels: [\"6.0\", live]"} {
		if !strings.Contains(src, want) {
			t.Errorf("the story lacks %q:\n%s", want, src)
		}
	}
	if len(s.Steps) != len(steps) || len(s.Kernels) != 2 || !s.Kernels[1].Live {
		t.Errorf("%d steps, kernels %v; want %d steps under 6.0 and live", len(s.Steps), s.Kernels, len(steps))
	}
	// With the 6.18 model in the live kernel's place, every expectation
	// holds, as avdoc check would find.
	asModel := strings.NewReplacer(`kernels: ["6.0", live]`, `kernels: ["6.0", "6.18"]`, "      live:\n", "      \"6.18\":\n").Replace(src)
	s, err = story.Parse("as-model.yaml", []byte(asModel))
	if err != nil {
		t.Fatal(err)
	}
	if res, err := story.Execute(s); err != nil || len(res.Failures) > 0 {
		t.Errorf("under 6.0 and 6.18: %v %v", err, res.Failures)
	}
}

func lookup(t *testing.T, name string) engine.Model {
	t.Helper()
	m, err := engine.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// events parses events as a story's step writes them.
func events(t *testing.T, texts ...string) []engine.Event {
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

func runAll(t *testing.T, m engine.Model, seq differ.Sequence) []engine.StepResult {
	t.Helper()
	mach := engine.New(m)
	var out []engine.StepResult
	for _, st := range seq.Steps() {
		r, err := mach.Step(st)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}
