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
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/avdoc/avdoc/engine"
)

// Kinds returns the event kinds the explorer can try, as `--events`
// names them.
func Kinds() []string {
	return []string{"write", "read", "fork", "exit", "swapout", "hibernate", "evict", "walk", "mprotect", "munmap", "mmap"}
}

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
	MaxStates int      // stop after this many distinct states; 0 means 2,000,000
	// Ignore names invariants whose violations do not count as findings,
	// to look past a bug already known (2.6.34-rc3's reversed clone breaks
	// I5 and I3 before anything else).
	Ignore []string
	// Progress, if set, is called after each depth is explored.
	Progress func(Progress)
}

// Progress reports how far a search has come.
type Progress struct {
	Depth     int // depth fully explored
	Sequences int // event sequences run so far
	States    int // distinct states so far
	Frontier  int // states to extend at the next depth
}

// Result is what a search found.
type Result struct {
	Found     *Finding // nil if nothing broke
	Depth     int      // the depth explored completely
	Sequences int      // event sequences run (each a state and one more event)
	States    int      // distinct states reached
	Stopped   string   // why the search stopped early ("state budget", "time budget"), or ""
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
	c.MaxStates = orDefault(c.MaxStates, 2000000)
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
	}
	return nil
}

// node is a state reached by a sequence.
type node struct {
	m      *engine.Machine
	events []engine.Event
}

// Run explores breadth first, so that the first finding is a shortest one.
func Run(ctx context.Context, cfg Config) (Result, error) {
	if err := cfg.Validate(); err != nil {
		return Result{}, err
	}
	cfg.defaults()
	s := &search{cfg: cfg, seen: map[key]bool{}}
	root, err := s.start()
	if err != nil {
		return Result{}, err
	}
	frontier := []node{root}
	for depth := 1; depth <= cfg.Depth && len(frontier) > 0; depth++ {
		next, stop := s.extend(ctx, frontier)
		if s.res.Found != nil || stop != "" {
			s.res.Stopped = stop
			return s.res, nil
		}
		s.res.Depth, frontier = depth, next
		if cfg.Progress != nil {
			cfg.Progress(Progress{Depth: depth, Sequences: s.res.Sequences, States: s.res.States, Frontier: len(next)})
		}
	}
	return s.res, nil
}

type search struct {
	cfg   Config
	seen  map[key]bool
	setup []engine.Event
	res   Result
}

// start spawns P with one region of the configured size.
func (s *search) start() (node, error) {
	s.setup = []engine.Event{{Op: engine.OpSpawn, Proc: "P"},
		{Op: engine.OpMmap, Proc: "P", Region: "heap", Pages: s.cfg.Pages, At: regionStart, HasAt: true, Writable: true}}
	m := engine.New(s.cfg.Model)
	if _, err := m.Advance(s.setup); err != nil {
		return node{}, fmt.Errorf("setting up: %w", err)
	}
	s.seen[canonKey(m.State())] = true
	s.res.States = 1
	return node{m: m}, nil
}

// extend tries every event from every state of the frontier, returning
// the new states, or stopping at the first finding or a budget.
func (s *search) extend(ctx context.Context, frontier []node) ([]node, string) {
	var next []node
	for _, n := range frontier {
		if ctx.Err() != nil {
			return nil, "time budget"
		}
		for _, ev := range s.alphabet(n.m.State()) {
			c, ok := s.try(n, ev)
			if s.res.Found != nil {
				return nil, ""
			}
			if ok {
				next = append(next, c)
			}
			if s.res.States >= s.cfg.MaxStates {
				return nil, "state budget"
			}
		}
	}
	return next, ""
}

// try runs one event after a state; it records a finding, or returns the
// new state if it was not seen before.
func (s *search) try(n node, ev engine.Event) (node, bool) {
	m := n.m.Clone()
	res, err := m.Advance([]engine.Event{ev})
	s.res.Sequences++
	if err != nil {
		return node{}, false // refused: not an event of this state
	}
	events := append(slices.Clip(n.events), ev)
	if f := finding(&res, s.cfg.Ignore); f != nil {
		f.Setup, f.Events = s.setup, events
		s.res.Found = f
		return node{}, false
	}
	k := canonKey(m.State())
	if s.seen[k] {
		return node{}, false
	}
	s.seen[k] = true
	s.res.States++
	return node{m: m, events: events}, true
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
