package explore

import (
	"context"
	"fmt"
	"runtime/metrics"
	"sync"
	"time"

	"github.com/avdoc/avdoc/engine"
)

// Run explores breadth first, so that the first finding is a shortest one.
func Run(ctx context.Context, cfg Config) (Result, error) {
	if err := cfg.Validate(); err != nil {
		return Result{}, err
	}
	cfg.defaults()
	s, err := newSearch(cfg)
	if err != nil {
		return Result{}, err
	}
	return s.run(ctx), nil
}

// search is one run of the explorer: the states stored so far, and the
// workers that extend them.
type search struct {
	cfg     Config
	setup   []engine.Event
	seen    visited
	nodes   []node // node 0 is the state after the setup
	workers []*worker
	res     Result
	start   time.Time
	mem     heapGauge
	// lastProgress is when Progress was last called.
	lastProgress time.Time
}

func newSearch(cfg Config) (*search, error) {
	s := &search{cfg: cfg, seen: visited(newFPSet()), start: time.Now()}
	if cfg.Exact {
		s.seen = newExactSet()
	}
	s.setup = Setup(cfg.Pages)
	root := engine.New(cfg.Model)
	if _, err := root.Advance(s.setup); err != nil {
		return nil, fmt.Errorf("setting up: %w", err)
	}
	for i, ev := range cfg.Prefix {
		if _, err := root.Advance([]engine.Event{ev}); err != nil {
			return nil, fmt.Errorf("running the prefix: event %d, %s: %w", i+1, ev, err)
		}
	}
	w := newWorker(s, root)
	s.seen.add(fingerprintOf(w.enc.encode(root.State())), w.enc.b)
	s.nodes = append(s.nodes, node{parent: maxNodes})
	s.res.States = 1
	s.workers = append(s.workers, w)
	for len(s.workers) < cfg.Workers {
		s.workers = append(s.workers, newWorker(s, root.Clone()))
	}
	return s, nil
}

// run extends the search one depth at a time.
func (s *search) run(ctx context.Context) Result {
	fr := frontier{lo: 0, hi: 1, step: 1}
	for depth := 1; depth <= s.cfg.Depth && fr.size() > 0; depth++ {
		fr = s.split(fr, depth-1)
		stop := s.level(ctx, fr, depth)
		if s.res.Found != nil || stop != "" {
			s.res.Stopped = stop
			break
		}
		s.res.Depth = depth
		fr = frontier{lo: fr.hi, hi: len(s.nodes), step: 1}
		s.progress(true, depth, fr.size())
	}
	s.res.PeakHeap = max(s.res.PeakHeap, s.mem.read())
	s.res.StoreBytes = s.seen.bytes() + uint64(cap(s.nodes))*nodeBytes
	return s.res
}

// nodeBytes is the size of a parent link.
const nodeBytes = 8

// frontier is the states to extend at one depth: node ids lo+offset,
// lo+offset+step, … below hi.
type frontier struct{ lo, hi, step, offset int }

func (f frontier) size() int {
	if f.lo+f.offset >= f.hi {
		return 0
	}
	return (f.hi - f.lo - f.offset + f.step - 1) / f.step
}

func (f frontier) id(i int) uint32 { return uint32(f.lo + f.offset + i*f.step) }

// split keeps this shard's part of the frontier, the first time the
// frontier is big enough to share.
func (s *search) split(fr frontier, depth int) frontier {
	sh := s.cfg.Shard
	if sh.N <= 1 || s.res.SplitDepth > 0 || fr.size() <= splitPerShard*sh.N {
		return fr
	}
	s.res.SplitDepth = depth
	return frontier{lo: fr.lo, hi: fr.hi, step: sh.N, offset: sh.K - 1}
}

// progress calls Progress at the end of a depth, or when a second has
// passed since the last call.
func (s *search) progress(done bool, depth, frontier int) {
	now := time.Now()
	if s.cfg.Progress == nil || !done && now.Sub(s.lastProgress) < time.Second {
		return
	}
	s.lastProgress = now
	s.cfg.Progress(Progress{Depth: depth, Sequences: s.res.Sequences, States: s.res.States, Frontier: frontier,
		Heap: s.mem.last, Elapsed: now.Sub(s.start)})
}

