// Package explore is a model checker over the engine: it tries every
// sequence of events up to a depth over a small universe (a few
// processes, a region of a page or two), breadth first, with every
// invariant checked after each event, and reports the shortest sequence
// that breaks one or makes an rmap walk oops. The package does no I/O; a
// context bounds the time, a state budget and a heap budget the memory.
//
// # Storing states
//
// A state is stored as a 64-bit fingerprint of its canonical encoding (the
// first 8 bytes of its SHA-256) in an open-addressing set, and as a parent
// link: the index of the state it was first reached from and the event's
// position in that state's alphabet, 8 bytes. About 20-30 bytes a state in
// all, where a whole machine took about 12 KB. A worker rebuilds a machine
// in a state by replaying the events of its links from the setup, keeping
// the machines along the last path it rebuilt: the frontier is in the
// order its states were found, so the next state shares most of its path
// with the last one and costs about one replayed event. This is SPIN's
// hash compaction and TLC's fingerprint set.
//
// Two different states with the same fingerprint would make the search
// skip the second and all it leads to. With n states stored, the chance
// that any two of them collide is at most n(n-1)/2 / 2^64: below 10^-5 for
// the 25 million states of a depth-11 search, and below 10^-7 for the few
// hundred thousand of the default searches. Config.Exact (avdoc explore
// --exact) stores whole encodings instead, for a search that must not
// rely on that, at a few hundred bytes a state.
//
// # Parallel and deterministic
//
// A depth is cut into chunks of consecutive frontier states that the
// workers (one per CPU) extend in any order; their results are merged in
// chunk order, each chunk's new states in the order their events were
// tried. What is stored, counted and found is therefore what one worker
// trying the frontier in order would store, count and find: the same on
// every run, with any number of workers. The first finding is the first
// in that order at the shortest depth, as before the search was parallel.
//
// # Reductions, and why each keeps every bug
//
// A search finds a bug when some state it reaches breaks an invariant, or
// some event's rmap walk oopses. A reduction is sound if every state the
// full search reaches within the depth is still reached, or one
// isomorphic to it (the same objects and links up to ids and names: the
// invariants and walks cannot tell them apart), at the same depth or
// less, and every event tried from it that could break something is
// still tried from it or its twin.
//
//   - Canonical keys. Objects are renamed in a canonical traversal order,
//     processes first, sorted by a signature that uses no ids, so that
//     isomorphic states reached in different ways are stored once. Equal
//     encodings name every object alike, so the states are isomorphic:
//     extending one extends both. Ties among processes keep creation
//     order, so some isomorphic pairs are stored twice: that costs time,
//     never a state. The slab's free list is not encoded: it decides only
//     what a walk into freed memory finds, and memory is freed under a
//     live pointer only after I7 or R2 broke.
//   - Twins (symmetry.go). When swapping two live processes p and q, p
//     created first, leaves the encoding unchanged, that swap is an
//     automorphism of the state; each event of q leads to a state
//     isomorphic to the one p's matching event leads to, and breaks the
//     same invariants. So q's events are not tried. p's events come
//     before q's in the alphabet, so the first finding is the same.
//   - Inert events (alphabet.go). An event the engine refuses, or one
//     that changes nothing (a write to a page mapped writable, a read of
//     a mapped page, an mprotect to the flags the VMA has), reaches no
//     new state and breaks nothing new; it is not tried.
//     TestInertEventsChangeNothing holds every model to this.
//   - The last depth. The states the last event reaches are checked, not
//     stored: nothing extends them.
//
// Not done: sleep sets or partial-order reduction. Many pairs of events
// commute (a process writing a page nobody else maps, and another
// changing its own VMAs), but whether two do depends on the state: after
// a fork every process shares anon_vmas with its family, a COW fault
// moves a page's mapping, and the order of an anon_vma's same_anon_vma
// list (or its interval tree's order among equal ranges), which walks
// follow and the encoding keeps, is the order the events ran in. Proving
// two events independent needs their footprints, what each reads and
// writes, from the engine; without that a sleep set would rest on a
// guess. It is the next reduction to add, with the engine's help.
//
// # Shards
//
// Config.Shard splits a search into N parts. Each does the whole search
// up to the split depth (the first with more than 64·N states to extend);
// there shard K keeps every Nth state, from the Kth, and searches on from
// those alone. Every state the whole search reaches deeper than the split
// has a shortest path through some state at the split depth, and the
// shard that kept that state reaches it at the same depth (nothing it
// stored before can hide it: those states are all shallower), so the
// union of the shards is the whole search, and the shortest finding among
// them is as short as the whole search's. TestShardsCoverTheSearch checks
// that the shards store exactly the whole search's states.
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
	return []string{"write", "read", "fork", "exit", "swapout", "hibernate", "evict", "walk", "mprotect", "munmap", "mmap", "mremap", "madvise"}
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
	// Prefix is events to run after the setup, one step each, before the
	// search starts: to search on from a known state (what a shorter
	// finding reached, say, with its violations ignored). Depth counts
	// the events after it.
	Prefix []engine.Event
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
type Shard struct {
	K int `json:"k"`
	N int `json:"n"`
}

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
	// Shards is how many shards' reports were merged into this result (0
	// for a search run whole).
	Shards     int
	PeakHeap   uint64 // the most heap in use seen, in bytes
	StoreBytes uint64 // what the stored states take: fingerprints and parent links
}

// Finding is a shortest sequence that broke an invariant or oopsed.
type Finding struct {
	Setup      []engine.Event     // spawn and mmap, before the search's events
	Prefix     []engine.Event     // Config.Prefix, run after the setup
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
	if err := CheckSize(c.Procs, c.Pages, c.Depth); err != nil {
		return err
	}
	switch {
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

// CheckSize checks the size of the sequences asked for: processes, pages
// of the region every sequence starts with, and events (0 for each
// default); each error names its flag.
func CheckSize(procs, pages, depth int) error {
	switch {
	case procs < 0 || procs > 8:
		return fmt.Errorf("--procs %d: choose 1 to 8", procs)
	case pages < 0 || pages > 8:
		return fmt.Errorf("--pages %d: choose 1 to 8", pages)
	case depth < 0 || depth > 40:
		return fmt.Errorf("--depth %d: choose 1 to 40", depth)
	}
	return nil
}
