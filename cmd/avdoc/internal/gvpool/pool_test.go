package gvpool

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/avdoc/avdoc/render/gv"
)

// The test binary is its own worker: started with workerEnv set, it runs
// a worker instead of the tests.
const (
	workerEnv = "GVPOOL_TEST_WORKER" // "serve", or "badhello"
	flagEnv   = "GVPOOL_TEST_FLAG"   // a file whose creation marks a -ONCE trigger as used
)

func TestMain(m *testing.M) {
	switch mode := os.Getenv(workerEnv); mode {
	case "":
		os.Exit(m.Run())
	case "serve":
		os.Exit(testWorker())
	case "badhello": // a command that is not a worker
		fmt.Println("usage: something else")
		fmt.Fprintln(os.Stderr, "fake worker: I do not speak the protocol")
		os.Exit(2)
	default:
		fmt.Fprintf(os.Stderr, "unknown %s=%s\n", workerEnv, mode)
		os.Exit(2)
	}
}

// testWorker is a worker like avdoc's, with a trickster renderer.
func testWorker() int {
	ctx := context.Background()
	rd, err := gv.New(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer rd.Close()
	if err := Serve(ctx, os.Stdin, os.Stdout, trickster{rd: rd, flag: os.Getenv(flagEnv)}); err != nil {
		fmt.Fprintf(os.Stderr, "fake worker: %v\n", err)
		return 1
	}
	return 0
}

// trickster renders with gv, but misbehaves when the DOT starts with a
// trigger comment: /*CRASH*/ exits, /*GARBLE*/ writes junk into the
// protocol, /*PANIC*/ panics, /*SLOW*/ takes a minute. With -ONCE
// (/*CRASH-ONCE*/), only the first worker of a test to see it does.
type trickster struct {
	rd   *gv.Renderer
	flag string
}

func (t trickster) Render(ctx context.Context, dot []byte, e gv.Engine, f gv.Format) ([]byte, error) {
	trig := ""
	if rest, ok := bytes.CutPrefix(dot, []byte("/*")); ok {
		trig, _, _ = strings.Cut(string(rest), "*/")
	}
	if base, ok := strings.CutSuffix(trig, "-ONCE"); ok {
		trig = ""
		if f, err := os.OpenFile(t.flag, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644); err == nil {
			f.Close()
			trig = base
		}
	}
	switch trig {
	case "CRASH":
		fmt.Fprintln(os.Stderr, "fake worker: crashing as told")
		os.Exit(3)
	case "GARBLE":
		os.Stdout.WriteString("garbage!")
	case "PANIC":
		panic("fake worker: panicking as told")
	case "SLOW":
		time.Sleep(time.Minute)
	}
	return t.rd.Render(ctx, dot, e, f)
}

// harness starts pools of test workers and keeps their commands.
type harness struct {
	flag string
	mu   sync.Mutex
	cmds []*exec.Cmd
}

// newPool returns a pool of test workers in mode, with opts (but for
// Command). The test fails if a worker outlives Close.
func newPool(t *testing.T, mode string, opts Options) (*Pool, *harness) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{flag: filepath.Join(t.TempDir(), "flag")}
	opts.Command = func() *exec.Cmd {
		cmd := exec.Command(exe)
		cmd.Env = append(os.Environ(), workerEnv+"="+mode, flagEnv+"="+h.flag)
		h.mu.Lock()
		h.cmds = append(h.cmds, cmd)
		h.mu.Unlock()
		return cmd
	}
	p, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		p.Close()
		h.checkReaped(t)
	})
	return p, h
}

// started returns the number of commands the pool asked for.
func (h *harness) started() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.cmds)
}

// pid returns the process id of the i-th worker.
func (h *harness) pid(i int) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.cmds[i].Process.Pid
}

// checkReaped fails the test unless every worker has exited and been
// waited for, and this process has no child left. Call it after Close.
func (h *harness) checkReaped(t *testing.T) {
	t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	for i, cmd := range h.cmds {
		if cmd.Process != nil && cmd.ProcessState == nil {
			t.Errorf("worker %d (pid %d) was not reaped by Close", i+1, cmd.Process.Pid)
		}
	}
	if kids, ok := children(); ok && len(kids) > 0 {
		t.Errorf("child processes left after Close: %v", kids)
	}
}

