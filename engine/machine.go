package engine

import (
	"fmt"
	"slices"
	"strings"
)

// Machine runs one kernel model over a story's events.
type Machine struct {
	// model is allocated apart from the machine: snapshots point at it,
	// and must not keep the machine's own state alive.
	model *Model
	st    State
	// snap is the last snapshot Step handed out, or nil: the next one
	// shares the slices that did not change with it.
	snap *State
	// snapViolations are the invariants snap breaks.
	snapViolations []Violation
	step           int
	// avNames counts the anon_vmas created per "P:region", for the
	// av(P:region#2) names of story-format.
	avNames map[string]int
	// names holds every process name ever used, and the process it
	// names: a name names one process for the whole story, so that a
	// lookup by name need not scan the processes.
	names map[string]ProcID
	prev  map[string]bool // keys of the violations present before the step
	// slab is the anon_vma slab's free list: freed anon_vmas whose memory
	// the next allocation reuses, last freed first.
	slab []AVID
	// later holds the events of the step after the one being applied, for
	// growPages to size the page array once for the step's faults.
	later []Event
	// check holds the invariant checker's buffers, reused from step to
	// step once they are big (see checker.big).
	check *checker
	// chains holds 2.6.6's pte_chains, oldest PTE first, so that a
	// removal finds the newest in one step (see chainDel).
	chains map[PageID][]chainEntry

	log       []LogLine
	dropped   int // log lines past maxLogLines in this step
	walks     []Walk
	moreWalks int // walks past maxWalksKept in this step
}

// A step of a million page faults would otherwise log millions of lines
// and keep millions of walks; a step keeps the first ones, counts the
// rest, and always keeps a walk that oopsed.
const (
	maxLogLines  = 400
	maxWalksKept = 64
)

// New returns a machine with an empty system running model m.
func New(m Model) *Machine {
	mc := &Machine{model: &m, avNames: map[string]int{}, names: map[string]ProcID{}, prev: map[string]bool{}}
	mc.st.Model = mc.model
	return mc
}

// Model returns the machine's kernel model.
func (m *Machine) Model() *Model { return m.model }

// Errors is the list of events a step refused.
type Errors []*EventError

func (e Errors) Error() string {
	msgs := make([]string, len(e))
	for i, err := range e {
		msgs[i] = err.Error()
	}
	return strings.Join(msgs, "; ")
}

// Step applies events in order, as one step, and returns what happened.
// An event that cannot apply (a process that does not exist, a page index
// outside its region) is refused and leaves the state as it was; the
// others still run. The error, if not nil, is an [Errors] listing the
// refused events.
func (m *Machine) Step(events []Event) (StepResult, error) {
	res, err := m.advance(events)
	snap := m.snapshot()
	if m.snap != nil && unchanged(&snap, m.snap) {
		// The same state has the same violations: a step of walks
		// over a million pages need not check them again.
		m.judge(&res, slices.Clone(m.snapViolations))
	} else {
		m.judge(&res, m.checkState())
	}
	m.snap, res.State, m.snapViolations = &snap, snap, res.Violations
	return res, err
}

// Advance is Step without the snapshot, for searches that try many steps
// and keep few: the result's State is empty; [Machine.State] holds the
// state until the next step.
func (m *Machine) Advance(events []Event) (StepResult, error) {
	res, err := m.advance(events)
	m.judge(&res, m.checkState())
	return res, err
}

// advance applies a step's events and returns what happened, but for the
// violations.
func (m *Machine) advance(events []Event) (StepResult, error) {
	m.step++
	m.log, m.walks, m.dropped, m.moreWalks = nil, nil, 0, 0
	var errs Errors
	for i, ev := range events {
		m.later = events[i+1:]
		if err := m.safeApply(ev); err != nil {
			err.Event = i
			errs = append(errs, err)
		}
	}
	m.later = nil
	if m.dropped > 0 {
		m.log = append(m.log, LogLine{Func: "avdoc", Msg: fmt.Sprintf("%d more lines like these are not shown", m.dropped)})
	}
	res := StepResult{Step: m.step, Log: m.log, Walks: m.walks, MoreWalks: m.moreWalks}
	if errs != nil {
		return res, errs
	}
	return res, nil
}

