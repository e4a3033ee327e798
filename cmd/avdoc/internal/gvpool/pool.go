// Package gvpool renders DOT with Graphviz in worker processes.
//
// go-graphviz runs Graphviz in one WebAssembly instance per process, which
// renders one graph at a time and whose memory only grows (by some 80 KB
// per small diagram, whether or not the Graphviz value is recreated). A
// [Pool] works around both: it sends each render to one of N worker
// processes, so that N renders run in parallel, and it replaces a worker
// once it has served a number of requests or moved a number of bytes, so
// that a long-running `avdoc serve` stays bounded in memory. The pool's
// own process never runs Graphviz.
//
// A worker is a process that runs [Serve] on its standard input and
// output; in avdoc it is the hidden command `avdoc __render-worker`. The
// two speak a small binary protocol, versioned by a hello (see proto.go):
// length-prefixed requests (engine, format, DOT) and responses (the
// output, or Graphviz's error message).
//
// Rendering is pure, so a request whose worker dies or garbles the
// protocol is tried once more on a fresh worker. A Graphviz error (DOT
// that does not parse) is the request's answer: the worker stays.
package gvpool

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/avdoc/avdoc/render/gv"
)

// The defaults of [Options].
const (
	// DefaultMaxRenders is the number of requests after which a worker is
	// replaced. A worker's memory grows ~80 KB per small render (its RSS
	// is ~36 MB after 50, ~67 MB after 200, ~234 MB after 1000), and a
	// replacement costs ~35 ms (a warm start, ~22 ms, and its first
	// render's warm-up), so 200 keeps a worker under ~70 MB for small
	// diagrams at ~0.2 ms per render, a few percent of a 3 ms frame.
	DefaultMaxRenders = 200
	// DefaultMaxBytes is the DOT plus output bytes after which a worker is
	// replaced: what bounds its memory when the diagrams are large, since
	// the WebAssembly memory grows with them (more than the bytes moved).
	DefaultMaxBytes = 64 << 20
	// DefaultGrace is how long a worker whose input is closed has to exit
	// before it is killed.
	DefaultGrace = 2 * time.Second
	// stderrTail is how many of a worker's last stderr bytes are kept
	// for error messages.
	stderrTail = 2 << 10
)

// Options configure a [Pool].
type Options struct {
	// Command returns the command that starts a worker: a process that
	// runs [Serve] on its standard input and output. It is called for
	// every worker started; the pool sets the command's Stdin, Stdout,
	// Stderr (kept for error messages, never shown) and WaitDelay.
	// Required.
	Command func() *exec.Cmd
	// Workers is the most worker processes running at once, and so the
	// most renders in parallel; 0 means runtime.NumCPU().
	Workers int
	// MaxRenders is the number of requests (rendered or failed) after
	// which a worker is replaced; 0 means DefaultMaxRenders.
	MaxRenders int
	// MaxBytes is the number of DOT plus output bytes after which a
	// worker is replaced; 0 means DefaultMaxBytes.
	MaxBytes int64
	// Grace is how long a worker may take to exit once its input is
	// closed before it is killed; 0 means DefaultGrace.
	Grace time.Duration
}

// ErrClosed is returned by Render on a closed Pool.
var ErrClosed = errors.New("gvpool: pool is closed")

// Stats are a Pool's counters since New.
type Stats struct {
	Renders   int64 // requests a worker answered with an output
	Errors    int64 // requests a worker answered with a Graphviz error
	Started   int64 // worker processes started
	Recycled  int64 // workers replaced for reaching MaxRenders or MaxBytes
	Failed    int64 // workers that died, broke the protocol, or were killed for a cancelled request
	Retries   int64 // requests tried again on a new worker after their worker failed
	MaxServed int64 // the most requests one worker has answered
}