// children lists this process's child processes, where Linux says
// (/proc/self/task/*/children); ok is false elsewhere.
func children() (pids []string, ok bool) {
	tasks, _ := filepath.Glob("/proc/self/task/*/children")
	for _, f := range tasks {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		ok = true
		pids = append(pids, strings.Fields(string(b))...)
	}
	return pids, ok
}

// waitFor polls cond for up to 10 seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
	}
}

// liveWorkers is the number of worker processes not yet reaped.
func (p *Pool) liveWorkers() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.live)
}

// small is a graph and what the in-process renderer makes of it.
func small(t *testing.T) ([]byte, []byte) {
	t.Helper()
	dot := []byte("digraph g { a -> b -> c; a -> c [label=\"x\"] }")
	return dot, inProcess(t, dot, gv.DOT, gv.SVG)
}

func inProcess(t *testing.T, dot []byte, e gv.Engine, f gv.Format) []byte {
	t.Helper()
	rd, err := gv.New(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	out, err := rd.Render(context.Background(), dot, e, f)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func mustRender(t *testing.T, p *Pool, dot, want []byte) {
	t.Helper()
	got, err := p.Render(context.Background(), dot, gv.DOT, gv.SVG)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("output differs from the in-process renderer's (%d bytes, want %d)", len(got), len(want))
	}
}

func TestNewRejectsBadOptions(t *testing.T) {
	cmd := func() *exec.Cmd { return exec.Command("true") }
	for _, opts := range []Options{
		{},
		{Command: cmd, Workers: -1},
		{Command: cmd, MaxRenders: -1},
		{Command: cmd, MaxBytes: -1},
		{Command: cmd, Grace: -1},
	} {
		if _, err := New(opts); err == nil {
			t.Errorf("New(%+v) = nil error, want one", opts)
		}
	}
	p, err := New(Options{Command: cmd})
	if err != nil {
		t.Fatal(err)
	}
	if p.opts.Workers != runtime.NumCPU() || p.opts.MaxRenders != DefaultMaxRenders ||
		p.opts.MaxBytes != DefaultMaxBytes || p.opts.Grace != DefaultGrace {
		t.Errorf("defaults not applied: %+v", p.opts)
	}
}

// TestLazy: a pool that renders nothing starts nothing, and the first
// render starts one worker.
func TestLazy(t *testing.T) {
	p, h := newPool(t, "serve", Options{Workers: 2})
	if h.started() != 0 || p.Stats().Started != 0 {
		t.Fatalf("New started %d workers (stats %+v), want none", h.started(), p.Stats())
	}
	dot, want := small(t)
	mustRender(t, p, dot, want)
	if h.started() != 1 || p.Stats().Started != 1 {
		t.Fatalf("one render started %d workers (stats %+v), want 1", h.started(), p.Stats())
	}
}

// TestIdenticalConcurrent renders avdoc's real requests (the layout
// passes and frames of shipped stories, and render's DOT goldens) from 8
// goroutines through 2 workers, and compares every output to the
// in-process renderer's, byte for byte.
func TestIdenticalConcurrent(t *testing.T) {
	jobs := realJobs(t)
	// No recycling here, so that exactly 2 workers start.
	p, h := newPool(t, "serve", Options{Workers: 2, MaxRenders: 1 << 20})
	const goroutines = 8
	var wg sync.WaitGroup
	errs := make(chan error, goroutines*len(jobs))
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Each goroutine renders every other job, from its own
			// starting point, so that all run in many interleavings.
			for i := range len(jobs) / 2 {
				j := jobs[(g*len(jobs)/goroutines+2*i+g%2)%len(jobs)]
				got, err := p.Render(context.Background(), j.q.dot, j.q.engine, j.q.format)
				switch {
				case err != nil:
					errs <- fmt.Errorf("%s: %v", j.name, err)
				case !bytes.Equal(got, j.want):
					errs <- fmt.Errorf("%s (%s, %s): output differs from the in-process renderer's (%d bytes, want %d)",
						j.name, j.q.engine, j.q.format, len(got), len(j.want))
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	st := p.Stats()
	if want := int64(goroutines * (len(jobs) / 2)); st.Renders != want {
		t.Errorf("stats count %d renders, want %d", st.Renders, want)
	}
	if st.Started != 2 || h.started() != 2 {
		t.Errorf("%d workers started (%d commands), want 2: one per slot, no more", st.Started, h.started())
	}
	t.Logf("%d jobs, stats %+v", len(jobs), st)
}

// TestRecycle: a worker is replaced after MaxRenders requests, or past
// MaxBytes, by a new process, and the outputs stay identical.
func TestRecycle(t *testing.T) {
	dot, want := small(t)
	for _, c := range []struct {
		name         string
		opts         Options
		renders      int
		wantStarted  int64
		wantRecycled int64
		wantMax      int64
	}{
		{"after 5 renders", Options{Workers: 1, MaxRenders: 5}, 23, 5, 4, 5},
		{"after 1 render", Options{Workers: 1, MaxRenders: 1}, 3, 3, 3, 1},
		{"past 1 byte", Options{Workers: 1, MaxBytes: 1}, 3, 3, 3, 1},
		{"past 3 renders' bytes", Options{Workers: 1, MaxBytes: int64(3 * (len(dot) + len(want)))}, 7, 3, 2, 3},
		{"defaults", Options{Workers: 1}, 7, 1, 0, 7},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, h := newPool(t, "serve", c.opts)
			for range c.renders {
				mustRender(t, p, dot, want)
			}
			st := p.Stats()
			if st.Started != c.wantStarted || st.Recycled != c.wantRecycled || st.MaxServed != c.wantMax {
				t.Errorf("after %d renders: %d started, %d recycled, at most %d served by one; want %d, %d, %d",
					c.renders, st.Started, st.Recycled, st.MaxServed, c.wantStarted, c.wantRecycled, c.wantMax)
			}
			pids := map[int]bool{}
			for i := range h.started() {
				pids[h.pid(i)] = true
			}
			if int64(len(pids)) != c.wantStarted {
				t.Errorf("%d distinct worker processes, want %d", len(pids), c.wantStarted)
			}
			waitFor(t, "the recycled workers have exited", func() bool { return p.liveWorkers() <= 1 })
		})
	}
}

// TestWorkerFailure: a worker that dies, garbles the protocol or panics
// is replaced, the request tried again once, and the next request works.
func TestWorkerFailure(t *testing.T) {
	dot, want := small(t)
	for _, c := range []struct {
		name        string
		mode        string
		prefix      string // a trigger for the trickster
		killFirst   bool   // kill the first worker from outside
		wantErr     []string
		wantStarted int64 // after the failing request and one more
	}{
		{name: "killed while idle", mode: "serve", killFirst: true, wantStarted: 2},
		{name: "crashes once", mode: "serve", prefix: "/*CRASH-ONCE*/", wantStarted: 2},
		{name: "garbles once", mode: "serve", prefix: "/*GARBLE-ONCE*/", wantStarted: 2},
		{name: "panics once", mode: "serve", prefix: "/*PANIC-ONCE*/", wantStarted: 2},
		{name: "always crashes", mode: "serve", prefix: "/*CRASH*/", wantStarted: 3,
			wantErr: []string{"exit status 3", "fake worker: crashing as told", "second try"}},
		{name: "always panics", mode: "serve", prefix: "/*PANIC*/", wantStarted: 3,
			wantErr: []string{"exit status 1", "fake worker: panicking as told"}},
		{name: "always garbles", mode: "serve", prefix: "/*GARBLE*/", wantStarted: 3,
			wantErr: []string{"garbled response: status byte 0x67"}},
		{name: "not a worker", mode: "badhello", wantStarted: 2,
			wantErr: []string{`not a render worker stream: it starts "usage:"`, "I do not speak the protocol"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, h := newPool(t, c.mode, Options{Workers: 1})
			if c.killFirst {
				mustRender(t, p, dot, want)
				if err := syscall.Kill(h.pid(0), syscall.SIGKILL); err != nil {
					t.Fatal(err)
				}
				waitFor(t, "the killed worker is reaped", func() bool { return p.liveWorkers() == 0 })
			}
			bad := append([]byte(c.prefix), dot...)
			got, err := p.Render(context.Background(), bad, gv.DOT, gv.SVG)
			if c.wantErr == nil {
				if err != nil {
					t.Fatalf("Render: %v, want the retry to succeed", err)
				}
				if !bytes.Equal(got, want) {
					t.Fatalf("the retry's output differs from the in-process renderer's")
				}
			} else {
				if err == nil {
					t.Fatal("Render succeeded, want an error")
				}
				for _, s := range c.wantErr {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("error lacks %q:\n%v", s, err)
					}
				}
			}
			if st := p.Stats(); st.Retries != 1 {
				t.Errorf("%d retries, want 1 (stats %+v)", st.Retries, st)
			}
			if c.mode == "serve" {
				mustRender(t, p, dot, want)
			}
			if st := p.Stats(); st.Started != c.wantStarted {
				t.Errorf("%d workers started, want %d (stats %+v)", st.Started, c.wantStarted, st)
			}
		})
	}
}

