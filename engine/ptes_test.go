package engine

import (
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"
)

// scanned is Mappers without the index: every PTE of every live process.
func scanned(s *State, id PageID) []Mapping {
	var out []Mapping
	s.scanMappers(id, func(mp Mapping) bool { out = append(out, mp); return true })
	return out
}

// unindexed returns a copy of s that has no PTE index, so that its walks
// scan.
func unindexed(s *State) *State {
	c := *s
	c.rmap = nil
	return &c
}

// TestPTEIndexMatchesScan: in hundreds of random states of every model,
// for every page (and ids no page has), Mappers, Walk and Visits give
// what they give by a scan of every PTE, in the same order.
func TestPTEIndexMatchesScan(t *testing.T) {
	seeds := uint64(150)
	if testing.Short() {
		seeds = 30
	}
	for _, name := range ModelNames() {
		model := mustModel(t, name)
		for seed := uint64(1); seed <= seeds; seed++ {
			m := New(model)
			for i, ev := range genSequence(seed, 24) {
				res, _ := m.Step([]Event{ev})
				s := &res.State
				if s.rmap == nil {
					t.Fatalf("%s seed %d step %d: the snapshot has no PTE index", name, seed, i+1)
				}
				for id := PageID(0); int(id) <= len(s.Pages)+1; id++ {
					if got, want := s.Mappers(id), scanned(s, id); !slices.Equal(got, want) {
						t.Fatalf("%s seed %d step %d page %d: Mappers %v, a scan %v", name, seed, i+1, id, got, want)
					}
				}
				for _, pg := range s.Pages {
					got, want := s.Walk(pg.ID, "try_to_unmap"), unindexed(s).Walk(pg.ID, "try_to_unmap")
					if !reflect.DeepEqual(got, want) {
						t.Fatalf("%s seed %d step %d page %d: walk %+v, scanning %+v", name, seed, i+1, pg.ID, got, want)
					}
					if got, want := s.Visits(pg.ID), unindexed(s).Visits(pg.ID); got != want {
						t.Fatalf("%s seed %d step %d page %d: Visits %d, scanning %d", name, seed, i+1, pg.ID, got, want)
					}
				}
			}
		}
	}
}

// TestPTEIndexMachineWalks: under 2.6.6 the machine's own walks, in
// walk and swapout events (try_to_unmap unmapping each page in turn),
// find what a scan of the state before the event finds, page by page (in
// another order).
func TestPTEIndexMachineWalks(t *testing.T) {
	m := New(mustModel(t, "2.6.6"))
	var steps [][]Event
	steps = append(steps, []Event{sp("P"), mm("P", "heap", 6, 0, true), wr(whole("P", "heap"))})
	for i := 1; i <= 4; i++ {
		steps = append(steps, []Event{fk("P", fmt.Sprintf("C%d", i))})
	}
	steps = append(steps, []Event{wr(rng("C2", "heap", 1, 3))}, []Event{ex("C3")})
	res := run(t, m, steps...)
	before := &res[len(res)-1].State
	for _, ev := range []Event{{Op: OpWalk, Range: whole("P", "heap")}, {Op: OpSwapout, All: true}} {
		got, err := m.Step([]Event{ev})
		if err != nil {
			t.Fatalf("%s: %v", ev, err)
		}
		if len(got.Walks) == 0 {
			t.Fatalf("%s: no walks", ev)
		}
		for _, w := range got.Walks {
			var visited []Mapping
			for _, v := range w.Visits {
				visited = append(visited, Mapping{VMA: v.VMA, Addr: v.Addr})
			}
			// The walk goes newest PTE first (TestPTEChainNewestFirst);
			// here only what it finds matters.
			slices.SortFunc(visited, func(a, b Mapping) int { return int(a.VMA) - int(b.VMA) })
			if want := scanned(before, w.Page); len(want) == 0 || !slices.Equal(visited, want) {
				t.Errorf("%s: the walk of page %d visits %v; a scan before the event finds %v", ev, w.Page, visited, want)
			}
		}
		if m.st.rmap != nil {
			t.Errorf("%s: the machine's state keeps a PTE index after the event", ev)
		}
		before = &got.State
	}
	for _, pg := range before.Pages {
		if !pg.Freed && pg.Mapcount != 0 {
			t.Errorf("page %d is still mapped %d time(s) after swapout all", pg.ID, pg.Mapcount)
		}
	}
}

// TestPTEIndexShared: a step that changes no PTE gives a snapshot with
// the previous one's index, already built; one that does, a new one. A
// clone of the machine has none.
func TestPTEIndexShared(t *testing.T) {
	m := New(mustModel(t, "2.6.6"))
	res := run(t, m, []Event{sp("P"), mm("P", "heap", 2, 0, true), wr(whole("P", "heap"))}, []Event{fk("P", "C")})
	s := &res[1].State
	if got := len(s.Walk(1, "page_referenced").Visits); got != 2 {
		t.Fatalf("the walk of page 1 visits %d VMAs, want 2", got)
	}
	same := run(t, m, []Event{{Op: OpWalk, Range: whole("C", "heap")}})[0].State
	if same.rmap != s.rmap {
		t.Error("a walk changed no PTE, but the next snapshot has a new index")
	}
	changed := run(t, m, []Event{wr(rng("C", "heap", 0, 0))})[0].State
	if changed.rmap == s.rmap {
		t.Error("C's write changed a PTE, but the next snapshot shares the old index")
	}
	if got, want := changed.Mappers(1), []Mapping{{VMA: 1, Addr: changed.VMA(1).Start}}; !slices.Equal(got, want) {
		t.Errorf("after C's write, page 1 is mapped at %v, want %v", got, want)
	}
	if c := m.Clone(); c.State().rmap != nil {
		t.Error("a clone of the machine has a PTE index on its own state")
	}
}

// TestPTEIndexConcurrentReaders: goroutines walking one snapshot at once
// build its index once and agree (run with -race).
func TestPTEIndexConcurrentReaders(t *testing.T) {
	res := run(t, New(mustModel(t, "2.6.6")), rikSteps(20, 20)...)
	s := &res[len(res)-1].State
	want := make([]int, len(s.Pages))
	for i := range s.Pages {
		want[i] = len(scanned(s, s.Pages[i].ID))
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range s.Pages {
				if got := s.Visits(s.Pages[i].ID); got != want[i] {
					errs <- fmt.Sprintf("page %d: %d visits, want %d", s.Pages[i].ID, got, want[i])
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