// Pool renders DOT in worker processes. It is safe for concurrent use:
// each request goes to a free worker, started when none is idle and fewer
// than Workers run. Workers start lazily: a Pool that renders nothing
// starts nothing. Close it when done.
type Pool struct {
	opts  Options
	slots chan struct{} // a token per request in flight, at most Workers
	done  chan struct{} // closed by Close

	mu     sync.Mutex
	closed bool
	idle   []*worker
	live   map[*worker]struct{} // every worker whose process has not been reaped
	nextID int
	wg     sync.WaitGroup // a watch goroutine per live worker

	renders, errors, started, recycled, failed, retries, maxServed atomic.Int64
}

// New returns a Pool. It starts no process.
func New(opts Options) (*Pool, error) {
	if opts.Command == nil {
		return nil, errors.New("gvpool: Options.Command is required")
	}
	if opts.Workers < 0 || opts.MaxRenders < 0 || opts.MaxBytes < 0 || opts.Grace < 0 {
		return nil, fmt.Errorf("gvpool: negative option in %+v", opts)
	}
	if opts.Workers == 0 {
		opts.Workers = runtime.NumCPU()
	}
	if opts.MaxRenders == 0 {
		opts.MaxRenders = DefaultMaxRenders
	}
	if opts.MaxBytes == 0 {
		opts.MaxBytes = DefaultMaxBytes
	}
	if opts.Grace == 0 {
		opts.Grace = DefaultGrace
	}
	return &Pool{
		opts:  opts,
		slots: make(chan struct{}, opts.Workers),
		done:  make(chan struct{}),
		live:  map[*worker]struct{}{},
	}, nil
}

// NewSelf returns a Pool whose workers are this very executable,
// started with args (a hidden command that serves renders, see [Serve]),
// as opts say otherwise.
func NewSelf(opts Options, args ...string) (*Pool, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("finding the executable for the render workers: %w", err)
	}
	opts.Command = func() *exec.Cmd { return exec.Command(exe, args...) }
	return New(opts)
}

// Stats returns the pool's counters.
func (p *Pool) Stats() Stats {
	return Stats{
		Renders:   p.renders.Load(),
		Errors:    p.errors.Load(),
		Started:   p.started.Load(),
		Recycled:  p.recycled.Load(),
		Failed:    p.failed.Load(),
		Retries:   p.retries.Load(),
		MaxServed: p.maxServed.Load(),
	}
}

// Render lays dot out with engine e and writes it in format f, in a
// worker: the same output, and the same Graphviz errors, as
// [gv.Renderer.Render]. When ctx is done first, the worker busy with the
// request is killed and Render returns ctx's error.
func (p *Pool) Render(ctx context.Context, dot []byte, e gv.Engine, f gv.Format) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("gvpool: %w", err)
	}
	select {
	case p.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, fmt.Errorf("gvpool: waiting for a worker: %w", ctx.Err())
	case <-p.done:
		return nil, ErrClosed
	}
	defer func() { <-p.slots }()
	q := request{engine: e, format: f, dot: dot}
	var first error
	for {
		w, err := p.get(first != nil)
		if err != nil {
			return nil, errors.Join(first, err)
		}
		out, rerr, err := p.exchange(ctx, w, q)
		if err == nil {
			p.put(w)
			return out, rerr
		}
		p.failed.Add(1)
		switch {
		case ctx.Err() != nil:
			return nil, fmt.Errorf("gvpool: %w (the worker busy with the request was killed)", ctx.Err())
		case p.isClosed():
			return nil, fmt.Errorf("%w (while a worker was rendering: %v)", ErrClosed, err)
		case first != nil:
			return nil, fmt.Errorf("%w (it was the second try: %v)", err, first)
		}
		first = err
		p.retries.Add(1)
	}
}

// Close stops every worker: it closes their input, gives them the grace
// period to exit, kills those still running (a request still rendering
// fails), and waits until every process has been reaped. Render returns
// ErrClosed afterwards. Closing twice is harmless.
func (p *Pool) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		p.wg.Wait()
		return nil
	}
	p.closed = true
	close(p.done)
	idle := p.idle
	p.idle = nil
	live := make([]*worker, 0, len(p.live))
	for w := range p.live {
		live = append(live, w)
	}
	p.mu.Unlock()
	for _, w := range idle {
		w.retire()
	}
	deadline := time.NewTimer(p.opts.Grace)
	defer deadline.Stop()
	expired := false
	for _, w := range live {
		if !expired {
			select {
			case <-w.exited:
				continue
			case <-deadline.C:
				expired = true
			}
		}
		w.kill()
	}
	p.wg.Wait()
	return nil
}

