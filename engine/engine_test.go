package engine

import (
	"fmt"
	"strings"
	"testing"

	"github.com/avdoc/avdoc/internal/golden"
)

func mustModel(t *testing.T, name string) Model {
	t.Helper()
	m, err := Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func rng(proc, region string, first, last int) Range {
	return Range{Proc: proc, Region: region, First: first, Last: last}
}

func whole(proc, region string) Range { return Range{Proc: proc, Region: region, Whole: true} }

// run applies steps and returns the results, failing on any refused event.
func run(t *testing.T, m *Machine, steps ...[]Event) []StepResult {
	t.Helper()
	var out []StepResult
	for i, evs := range steps {
		res, err := m.Step(evs)
		if err != nil {
			t.Fatalf("step %d: %v", i+1, err)
		}
		out = append(out, res)
	}
	return out
}

// g1 is kernel-rmap-spec §13 G1: P maps and writes 2 pages, forks C, and C
// writes page 0.
func g1() [][]Event {
	return [][]Event{
		{{Op: OpSpawn, Proc: "P"}, {Op: OpMmap, Proc: "P", Region: "heap", Pages: 2, Writable: true}, {Op: OpWrite, Range: whole("P", "heap")}},
		{{Op: OpFork, Proc: "P", Child: "C"}},
		{{Op: OpWrite, Range: rng("C", "heap", 0, 0)}},
		{{Op: OpWalk, Range: rng("C", "heap", 0, 1)}},
	}
}

func TestG1Dump(t *testing.T) {
	m := New(mustModel(t, "2.6.34"))
	var b strings.Builder
	for _, r := range run(t, m, g1()...) {
		fmt.Fprintf(&b, "== step %d\n", r.Step)
		for _, l := range r.Log {
			fmt.Fprintf(&b, "log %s\n", l)
		}
		b.WriteString(r.State.Dump())
		for _, v := range r.Violations {
			fmt.Fprintf(&b, "violation %s\n", v)
		}
	}
	golden.Check(t, "testdata/g1-2.6.34.dump", []byte(b.String()))
}

// TestG1Structure pins the structure §13 G1 gives for 2.6.34 directly, so
// that the golden dump is not the only witness.
func TestG1Structure(t *testing.T) {
	m := New(mustModel(t, "2.6.34"))
	res := run(t, m, g1()...)
	s := &res[2].State
	p, c := s.ProcByName("P"), s.ProcByName("C")
	pv, cv := s.VMA(p.VMAs[0]), s.VMA(c.VMAs[0])
	avP, avC := pv.AnonVMA, cv.AnonVMA
	names := func(v *VMA) []string {
		var out []string
		for _, id := range v.Chain {
			out = append(out, s.AnonVMA(s.AVC(id).AnonVMA).Name)
		}
		return out
	}
	checks := []struct {
		what      string
		got, want any
	}{
		{"P chain", fmt.Sprint(names(pv)), "[P:heap]"},
		{"C chain", fmt.Sprint(names(cv)), "[C:heap P:heap]"},
		{"AV_P set size", len(s.AnonVMA(avP).Head), 2},
		{"AV_C set size", len(s.AnonVMA(avC).Head), 1},
		{"page0 of P -> AV_P", s.Page(pv.PTEs[0].Page).Mapping, avP},
		{"page0 of C -> AV_C", s.Page(cv.PTEs[0].Page).Mapping, avC},
		{"page1 shared", pv.PTEs[1].Page, cv.PTEs[1].Page},
		{"page1 -> AV_P", s.Page(pv.PTEs[1].Page).Mapping, avP},
		{"page1 mapcount", s.Page(pv.PTEs[1].Page).Mapcount, 2},
		{"page0 of P mapcount", s.Page(pv.PTEs[0].Page).Mapcount, 1},
		{"violations", len(res[2].Violations), 0},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %v, want %v", c.what, c.got, c.want)
		}
	}
	walks := res[3].Walks
	if len(walks) != 2 {
		t.Fatalf("walk step made %d walks, want 2", len(walks))
	}
	visited := func(w Walk) string {
		var out []string
		for _, v := range w.Visits {
			out = append(out, s.Proc(s.VMA(v.VMA).Proc).Name)
		}
		return strings.Join(out, ",")
	}
	if got := visited(walks[0]); got != "C" {
		t.Errorf("walk of C's page 0 visits %s, want C", got)
	}
	if got := visited(walks[1]); got != "P,C" {
		t.Errorf("walk of page 1 visits %s, want P,C", got)
	}
}
