package explore

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/avdoc/avdoc/engine"
)

func model(t testing.TB, name string, fixes ...string) engine.Model {
	t.Helper()
	m, err := engine.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	if fixes != nil {
		if m, err = engine.Derive(name+"-custom", m, fixes, false); err != nil {
			t.Fatal(err)
		}
	}
	return m
}

// allBut returns the 2.6.34 cycle's fixes without one.
func allBut(missing string) []string {
	var out []string
	for _, f := range engine.Fixes() {
		if f.Name != missing {
			out = append(out, f.Name)
		}
	}
	return out
}

func texts(evs []engine.Event) string {
	var out []string
	for _, e := range evs {
		out = append(out, e.String())
	}
	return strings.Join(out, "; ")
}

// TestFindsEachBug: each bug of 2.6.34-rc3 is found as a shortest
// sequence, either in rc3 with the violations of bugs found before it set
// aside, or in 2.6.34 with just that bug's fix taken out.
func TestFindsEachBug(t *testing.T) {
	tests := []struct {
		name   string
		cfg    Config
		events string // the finding, exactly
		broke  string
	}{
		{"hibernation oops (B4, Seq-B4)", Config{Model: model(t, "2.6.34-rc3"), Procs: 2, Ignore: []string{"I5"}},
			"write P:heap:0; fork P C1; swapout P:heap:0; read C1:heap:0; read P:heap:0", "R1"},
		{"B4 alone", Config{Model: model(t, "2.6.34", allBut("oldest-anon-vma")...), Procs: 2},
			"write P:heap:0; fork P C1; swapout P:heap:0; read C1:heap:0; read P:heap:0", "R1"},
		{"vma_adjust (B2, Seq-B2)", Config{Model: model(t, "2.6.34-rc3"), Procs: 1, Pages: 2, Kinds: []string{"write", "mprotect"}},
			"mprotect P:heap:0 ro; write P:heap:1; mprotect P:heap:0 rw", "I3"},
		{"anon_vma reuse (B1, Seq-B1)", Config{Model: model(t, "2.6.34", allBut("reuse-singular")...), Procs: 2,
			Kinds: []string{"write", "fork", "mprotect", "mmap"}},
			"write P:heap:0; fork P C1; mprotect C1:heap:0 ro; mmap C1 low 1 at 511; write C1:low:0", "I6"},
		{"clone order (B3, rc3 with only the oldest fix, Seq-B3)", Config{Model: model(t, "2.6.34-rc3", "oldest-anon-vma"), Ignore: []string{"I5"}},
			"write P:heap:0; fork P C1; swapout P:heap:0; fork C1 C2; read C2:heap:0; read P:heap:0", "R1"},
		{"clone order, latent in pure rc3", Config{Model: model(t, "2.6.34-rc3")},
			"write P:heap:0; fork P C1; fork C1 C2", "I5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Run(context.Background(), tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			if res.Found == nil {
				t.Fatalf("nothing found up to depth %d (%d states)", res.Depth, res.States)
			}
			if got := texts(res.Found.Events); got != tt.events || !res.Found.Broke(tt.broke) {
				t.Errorf("found %q breaking %s; want %q breaking %s", got, res.Found.What(), tt.events, tt.broke)
			}
		})
	}
}

