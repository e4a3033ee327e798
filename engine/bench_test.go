package engine

import (
	"fmt"
	"runtime"
	"testing"
)

// rikSteps is Rik van Riel's scenario (kernel-rmap-spec §12.1) as a story
// would tell it: P maps and writes `pages` pages, forks `children`
// children, then every child writes every page.
func rikSteps(children, pages int) [][]Event {
	setup := []Event{sp("P"), mm("P", "heap", pages, 0, true), wr(whole("P", "heap"))}
	var forks, writes []Event
	for i := 1; i <= children; i++ {
		c := fmt.Sprintf("C%d", i)
		forks = append(forks, fk("P", c))
		writes = append(writes, wr(whole(c, "heap")))
	}
	return [][]Event{setup, forks, writes}
}

// BenchmarkRik1000 runs the 1000-children x 1000-pages scenario per
// model ("build": every step, with its snapshot and invariant check),
// then walks every page of the result once ("walk-all"), reporting the
// VMAs visited (the cost the anon_vma_chain rewrite cut) and the heap in
// use at the end (the live snapshots of every step).
func BenchmarkRik1000(b *testing.B) {
	for _, model := range []string{"2.6.6", "2.6.33", "2.6.34"} {
		m0, err := Lookup(model)
		if err != nil {
			b.Fatal(err)
		}
		var last StepResult
		b.Run(model+"/build", func(b *testing.B) {
			b.ReportAllocs()
			var inuse uint64
			for b.Loop() {
				m := New(m0)
				for _, evs := range rikSteps(1000, 1000) {
					if last, err = m.Step(evs); err != nil {
						b.Fatal(err)
					}
				}
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				inuse = ms.HeapInuse
				runtime.KeepAlive(m)
			}
			b.ReportMetric(float64(inuse)/(1<<20), "heap-MB")
		})
		b.Run(model+"/walk-all", func(b *testing.B) {
			var visits int
			for b.Loop() {
				visits = 0
				for _, pg := range last.State.Pages {
					if !pg.Freed {
						visits += last.State.Visits(pg.ID)
					}
				}
			}
			b.ReportMetric(float64(visits), "visits")
		})
	}
}

// BenchmarkRik1000Step times one step of the 1000 x 1000 scenario at a
// time, as [Machine.Step] makes it (events, snapshot and invariant
// check), the steps before it run outside the timing: "fork" forks the
// thousand children, "write" makes them write every page (a million COW
// faults). A step is short enough to compare old and new code in one
// run on a shared machine; report ratios of the same run.
func BenchmarkRik1000Step(b *testing.B) {
	steps := rikSteps(1000, 1000)
	for _, model := range []string{"2.6.33", "2.6.34"} {
		m0, err := Lookup(model)
		if err != nil {
			b.Fatal(err)
		}
		for i, name := range []string{"fork", "write"} {
			b.Run(model+"/"+name, func(b *testing.B) {
				b.ReportAllocs()
				var res StepResult
				for range b.N {
					b.StopTimer()
					m := New(m0)
					for _, evs := range steps[:i+1] {
						if _, err := m.Step(evs); err != nil {
							b.Fatal(err)
						}
					}
					runtime.GC() // the garbage of the last machine is not the step's
					b.StartTimer()
					if res, err = m.Step(steps[i+1]); err != nil {
						b.Fatal(err)
					}
				}
				if len(res.Violations) > 0 {
					b.Fatalf("%s %s: %v", model, name, res.Violations)
				}
			})
		}
	}
}