// TestGraphvizError: DOT that does not parse, or an engine or format gv
// refuses, gives gv's own error, and the worker survives.
func TestGraphvizError(t *testing.T) {
	dot, want := small(t)
	rd, err := gv.New(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	p, _ := newPool(t, "serve", Options{Workers: 1})
	mustRender(t, p, dot, want)
	for i, c := range []struct {
		dot string
		e   gv.Engine
		f   gv.Format
	}{
		{"digraph { a -> ; }", gv.DOT, gv.SVG},
		{"", gv.DOT, gv.SVG},
		{"digraph { a }", "neato", gv.SVG},
		{"digraph { a }", gv.DOT, "pdf"},
	} {
		_, err := p.Render(context.Background(), []byte(c.dot), c.e, c.f)
		_, inErr := rd.Render(context.Background(), []byte(c.dot), c.e, c.f)
		if err == nil || inErr == nil || err.Error() != inErr.Error() {
			t.Errorf("Render(%q, %s, %s) = %v; want the in-process error %v", c.dot, c.e, c.f, err, inErr)
		}
		if st := p.Stats(); st.Errors != int64(i+1) {
			t.Errorf("%d errors counted, want %d", st.Errors, i+1)
		}
		mustRender(t, p, dot, want)
	}
	if st := p.Stats(); st.Started != 1 || st.Failed != 0 || st.Retries != 0 {
		t.Errorf("stats %+v, want 1 worker started and none failed", st)
	}
}

// TestCancel: a cancelled request kills its worker and returns at once;
// a request waiting for a busy worker gives up; the next request works.
func TestCancel(t *testing.T) {
	dot, want := small(t)
	p, h := newPool(t, "serve", Options{Workers: 1})
	mustRender(t, p, dot, want)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()

	slow := make(chan error, 1)
	go func() {
		_, err := p.Render(ctx, append([]byte("/*SLOW*/"), dot...), gv.DOT, gv.SVG)
		slow <- err
	}()
	// A second request waits for the only worker, until its own deadline.
	time.Sleep(50 * time.Millisecond)
	wctx, wcancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer wcancel()
	if _, err := p.Render(wctx, dot, gv.DOT, gv.SVG); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("waiting request: %v, want the deadline", err)
	}
	start := time.Now()
	select {
	case err := <-slow:
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("slow request: %v, want the deadline", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a cancelled request still runs after 10 seconds")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("the cancelled request returned %v after its deadline", d)
	}
	waitFor(t, "the killed worker is reaped", func() bool { return p.liveWorkers() == 0 })
	h.mu.Lock()
	state := h.cmds[0].ProcessState
	h.mu.Unlock()
	if ws, ok := state.Sys().(syscall.WaitStatus); !ok || ws.Signal() != syscall.SIGKILL {
		t.Errorf("the worker ended with %v, want killed", state)
	}
	if _, err := p.Render(ctx, dot, gv.DOT, gv.SVG); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("render with a done context: %v, want its error", err)
	}
	mustRender(t, p, dot, want)
	if st := p.Stats(); st.Started != 2 || st.Failed != 1 || st.Retries != 0 {
		t.Errorf("stats %+v, want 2 workers started, 1 failed, no retry", st)
	}
}