// TestSoundModelsHoldToDepth8: the fixed designs break nothing in every
// sequence of up to 8 events over 3 processes and a page, nor over 2
// processes, 2 pages and the VMA-shaping events to depth 6.
func TestSoundModelsHoldToDepth8(t *testing.T) {
	configs := []Config{
		{Depth: 8, Procs: 3, Pages: 1},
		{Depth: 6, Procs: 2, Pages: 2, Kinds: []string{"write", "fork", "exit", "swapout", "mprotect", "munmap"}},
		{Depth: 5, Procs: 2, Pages: 2, Kinds: []string{"write", "fork", "exit", "mremap", "madvise"}},
	}
	for _, name := range []string{"2.6.33", "2.6.34", "2.6.36", "3.7", "3.19", "6.0", "6.18"} {
		for i, cfg := range configs {
			t.Run(fmt.Sprintf("%s/%d", name, i), func(t *testing.T) {
				cfg.Model = model(t, name)
				res, err := Run(context.Background(), cfg)
				if err != nil {
					t.Fatal(err)
				}
				if res.Found != nil {
					t.Fatalf("found %q: %s", texts(res.Found.Events), res.Found.What())
				}
				if res.Depth != cfg.Depth || res.States < 100 {
					t.Errorf("explored to depth %d with %d states; want depth %d and a real search", res.Depth, res.States, cfg.Depth)
				}
			})
		}
	}
}

// TestCanonicalKey: states that differ only in which process is which
// share a key; states that differ in structure do not, even slightly: with
// C1 writing rather than C2, P's anon_vma lists the writer first, so a
// walk of P's page costs 2 visits instead of 3.
func TestCanonicalKey(t *testing.T) {
	run := func(evs ...engine.Event) string {
		m := engine.New(model(t, "2.6.34"))
		setup := []engine.Event{{Op: engine.OpSpawn, Proc: "P"}, {Op: engine.OpMmap, Proc: "P", Region: "heap", Pages: 1, Writable: true}}
		for _, ev := range append(setup, evs...) {
			if _, err := m.Advance([]engine.Event{ev}); err != nil {
				t.Fatal(err)
			}
		}
		var enc encoder
		return string(enc.encode(m.State()))
	}
	w := func(p string) engine.Event {
		return engine.Event{Op: engine.OpWrite, Range: engine.Range{Proc: p, Region: "heap"}}
	}
	fork := func(c string) engine.Event { return engine.Event{Op: engine.OpFork, Proc: "P", Child: c} }
	exit := func(p string) engine.Event { return engine.Event{Op: engine.OpExit, Proc: p} }
	a := run(w("P"), fork("C1"), fork("C2"), exit("C1"))
	b := run(w("P"), fork("C1"), fork("C2"), exit("C2"))
	if a != b {
		t.Error("C1 exiting and C2 exiting give different keys, though the states are the same up to names")
	}
	c := run(w("P"), fork("C1"), fork("C2"), w("C1"))
	d := run(w("P"), fork("C1"), fork("C2"), w("C2"))
	e := run(w("P"), fork("C1"), fork("C2"), engine.Event{Op: engine.OpRead, Range: engine.Range{Proc: "C2", Region: "heap"}})
	if c == d || d == e {
		t.Error("structurally different states share a key")
	}
}

