package gvpool

import (
	"context"
	"os"
	"os/exec"
	"sync"
	"testing"

	"github.com/avdoc/avdoc/render/gv"
)

// BenchmarkPool renders one batch of avdoc's own requests (realJobs: the
// layout passes and 67 frames of six shipped stories, and render's 26 DOT
// goldens, 105 in all) with the in-process gv.Renderer, then through
// pools of 1 and 2 workers fed by 8 goroutines, with the default
// recycling. The workers are started before the timing; their
// replacements are timed. Compare ns/op:
//
//	go test -run '^$' -bench Pool -benchtime 10x ./cmd/avdoc/internal/gvpool
func BenchmarkPool(b *testing.B) {
	jobs := realJobs(b)
	ctx := context.Background()
	b.Run("inprocess", func(b *testing.B) {
		rd, err := gv.New(ctx)
		if err != nil {
			b.Fatal(err)
		}
		defer rd.Close()
		for b.Loop() {
			for _, j := range jobs {
				if _, err := rd.Render(ctx, j.q.dot, j.q.engine, j.q.format); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N*len(jobs)), "ms/render")
	})
	exe, err := os.Executable()
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{1, 2} {
		b.Run("pool-N"+string(rune('0'+n)), func(b *testing.B) {
			p, err := New(Options{Workers: n, Command: func() *exec.Cmd {
				cmd := exec.Command(exe)
				cmd.Env = append(os.Environ(), workerEnv+"=serve")
				return cmd
			}})
			if err != nil {
				b.Fatal(err)
			}
			defer p.Close()
			batch(b, p, jobs) // start the workers
			for b.Loop() {
				batch(b, p, jobs)
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N*len(jobs)), "ms/render")
			st := p.Stats()
			b.ReportMetric(float64(st.Started), "workers")
		})
	}
}

// batch renders jobs through p from 8 goroutines.
func batch(b *testing.B, p *Pool, jobs []job) {
	work := make(chan job)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range work {
				if _, err := p.Render(context.Background(), j.q.dot, j.q.engine, j.q.format); err != nil {
					b.Error(err)
				}
			}
		}()
	}
	for _, j := range jobs {
		work <- j
	}
	close(work)
	wg.Wait()
}