// heapGauge reads the heap in use (live objects and garbage not yet
// swept), without stopping the world.
type heapGauge struct {
	sample []metrics.Sample
	last   uint64
	when   time.Time
}

func (g *heapGauge) read() uint64 {
	if g.sample == nil {
		g.sample = []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	}
	metrics.Read(g.sample)
	g.last, g.when = g.sample[0].Value.Uint64(), time.Now()
	return g.last
}

// overMemory samples the heap every 50 ms, and reports whether it holds
// more than the budget.
func (s *search) overMemory() bool {
	if time.Since(s.mem.when) < 50*time.Millisecond {
		return false
	}
	s.res.PeakHeap = max(s.res.PeakHeap, s.mem.read())
	return s.cfg.MaxMemory > 0 && s.mem.last > s.cfg.MaxMemory
}

// level extends every state of the frontier by one event. Workers take
// chunks of the frontier in order; the results are merged in that order,
// so that what is stored, counted and found does not depend on which
// worker ran what, or when.
func (s *search) level(ctx context.Context, fr frontier, depth int) string {
	ctx, cancel := context.WithCancel(ctx)
	jobs, pending := s.feed(ctx, fr, depth)
	var wg sync.WaitGroup
	for _, w := range s.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.serve(ctx, jobs)
		}()
	}
	defer func() {
		cancel()
		wg.Wait()
	}()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for out := range pending {
		if stop := s.await(ctx, out, tick.C, depth, fr.size()); stop != "" || s.res.Found != nil {
			return stop
		}
	}
	if ctx.Err() != nil {
		return "time budget"
	}
	return ""
}

// await waits for a chunk's result and merges it, checking the budgets
// while it waits.
func (s *search) await(ctx context.Context, out <-chan chunkResult, tick <-chan time.Time, depth, frontier int) string {
	for {
		select {
		case r := <-out:
			if stop := s.merge(&r); stop != "" {
				return stop
			}
			if s.overMemory() {
				return "memory budget"
			}
			s.progress(false, depth-1, frontier)
			return ""
		case <-tick:
			if s.overMemory() {
				return "memory budget"
			}
		case <-ctx.Done():
			return "time budget"
		}
	}
}

// merge stores a chunk's new states in order, up to its finding if it
// has one.
func (s *search) merge(r *chunkResult) string {
	n, seqs := len(r.cands), r.seqs
	if r.found != nil {
		n, seqs = r.foundAt, r.foundSeq
	}
	for _, c := range r.cands[:n] {
		if !s.seen.add(c.fp, c.enc) {
			continue
		}
		s.nodes = append(s.nodes, node{parent: c.parent, event: c.event})
		s.res.States++
		if s.res.States >= s.cfg.MaxStates {
			s.res.Sequences += seqs
			return "state budget"
		}
	}
	s.res.Sequences += seqs
	s.res.Found = r.found
	return ""
}

// job is a chunk of the frontier for a worker, and where its result goes.
type job struct {
	from, to int // positions in the frontier
	fr       frontier
	nodes    []node // the stored states, as the depth began: the merger appends past them meanwhile
	depth    int    // the depth of the states the chunk's events reach
	out      chan<- chunkResult
}

// feed cuts the frontier into chunks: each goes to a worker through jobs,
// and its result channel, in frontier order, through pending. At most a
// few chunks per worker are in flight at once.
func (s *search) feed(ctx context.Context, fr frontier, depth int) (<-chan job, <-chan (<-chan chunkResult)) {
	jobs := make(chan job)
	pending := make(chan (<-chan chunkResult), 4*len(s.workers))
	size := min(max(fr.size()/(64*len(s.workers)), 1), 256)
	nodes := s.nodes
	go func() {
		defer close(jobs)
		defer close(pending)
		for from := 0; from < fr.size(); from += size {
			out := make(chan chunkResult, 1)
			select {
			case pending <- out:
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- job{from: from, to: min(from+size, fr.size()), fr: fr, nodes: nodes, depth: depth, out: out}:
			case <-ctx.Done():
				return
			}
		}
	}()
	return jobs, pending
}