// TestBudgets: a search stops at its state budget, and when its context
// ends, saying why.
func TestBudgets(t *testing.T) {
	res, err := Run(context.Background(), Config{Model: model(t, "2.6.34"), MaxStates: 50})
	if err != nil || res.Stopped != "state budget" || res.States != 50 {
		t.Errorf("state budget: %+v, %v", res, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err = Run(ctx, Config{Model: model(t, "2.6.34")})
	if err != nil || res.Stopped != "time budget" {
		t.Errorf("cancelled context: %+v, %v", res, err)
	}
}

func TestValidate(t *testing.T) {
	for _, cfg := range []Config{{Kinds: []string{"frobnicate"}}, {Depth: 99}, {Procs: -1}, {Ignore: []string{"R9"}}} {
		if _, err := Run(context.Background(), cfg); err == nil {
			t.Errorf("Run(%+v) accepted a bad configuration", cfg)
		}
	}
	if !slices.Contains(Kinds(), "mprotect") || slices.Contains(DefaultKinds(), "mprotect") {
		t.Error("kinds: mprotect is a kind, but not a default one")
	}
}

// BenchmarkExplore reports states per second over a sound model's whole
// depth-8 space, and the time to find rc3's hibernation bug.
func BenchmarkExplore(b *testing.B) {
	b.Run("2.6.36-depth8", func(b *testing.B) {
		var res Result
		for b.Loop() {
			res, _ = Run(context.Background(), Config{Model: model(b, "2.6.36"), Procs: 3, Pages: 1, Depth: 8})
		}
		b.ReportMetric(float64(res.States)*float64(b.N)/b.Elapsed().Seconds(), "states/s")
		b.ReportMetric(float64(res.Sequences)*float64(b.N)/b.Elapsed().Seconds(), "sequences/s")
	})
	b.Run("find-rc3-hibernation", func(b *testing.B) {
		for b.Loop() {
			res, _ := Run(context.Background(), Config{Model: model(b, "2.6.34-rc3"), Procs: 2, Ignore: []string{"I5"}})
			if res.Found == nil {
				b.Fatal("not found")
			}
		}
	})
}

// TestStopsWhenTheContextEnds: a search whose context ends while it runs
// stops at once, with the depth it completed.
func TestStopsWhenTheContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cfg := Config{Model: model(t, "6.0"), Procs: 3, Pages: 2, Depth: 9, Kinds: []string{"write", "fork", "exit", "mprotect"},
		Progress: func(p Progress) {
			if p.Depth == 3 {
				cancel()
			}
		}}
	res, err := Run(ctx, cfg)
	if err != nil || res.Stopped != "time budget" || res.Depth != 3 {
		t.Errorf("got depth %d, stopped %q, %v; want depth 3, stopped by the time budget", res.Depth, res.Stopped, err)
	}
}

// TestExactAgreesWithFingerprints: storing whole encodings explores what
// storing fingerprints does, with any number of workers: the same
// finding, states and sequences.
func TestExactAgreesWithFingerprints(t *testing.T) {
	var results []Result
	for _, cfg := range []Config{{Workers: 1}, {Workers: 3}, {Exact: true, Workers: 2}} {
		cfg.Model, cfg.Procs, cfg.Pages, cfg.Kinds = model(t, "2.6.34-rc3"), 3, 2, []string{"write", "fork", "exit", "mprotect", "swapout", "read"}
		cfg.Ignore = []string{"I3", "I5", "I7", "R2"}
		res, err := Run(context.Background(), cfg)
		if err != nil || res.Found == nil {
			t.Fatalf("%+v: %+v, %v", cfg, res, err)
		}
		results = append(results, res)
	}
	for _, r := range results[1:] {
		if texts(r.Found.Events) != texts(results[0].Found.Events) || r.States != results[0].States || r.Sequences != results[0].Sequences {
			t.Errorf("found %q after %d states and %d sequences; with one worker and fingerprints %q after %d and %d",
				texts(r.Found.Events), r.States, r.Sequences, texts(results[0].Found.Events), results[0].States, results[0].Sequences)
		}
	}
}

// TestNewEventKindsAreTried: mremap and madvise reach states of their own,
// and pageout is skipped where the model refuses it (before 5.4).
func TestNewEventKindsAreTried(t *testing.T) {
	tests := []struct {
		kernel string
		kinds  []string
		states int // at least
	}{
		{"6.18", []string{"mremap"}, 5},
		{"6.18", []string{"write", "madvise"}, 6},
		{"2.6.34", []string{"write", "madvise"}, 4},
		{"2.6.7", []string{"mremap"}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.kernel+"/"+strings.Join(tt.kinds, ","), func(t *testing.T) {
			res, err := Run(context.Background(), Config{Model: model(t, tt.kernel), Procs: 2, Pages: 2, Depth: 3, Kinds: tt.kinds})
			if err != nil {
				t.Fatal(err)
			}
			if res.Found != nil || res.States < tt.states {
				t.Errorf("found %v, %d states; want nothing found and at least %d states", res.Found != nil, res.States, tt.states)
			}
		})
	}
}