// checkState returns the invariants the machine's state breaks.
func (m *Machine) checkState() []Violation {
	if m.check != nil {
		return m.check.run(&m.st)
	}
	var c checker
	vs := c.run(&m.st)
	if c.big() {
		m.check = new(checker)
		*m.check = c
	}
	return vs
}

// judge records the violations of a step, and which are new since the
// step before.
func (m *Machine) judge(res *StepResult, vs []Violation) {
	res.Violations = vs
	now := map[string]bool{}
	for _, v := range vs {
		now[v.Key] = true
		if !m.prev[v.Key] {
			res.New = append(res.New, v)
		}
	}
	m.prev = now
}

// safeApply applies an event, turning a failure of the simulator itself
// into a refused event rather than a crash of the program using it.
func (m *Machine) safeApply(ev Event) (err *EventError) {
	defer func() {
		if r := recover(); r != nil {
			err = &EventError{Msg: fmt.Sprintf("internal error in the simulator while applying %q: %v", ev, r),
				Hint: "this is a bug in avdoc; please report it with the story"}
		}
	}()
	return m.apply(ev)
}

func (m *Machine) apply(ev Event) *EventError {
	switch ev.Op {
	case OpSpawn:
		return m.spawn(ev)
	case OpMmap:
		return m.mmap(ev)
	case OpRead, OpWrite:
		return m.touch(ev)
	case OpFork:
		return m.fork(ev)
	case OpExit:
		return m.exit(ev)
	case OpMunmap:
		return m.munmap(ev)
	case OpWalk:
		return m.walkRange(ev)
	case OpSwapout, OpHibernate:
		return m.swapout(ev)
	case OpEvict:
		return m.evict(ev)
	case OpMprotect:
		return m.mprotect(ev)
	case OpMremap:
		return m.mremap(ev)
	case OpMadvise:
		return m.madvise(ev)
	}
	return &EventError{Msg: fmt.Sprintf("event %s is not simulated by model %s", ev.Op, m.model.Name)}
}

func (m *Machine) logf(fn, format string, args ...any) {
	if len(m.log) >= maxLogLines {
		m.dropped++
		return
	}
	m.log = append(m.log, LogLine{Func: fn, Msg: fmt.Sprintf(format, args...)})
}

// mapped records a change of a page's mapcount in 2.6.6's pte_chain
// state: a second mapping moves the page's PTE pointers into a chain, and
// a page mapped nowhere has none. (page_remove_rmap never collapses a
// chain back to a direct pointer; page_referenced does, see referenced.)
func (m *Machine) mapped(pg *Page) {
	if m.model.Design != DesignPTEChain {
		return
	}
	switch {
	case pg.Mapcount > 1:
		pg.Chained = true
	case pg.Mapcount == 0:
		pg.Chained = false
	}
}

// referenced is page_referenced's side effect in 2.6.6: a chain holding a
// single PTE pointer goes back into struct page.
func (m *Machine) referenced(id PageID) {
	if pg := m.st.Page(id); m.model.Design == DesignPTEChain && pg.Chained && pg.Mapcount == 1 {
		m.page(id).Chained = false
		m.logf("page_referenced", "page %d has one mapping left: its pte_chain goes back to a direct pointer", pg.ID)
	}
}

// quiet reports whether the step's log is full, so that callers can skip
// formatting what logf would drop.
func (m *Machine) quiet() bool { return len(m.log) >= maxLogLines }

// drop reports whether the step's log is full and, if so, counts n lines
// as dropped: a hot path skips formatting lines that logf would drop.
func (m *Machine) drop(n int) bool {
	if !m.quiet() {
		return false
	}
	m.dropped += n
	return true
}

