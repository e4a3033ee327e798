// Package explore is a model checker over the engine: it tries every
// sequence of events up to a depth over a small universe (a few
// processes, a region of a page or two), breadth first, with every
// invariant checked after each event, and reports the shortest sequence
// that breaks one or makes an rmap walk oops.
//
// Equivalent states are explored once: a state is known by a canonical
// encoding that ignores object ids and process names. The package does no
// I/O; a context bounds the time, a state budget the memory.
package explore

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/avdoc/avdoc/engine"
)

// Kinds returns the event kinds the explorer can try, as `--events`
// names them.
func Kinds() []string {
	return []string{"write", "read", "fork", "exit", "swapout", "hibernate", "evict", "walk", "mprotect", "munmap", "mmap"}
}

// DefaultMaxStates is the state budget unless the caller sets one: at
// about twenty bytes a state, the memory budget usually ends a search
// first.
const DefaultMaxStates = 500_000_000

// DefaultKinds are the events tried unless the caller says otherwise: the
// ones of the hibernation oops.
func DefaultKinds() []string {
	return []string{"write", "read", "fork", "exit", "swapout", "evict", "walk"}
}

// Config says what to explore.
type Config struct {
	Model     engine.Model
	Procs     int      // the most live processes; 0 means 3
	Pages     int      // pages of the region every story starts with; 0 means 1
	Depth     int      // the most events after the setup; 0 means 8
	Kinds     []string // event kinds to try; nil means DefaultKinds
	MaxStates int      // stop after this many distinct states; 0 means DefaultMaxStates
	// MaxMemory stops the search once the heap holds more bytes than
	// this; 0 means no bound.
	MaxMemory uint64
	// Ignore names invariants whose violations do not count as findings,
	// to look past a bug already known (2.6.34-rc3's reversed clone breaks
	// I5 and I3 before anything else).
	Ignore []string
	// Workers is how many goroutines try events; 0 means GOMAXPROCS. The
	// result does not depend on it.
	Workers int
	// Exact keeps each state's whole encoding instead of a 64-bit
	// fingerprint: no collision can hide a state, at hundreds of bytes
	// per state instead of about twenty.
	Exact bool
	// Shard, if set, explores one part of the search (see [Shard]).
	Shard Shard
	// Progress, if set, is called after each depth is explored, and about
	// once a second while one is.
	Progress func(Progress)
}

// Shard names part K of N (1 <= K <= N) of a search. Every shard explores
// the same states up to the split depth, the first at which more than
// splitPerShard*N states are to be extended; from there shard K extends
// only every Nth of them, starting with the Kth. The shards together
// explore every state the whole search does (see the package doc).
type Shard struct{ K, N int }

// splitPerShard is how many states per shard the split depth must have
// to extend, so that the parts are about even.
const splitPerShard = 64

// Progress reports how far a search has come.
type Progress struct {
	Depth     int           // depth fully explored
	Sequences int           // event sequences run so far
	States    int           // distinct states stored so far
	Frontier  int           // states to extend at the next depth
	Heap      uint64        // bytes of heap in use
	Elapsed   time.Duration // since the search started
}

// Result is what a search found.
type Result struct {
	Found     *Finding // nil if nothing broke
	Depth     int      // the depth explored completely
	Sequences int      // event sequences run (each a state and one more event)
	// States counts the distinct states stored: those reached by fewer
	// events than the depth bound. The states the last event reaches are
	// checked, not stored.
	States  int
	Stopped string // why the search stopped early ("state budget", "time budget", "memory budget"), or ""
	// SplitDepth is the depth at which a sharded search split (0 if it
	// did not get there or was not sharded).
	SplitDepth int
	PeakHeap   uint64 // the most heap in use seen, in bytes
	StoreBytes uint64 // what the stored states take: fingerprints and parent links
}

// Finding is a shortest sequence that broke an invariant or oopsed.
type Finding struct {
	Setup      []engine.Event     // spawn and mmap, before the search's events
	Events     []engine.Event     // the events the search chose; the last one broke something
	Violations []engine.Violation // what the last event broke (not counting ignored invariants)
	Oops       *engine.Oops
}

// What says in a few words what the last event did.
func (f *Finding) What() string {
	var parts []string
	if f.Oops != nil {
		parts = append(parts, "an rmap walk reached a freed anon_vma")
	}
	for _, v := range f.Violations {
		parts = append(parts, v.String())
	}
	return strings.Join(parts, "; ")
}

// Expect lists the expectations that name the outcome: `oops`, and
// `violation NAME` for each invariant broken.
func (f *Finding) Expect() []string {
	var out []string
	if f.Oops != nil {
		out = append(out, "oops")
	}
	for _, v := range f.Violations {
		if e := "violation " + v.Name; !slices.Contains(out, e) {
			out = append(out, e)
		}
	}
	return out
}

// Broke reports whether the finding broke the named invariant.
func (f *Finding) Broke(name string) bool {
	return slices.ContainsFunc(f.Violations, func(v engine.Violation) bool { return v.Name == name })
}

func (c *Config) defaults() {
	c.Procs = orDefault(c.Procs, 3)
	c.Pages = orDefault(c.Pages, 1)
	c.Depth = orDefault(c.Depth, 8)
	c.MaxStates = orDefault(c.MaxStates, DefaultMaxStates)
	c.Workers = orDefault(c.Workers, runtime.GOMAXPROCS(0))
	if c.Kinds == nil {
		c.Kinds = DefaultKinds()
	}
}

func orDefault(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

// Validate reports a configuration that cannot run.
func (c Config) Validate() error {
	for _, name := range c.Ignore {
		if !slices.ContainsFunc(engine.Invariants(), func(i engine.Invariant) bool { return i.Name == name }) {
			return fmt.Errorf("--ignore %s: no such invariant (I1-I10, R1-R6)", name)
		}
	}
	for _, k := range c.Kinds {
		if !slices.Contains(Kinds(), k) {
			return fmt.Errorf("unknown event kind %q (the explorer knows %s)", k, strings.Join(Kinds(), ", "))
		}
	}
	switch {
	case c.Procs < 0 || c.Procs > 8:
		return fmt.Errorf("--procs %d: choose 1 to 8", c.Procs)
	case c.Pages < 0 || c.Pages > 8:
		return fmt.Errorf("--pages %d: choose 1 to 8", c.Pages)
	case c.Depth < 0 || c.Depth > 40:
		return fmt.Errorf("--depth %d: choose 1 to 40", c.Depth)
	case c.MaxStates < 0 || c.MaxStates > maxNodes-1:
		return fmt.Errorf("--max-states %d: choose 1 to %d", c.MaxStates, maxNodes-1)
	case c.Shard != (Shard{}) && (c.Shard.N < 1 || c.Shard.K < 1 || c.Shard.K > c.Shard.N):
		return fmt.Errorf("--shard %d/%d: K/N with 1 <= K <= N", c.Shard.K, c.Shard.N)
	case c.Workers < 0:
		return fmt.Errorf("%d workers: choose 1 or more, or 0 for one per CPU", c.Workers)
	}
	return nil
}

func finding(res *engine.StepResult, ignore []string) *Finding {
	f := &Finding{}
	for _, w := range res.Walks {
		if w.Oops != nil && f.Oops == nil {
			f.Oops = w.Oops
		}
	}
	for _, v := range res.New {
		if !slices.Contains(ignore, v.Name) {
			f.Violations = append(f.Violations, v)
		}
	}
	if f.Oops == nil && f.Violations == nil {
		return nil
	}
	return f
}
