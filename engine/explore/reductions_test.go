package explore

import (
	"context"
	"testing"

	"github.com/avdoc/avdoc/engine"
)

// states returns the machines a plain breadth-first walk reaches in up to
// depth events of every kind, without merging anything: the states the
// reductions are checked on.
func states(t *testing.T, cfg Config, depth int) (*search, []*engine.Machine) {
	t.Helper()
	cfg.defaults()
	s, err := newSearch(cfg)
	if err != nil {
		t.Fatal(err)
	}
	all := []*engine.Machine{s.workers[0].path[0].m}
	frontier := all
	for d := 0; d < depth; d++ {
		var next []*engine.Machine
		for _, m := range frontier {
			for _, ev := range s.alphabet(m.State()) {
				if c := m.Clone(); !refused(c, ev) {
					next = append(next, c)
				}
			}
		}
		all, frontier = append(all, next...), next
	}
	return s, all
}

func refused(m *engine.Machine, ev engine.Event) bool {
	_, err := m.Advance([]engine.Event{ev})
	return err != nil
}

// TestInertEventsChangeNothing: every event the search skips as inert is
// refused by the engine, or leaves the state as it was, breaking nothing
// new, in every design.
func TestInertEventsChangeNothing(t *testing.T) {
	for _, name := range []string{"2.6.6", "2.6.33", "2.6.34-rc3", "2.6.36", "3.19", "6.0"} {
		t.Run(name, func(t *testing.T) {
			s, all := states(t, Config{Model: model(t, name), Procs: 2, Pages: 2, Kinds: Kinds()}, 3)
			var enc encoder
			inerts := 0
			for _, m := range all {
				before := string(enc.encode(m.State()))
				for _, ev := range s.alphabet(m.State()) {
					if !Inert(m.State(), ev) {
						continue
					}
					inerts++
					c := m.Clone()
					res, err := c.Advance([]engine.Event{ev})
					if err == nil && (string(enc.encode(c.State())) != before || len(res.New) > 0 || res.Oopsed()) {
						t.Fatalf("%s is not inert: it changed the state or broke %v", ev, res.New)
					}
				}
			}
			if inerts < 100 {
				t.Errorf("only %d inert events met; want a real sample", inerts)
			}
		})
	}
}

// TestTwins: before anything is written, a process and the children it
// forked cannot be told apart, so only the eldest's events are tried;
// whatever a twin does, the eldest's matching event reaches a state with
// the same encoding. Once P writes a page, P differs from its children,
// which are still twins.
func TestTwins(t *testing.T) {
	m := engine.New(model(t, "3.19"))
	w := func(p string) engine.Event {
		return engine.Event{Op: engine.OpWrite, Range: engine.Range{Proc: p, Region: "heap"}}
	}
	fork := func(c string) engine.Event { return engine.Event{Op: engine.OpFork, Proc: "P", Child: c} }
	for _, ev := range []engine.Event{{Op: engine.OpSpawn, Proc: "P"}, {Op: engine.OpMmap, Proc: "P", Region: "heap", Pages: 1, Writable: true},
		fork("C1"), fork("C2")} {
		if refused(m, ev) {
			t.Fatal(ev)
		}
	}
	cfg := Config{Model: model(t, "3.19")}
	cfg.defaults()
	s := &search{cfg: cfg}
	wk := newWorker(s, m)
	wk.twins(m.State(), wk.skip)
	if !wk.skip["C2"] || !wk.skip["C1"] || wk.skip["P"] {
		t.Fatalf("skipped %v; want C1 and C2", wk.skip)
	}
	for _, ev := range s.alphabet(m.State()) {
		if eventProc(ev) == "P" {
			continue
		}
		twin := ev
		twin.Proc, twin.Range.Proc = map[string]string{"": ""}[ev.Proc], map[string]string{"": ""}[ev.Range.Proc]
		if ev.Proc != "" {
			twin.Proc = "P"
		}
		if ev.Range.Proc != "" {
			twin.Range.Proc = "P"
		}
		a, b := m.Clone(), m.Clone()
		if refused(a, ev) != refused(b, twin) {
			t.Fatalf("%s and %s: one refused", ev, twin)
		}
		if ea, eb := string(wk.enc.encode(a.State())), string(wk.enc.encode(b.State())); ea != eb {
			t.Errorf("%s and %s reach different states", ev, twin)
		}
	}
	if refused(m, w("P")) {
		t.Fatal("write refused")
	}
	wk.twins(m.State(), wk.skip)
	if len(wk.skip) != 1 || !wk.skip["C2"] {
		t.Errorf("after P writes, skipped %v; want C2 alone (C1 and C2 still hold nothing)", wk.skip)
	}
}

// TestShardsCoverTheSearch: the shards of a search store, together,
// exactly the states the whole search stores, and their merged report
// finds what it finds, at the same depth.
func TestShardsCoverTheSearch(t *testing.T) {
	base := Config{Model: model(t, "6.0"), Procs: 3, Pages: 2, Depth: 6, Kinds: []string{"write", "fork", "exit", "mprotect"}}
	whole := fingerprints(t, base)
	union := map[fingerprint]bool{}
	const n = 3
	for k := 1; k <= n; k++ {
		cfg := base
		cfg.Shard = Shard{K: k, N: n}
		part := fingerprints(t, cfg)
		if len(part) >= len(whole) {
			t.Errorf("shard %d/%d stored %d states, the whole search %d: it did not split", k, n, len(part), len(whole))
		}
		for fp := range part {
			if !whole[fp] {
				t.Fatalf("shard %d/%d stored a state the whole search did not", k, n)
			}
			union[fp] = true
		}
	}
	if len(union) != len(whole) {
		t.Errorf("the shards stored %d states together, the whole search %d", len(union), len(whole))
	}
}

// fingerprints runs a search and returns the states it stored.
func fingerprints(t *testing.T, cfg Config) map[fingerprint]bool {
	t.Helper()
	cfg.defaults()
	s, err := newSearch(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if res := s.run(context.Background()); res.Found != nil || res.Stopped != "" {
		t.Fatalf("%+v", res)
	}
	out := map[fingerprint]bool{}
	for _, fp := range s.seen.(*fpSet).slots {
		if fp != 0 {
			out[fp] = true
		}
	}
	return out
}