func (p *Pool) isClosed() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.closed
}

// get returns an idle worker, or starts one: always a new one when fresh,
// for a retry. The caller holds a slot. The number of workers stays at
// most Workers: one starts only when none is idle, so that each slot
// holds at most one, or to replace the one a slot held.
func (p *Pool) get(fresh bool) (*worker, error) {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil, ErrClosed
	}
	if n := len(p.idle); n > 0 && !fresh {
		w := p.idle[n-1]
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		return w, nil
	}
	p.nextID++
	id := p.nextID
	p.mu.Unlock()
	return p.start(id)
}

// put gives a worker back after a request it answered, or replaces it.
func (p *Pool) put(w *worker) {
	for {
		old := p.maxServed.Load()
		if int64(w.served) <= old || p.maxServed.CompareAndSwap(old, int64(w.served)) {
			break
		}
	}
	if w.served >= p.opts.MaxRenders || w.bytes >= p.opts.MaxBytes {
		p.recycled.Add(1)
		w.retire()
		return
	}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		w.retire()
		return
	}
	p.idle = append(p.idle, w)
	p.mu.Unlock()
}

// worker is one worker process. Only the goroutine holding it (busy with
// its request, or the pool's idle list) uses in, out and the counters.
type worker struct {
	id      int
	cmd     *exec.Cmd
	in      *os.File      // the worker's standard input
	bw      *bufio.Writer // on in
	out     *os.File      // the worker's standard output
	br      *bufio.Reader // on out
	stderr  *tail
	helloOK bool  // the worker's hello has been read
	served  int   // requests answered
	bytes   int64 // DOT and output bytes moved

	retireOnce sync.Once
	retired    chan struct{} // closed when its input is closed for good
	exited     chan struct{} // closed when the process has been reaped
	waitErr    error         // how it exited, set before exited is closed
}

// start starts worker id and its watch goroutine.
func (p *Pool) start(id int) (*worker, error) {
	cmd := p.opts.Command()
	if cmd == nil {
		return nil, errors.New("gvpool: Options.Command returned nil")
	}
	inR, inW, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("gvpool: starting worker %d: %w", id, err)
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		inR.Close()
		inW.Close()
		return nil, fmt.Errorf("gvpool: starting worker %d: %w", id, err)
	}
	w := &worker{id: id, cmd: cmd, in: inW, out: outR, stderr: &tail{max: stderrTail},
		retired: make(chan struct{}), exited: make(chan struct{})}
	w.bw = bufio.NewWriterSize(inW, 64<<10)
	w.br = bufio.NewReaderSize(outR, 64<<10)
	// The pipes are *os.Files, so the child gets them directly and Wait
	// closes none of the pool's ends; stderr goes through a goroutine of
	// exec's into the tail, never to the terminal.
	cmd.Stdin, cmd.Stdout, cmd.Stderr = inR, outW, w.stderr
	cmd.WaitDelay = time.Second // do not wait forever for stderr held by a grandchild
	err = cmd.Start()
	inR.Close()
	outW.Close()
	if err != nil {
		inW.Close()
		outR.Close()
		return nil, fmt.Errorf("gvpool: starting worker %d (%s): %w", id, cmd, err)
	}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		cmd.Process.Kill()
		cmd.Wait()
		inW.Close()
		outR.Close()
		return nil, ErrClosed
	}
	p.live[w] = struct{}{}
	p.wg.Add(1)
	p.mu.Unlock()
	p.started.Add(1)
	go p.watch(w)
	w.bw.Write(hello()) // sent with the first request
	return w, nil
}