// recordWalk keeps a walk the step made.
func (m *Machine) recordWalk(w Walk) {
	if len(m.walks) < maxWalksKept || w.Oops != nil {
		m.walks = append(m.walks, w)
	} else {
		m.moreWalks++
	}
}

// errf returns an EventError about field f.
func errf(f Field, hint, format string, args ...any) *EventError {
	return &EventError{Field: f, Msg: fmt.Sprintf(format, args...), Hint: hint}
}

// liveProc finds the live process name refers to, or says why not.
func (m *Machine) liveProc(name string, f Field) (*Process, *EventError) {
	id := m.names[name]
	switch {
	case id == 0:
		return nil, errf(f, "spawn it first, or fork it from another process", "no process %s", name)
	case m.st.Proc(id).Exited:
		return nil, errf(f, "", "process %s has exited", name)
	}
	return m.st.Proc(id), nil
}

// pages resolves a range to the page numbers it covers, in order.
func (m *Machine) pages(r Range) (*Process, []uint64, *EventError) {
	p, start, end, err := m.pageRange(r)
	if err != nil {
		return nil, nil, err
	}
	out := make([]uint64, 0, end-start)
	for a := start; a < end; a++ {
		out = append(out, a)
	}
	return p, out, nil
}

// pageRange resolves a range to the page numbers [start, end) it covers.
func (m *Machine) pageRange(r Range) (p *Process, start, end uint64, err *EventError) {
	p, err = m.liveProc(r.Proc, FieldProc)
	if err != nil {
		return nil, 0, 0, err
	}
	reg, ok := p.Region(r.Region)
	if !ok {
		return nil, 0, 0, errf(FieldRegion, m.regionHint(p), "process %s has no region %s", p.Name, r.Region)
	}
	first, last := r.First, r.Last
	if r.Whole {
		first, last = 0, reg.Pages-1
	}
	if first < 0 || last >= reg.Pages || first > last {
		bad := last
		if first < 0 || first >= reg.Pages {
			bad = first
		}
		return nil, 0, 0, errf(FieldIndex, "", "page index %d is outside region %s of %s (%d pages: 0..%d)",
			bad, reg.Name, p.Name, reg.Pages, reg.Pages-1)
	}
	return p, reg.Start + uint64(first), reg.Start + uint64(last) + 1, nil
}

func (m *Machine) regionHint(p *Process) string {
	if len(p.Regions) == 0 {
		return fmt.Sprintf("%s has no regions yet: mmap one first", p.Name)
	}
	names := make([]string, len(p.Regions))
	for i, r := range p.Regions {
		names[i] = r.Name
	}
	return fmt.Sprintf("%s has: %s", p.Name, strings.Join(names, ", "))
}

// addr names page number a of process p as stories do.
func (m *Machine) addr(p *Process, a uint64) string { return m.st.addrName(p, a) }

// Clone returns an independent copy of the machine, so that a search can
// try several next events from one state.
func (m *Machine) Clone() *Machine {
	model := *m.model
	c := &Machine{model: &model, st: m.st.clone(), snap: m.snap, snapViolations: m.snapViolations, step: m.step,
		avNames: make(map[string]int, len(m.avNames)), names: make(map[string]ProcID, len(m.names)),
		prev: make(map[string]bool, len(m.prev)), slab: slices.Clone(m.slab)}
	c.st.Model = c.model
	c.st.rmap = nil // the machine's state changes: no index (see pteIndex)
	for k, v := range m.avNames {
		c.avNames[k] = v
	}
	for k, v := range m.names {
		c.names[k] = v
	}
	for k, v := range m.prev {
		c.prev[k] = v
	}
	if m.chains != nil {
		c.chains = make(map[PageID][]chainEntry, len(m.chains))
		for k, v := range m.chains {
			c.chains[k] = slices.Clone(v)
		}
	}
	return c
}

// State returns the machine's current state. It is the machine's own, not
// a snapshot: read it before the next Step, and do not modify it.
func (m *Machine) State() *State { return &m.st }