// TestClose: Close stops every worker, idle or busy, reaps them all, and
// makes Render fail.
func TestClose(t *testing.T) {
	dot, want := small(t)
	for _, busy := range []bool{false, true} {
		t.Run("busy="+strconv.FormatBool(busy), func(t *testing.T) {
			p, h := newPool(t, "serve", Options{Workers: 2, Grace: 200 * time.Millisecond})
			var wg sync.WaitGroup
			for range 4 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if got, err := p.Render(context.Background(), dot, gv.DOT, gv.SVG); err != nil || !bytes.Equal(got, want) {
						t.Errorf("Render: %v, or an output unlike the in-process renderer's", err)
					}
				}()
			}
			wg.Wait()
			slow := make(chan error, 1)
			if busy {
				go func() {
					_, err := p.Render(context.Background(), append([]byte("/*SLOW*/"), dot...), gv.DOT, gv.SVG)
					slow <- err
				}()
				time.Sleep(100 * time.Millisecond)
			}
			start := time.Now()
			if err := p.Close(); err != nil {
				t.Fatal(err)
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("Close took %v with a grace period of 200ms", d)
			}
			h.checkReaped(t)
			if busy {
				if err := <-slow; !errors.Is(err, ErrClosed) {
					t.Errorf("the request in flight got %v, want ErrClosed", err)
				}
			}
			if _, err := p.Render(context.Background(), dot, gv.DOT, gv.SVG); !errors.Is(err, ErrClosed) {
				t.Errorf("Render after Close: %v, want ErrClosed", err)
			}
			if err := p.Close(); err != nil {
				t.Errorf("second Close: %v", err)
			}
			if n := h.started(); n != 2 {
				t.Errorf("%d workers started, want 2", n)
			}
		})
	}
}