// watch reaps w's process: when it exits by itself, or within the grace
// period of its retirement, or else by killing it.
func (p *Pool) watch(w *worker) {
	defer p.wg.Done()
	go func() {
		w.waitErr = w.cmd.Wait()
		close(w.exited)
	}()
	select {
	case <-w.exited:
	case <-w.retired:
		t := time.NewTimer(p.opts.Grace)
		select {
		case <-w.exited:
		case <-t.C:
			w.kill()
			<-w.exited
		}
		t.Stop()
	}
	p.mu.Lock()
	delete(p.live, w)
	p.mu.Unlock()
}

// retire closes the pool's ends of w's pipes, so that w exits once it
// has read everything; its watch goroutine kills it if it takes longer
// than the grace period. Only the goroutine holding w (or Close, for an
// idle one) retires it: nothing reads or writes the pipes afterwards.
func (w *worker) retire() {
	w.retireOnce.Do(func() {
		w.in.Close()
		w.out.Close()
		close(w.retired)
	})
}

// stop stops a failed worker. Unless at once, it first closes its pipes
// and gives it a moment to exit by itself, so that the end of its stderr
// (a command that is not a worker may explain itself there) is kept.
func (w *worker) stop(atOnce bool) {
	w.retire()
	if !atOnce {
		t := time.NewTimer(250 * time.Millisecond)
		defer t.Stop()
		select {
		case <-w.exited:
			return
		case <-t.C:
		}
	}
	w.kill()
}

// kill kills w's process. Killing one that has exited is harmless.
func (w *worker) kill() {
	w.cmd.Process.Kill()
}

// exchange sends q to w and reads its answer: the output or a Graphviz
// error. err means the worker failed: it has been killed, and err says
// why, with the end of its stderr. A done ctx kills the worker.
func (p *Pool) exchange(ctx context.Context, w *worker, q request) (out []byte, renderErr, err error) {
	stop := context.AfterFunc(ctx, w.kill)
	out, renderErr, err = w.roundTrip(q)
	if !stop() && err == nil {
		// ctx was done as the answer arrived: the answer is good, but the
		// worker may have been killed, so it cannot serve again.
		err = ctx.Err()
	}
	if err != nil {
		w.stop(ctx.Err() != nil)
		return nil, nil, w.failure(err)
	}
	w.served++
	w.bytes += int64(len(q.dot) + len(out))
	if renderErr != nil {
		p.errors.Add(1)
	} else {
		p.renders.Add(1)
	}
	return out, renderErr, nil
}

func (w *worker) roundTrip(q request) ([]byte, error, error) {
	if err := writeRequest(w.bw, q); err != nil {
		return nil, nil, fmt.Errorf("sending the request: %w", err)
	}
	if err := w.bw.Flush(); err != nil {
		return nil, nil, fmt.Errorf("sending the request: %w", err)
	}
	if !w.helloOK {
		if err := readHello(w.br); err != nil {
			return nil, nil, fmt.Errorf("reading its hello: %w", noEOF(err))
		}
		w.helloOK = true
	}
	return readResponse(w.br)
}

// failure describes the failure of killed worker w: err, how the process
// ended, and the end of its stderr.
func (w *worker) failure(err error) error {
	t := time.NewTimer(2 * time.Second)
	defer t.Stop()
	status := "still running"
	select {
	case <-w.exited:
		status = "exited"
		if w.waitErr != nil {
			status = w.waitErr.Error()
		}
	case <-t.C:
	}
	stderr := "; its stderr is empty"
	if s := w.stderr.String(); s != "" {
		stderr = "; its stderr ends:\n" + s
	}
	return fmt.Errorf("gvpool: worker %d (pid %d, %s) failed: %w%s", w.id, w.cmd.Process.Pid, status, err, stderr)
}

// tail keeps the last max bytes written to it.
type tail struct {
	mu  sync.Mutex
	max int
	b   []byte
	cut bool // bytes were dropped from the front
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if over := len(t.b) - t.max; over > 0 {
		t.b = append(t.b[:0], t.b[over:]...)
		t.cut = true
	}
	return len(p), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := strings.TrimSpace(string(t.b))
	if t.cut && s != "" {
		s = "..." + s
	}
	return s
}

var _ io.Writer = (*tail)(nil)