// TestMemory is the serve case: 300 renders through workers replaced
// every 50 leave no worker past 50, and the pool's own heap does not grow
// with the number of renders, as it would if it rendered itself.
func TestMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("renders 300 frames")
	}
	fr := frames(realJobs(t))
	const k = 50
	p, _ := newPool(t, "serve", Options{Workers: 2, MaxRenders: k})
	heap := func() uint64 {
		runtime.GC()
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapInuse
	}
	var wg sync.WaitGroup
	render := func(from, to int) {
		work := make(chan job)
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := range work {
					got, err := p.Render(context.Background(), j.q.dot, j.q.engine, j.q.format)
					if err != nil {
						t.Error(err)
					} else if !bytes.Equal(got, j.want) {
						t.Errorf("%s: output differs from the in-process renderer's", j.name)
					}
				}
			}()
		}
		for i := from; i < to; i++ {
			work <- fr[i%len(fr)]
		}
		close(work)
		wg.Wait()
	}
	render(0, 100)
	h100 := heap()
	render(100, 300)
	h300 := heap()
	st := p.Stats()
	t.Logf("heap in use after 100 renders %.1f MiB, after 300 %.1f MiB; stats %+v",
		float64(h100)/(1<<20), float64(h300)/(1<<20), st)
	if st.Renders != 300 || st.MaxServed > k || st.Started < 300/k {
		t.Errorf("stats %+v: want 300 renders, none past %d per worker, at least %d workers", st, k, 300/k)
	}
	// The same 200 frames rendered in-process grow this heap by ~4 MiB
	// (from ~13 MiB; WebAssembly memory grows in steps): allow an eighth
	// of the heap and 1 MiB of noise. Through the pool it does not grow.
	if h300 > h100+h100/8+1<<20 {
		t.Errorf("the pool's heap grew from %d to %d bytes over 200 renders", h100, h300)
	}
}
