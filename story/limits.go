package story

import (
	"fmt"
	"math"

	"github.com/avdoc/avdoc/engine"
)

// Limits bounds what one story may ask of the machine, so that no story
// file, however written, makes avdoc exhaust memory or run for hours. A
// field that is zero (or less) takes its default, from [DefaultLimits].
//
// Every error about a limit names the flag of the avdoc command that
// raises it: --max-procs, --max-pages, --max-steps, --max-frames,
// --max-work and --max-file-size.
type Limits struct {
	// Procs bounds the processes a story creates with spawn and fork,
	// exited ones included, and so the names a name range may expand to.
	Procs int
	// Pages bounds the pages a story maps, summed over every mmap and
	// every page a fork copies, exited processes included: the simulation
	// keeps a page table entry for each.
	Pages int
	// Steps bounds the steps of a story.
	Steps int
	// Frames bounds the diagrams a story draws: one per step per kernel.
	// Work counts simulation, not drawing: without it, forty custom
	// kernels of a thousand steps each passed, and drew 40,000 diagrams.
	Frames int
	// Work bounds an estimate of the time and memory a story's
	// simulation takes, under all its kernels: one unit for each event,
	// page touched, VMA an rmap walk may visit and object kept in the
	// snapshot of each step (which its diagram is drawn from).
	Work int64
	// FileSize bounds the size of a story file, in bytes.
	FileSize int64
	// ExprDepth bounds how deeply the terms of one expectation nest:
	// root(root(av(P:heap))) nests 3 deep, [av(P:heap)] 2. No avdoc
	// command has a flag for it, since no real expectation comes near
	// the default; it is here so that programs (and benchmarks) can
	// raise it.
	ExprDepth int
}

// DefaultLimits returns the limits avdoc applies unless told otherwise:
// room for ten times the processes, and twice the pages and work, of the
// largest shipped story (1001 processes, 1,001,000 pages, 26 million
// units of work, which take about 0.16 GB and a second), while keeping any
// story's simulation within a few GiB of memory and a few seconds.
//
// Frames: the shipped stories draw at most 20 diagrams each (story 08, 10
// steps under 2 kernels); 1000, the step limit under one kernel, is fifty
// times that, and drawing them takes seconds and a few hundred MB.
func DefaultLimits() Limits {
	return Limits{Procs: 10_000, Pages: 2_000_000, Steps: 1_000, Frames: 1_000, Work: 64_000_000, FileSize: 1 << 20, ExprDepth: 100}
}

// withDefaults returns l with every unset field set to its default.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.Procs <= 0 {
		l.Procs = d.Procs
	}
	if l.Pages <= 0 {
		l.Pages = d.Pages
	}
	if l.Steps <= 0 {
		l.Steps = d.Steps
	}
	if l.Frames <= 0 {
		l.Frames = d.Frames
	}
	if l.Work <= 0 {
		l.Work = d.Work
	}
	if l.FileSize <= 0 {
		l.FileSize = d.FileSize
	}
	if l.ExprDepth <= 0 {
		l.ExprDepth = d.ExprDepth
	}
	return l
}

// Options are the settings of [ParseWith]. The zero value is the default.
type Options struct {
	Limits Limits
}

// raise is the hint of an error about a limit: the flag that raises it.
func raise(flag string) string { return "raise the limit with " + flag + " N" }

// A family is the processes descended from one spawned process: the
// VMAs and anon_vma_chains an rmap walk of one of their pages may visit.
type family struct{ vmas, avcs int64 }

// procSize is what the budget knows of a live process.
type procSize struct {
	depth   int64            // 1 for a spawned process, its parent's + 1 for a child
	vmas    int64            // VMAs it may have
	regions map[string]int64 // pages of each region mapped
	fam     *family
}

// mapped returns the pages the process maps now.
func (p *procSize) mapped() int64 {
	var n int64
	for _, pages := range p.regions {
		n += pages
	}
	return n
}

// budget estimates, event by event, what simulating a story costs, from
// above: processes, pages mapped, objects kept and work done. It only
// reads the events, and assumes each does all it could (a refused event
// costs little in the engine, but is counted as if it ran).
type budget struct {
	lim     Limits
	kernels int64
	procs   map[string]*procSize // the live processes, by name
	nProcs  int64                // processes created
	pages   int64                // pages mapped by mmap and copied by fork, the limit's measure
	ptes    int64                // page table entries the engine keeps: pages, and copies made when VMAs merge
	live    int64                // pages mapped now
	created int64                // pages and swap slots that faults and swapouts may allocate
	vmas    int64
	avcs    int64
	maxFam  int64 // the largest family's vmas+avcs
	work    int64 // units so far, under every kernel
}

// newBudget starts a budget for a story run under kernels kernels.
func newBudget(lim Limits, kernels int) *budget {
	return &budget{lim: lim, kernels: int64(max(kernels, 1)), procs: map[string]*procSize{}}
}

// snapshot is the number of objects a step's snapshot holds now.
func (b *budget) snapshot() int64 { return b.nProcs + b.vmas + b.avcs + b.ptes + b.created }

// charge adds the work of something done under k kernels.
func (b *budget) charge(k, cost int64) { b.work = satAdd(b.work, satMul(k, cost)) }

// projected is the work so far with the snapshot the current step will
// keep under every kernel.
func (b *budget) projected() int64 { return satAdd(b.work, satMul(b.kernels, b.snapshot())) }

// satAdd and satMul add and multiply non-negative numbers, stopping at
// the largest int64 rather than overflowing: limits may be raised to
// anything.
func satAdd(a, b int64) int64 {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}

func satMul(a, b int64) int64 {
	if a != 0 && b > math.MaxInt64/a {
		return math.MaxInt64
	}
	return a * b
}

// checkLimits checks the parsed story against the limits (see measure).
func (p *parser) checkLimits() {
	if _, err := measure(p.s, p.lim, nil); err != nil {
		p.errs = append(p.errs, err)
	}
}

// measure runs a budget over s, calling after (if not nil) at the end of
// each step. At the first event, expectation or step that crosses a
// limit, it returns the error and cuts s there, so that executing what
// is left stays within the limits too.
func measure(s *Story, lim Limits, after func(step int, b *budget)) (*budget, *Error) {
	b := newBudget(lim, len(s.Kernels))
	for i := range s.Steps {
		st := &s.Steps[i]
		if err := b.frames(i+1, st.Pos); err != nil {
			s.Steps = s.Steps[:i]
			return b, err
		}
		for j := range st.Events {
			if err := b.event(&st.Events[j]); err != nil {
				st.Events, st.Expect = st.Events[:j], nil
				s.Steps = s.Steps[:i+1]
				return b, err
			}
		}
		for j := range st.Expect {
			if err := b.expectation(&st.Expect[j]); err != nil {
				st.Expect = st.Expect[:j]
				s.Steps = s.Steps[:i+1]
				return b, err
			}
		}
		b.charge(b.kernels, b.snapshot())
		if b.work > b.lim.Work {
			s.Steps = s.Steps[:i]
			return b, b.workError(st.Pos, "step", b.work)
		}
		if after != nil {
			after(i, b)
		}
	}
	return b, nil
}

// frames checks the diagrams of a story's first steps steps, one per
// step per kernel, against the limit; pos is the last step's.
func (b *budget) frames(steps int, pos Pos) *Error {
	n := satMul(int64(steps), b.kernels)
	if n <= int64(b.lim.Frames) {
		return nil
	}
	under := "its one kernel"
	if b.kernels > 1 {
		under = fmt.Sprintf("each of its %d kernels", b.kernels)
	}
	return &Error{Pos: pos, Hint: raise("--max-frames") + ", or draw fewer steps or kernels",
		Msg: fmt.Sprintf("a story may draw at most %d diagrams, one per step under each kernel; step %d under %s brings it to %d", b.lim.Frames, steps, under, n)}
}

// event counts one event and returns an error if it crosses a limit.
func (b *budget) event(ev *Event) *Error {
	procsBefore, pagesBefore := b.nProcs, b.pages
	b.charge(b.kernels, b.apply(&ev.Event))
	switch {
	case b.nProcs > int64(b.lim.Procs) && b.nProcs > procsBefore:
		return &Error{Pos: ev.PosOf(newProcField(ev.Op)), Hint: raise("--max-procs"),
			Msg: fmt.Sprintf("a story may create at most %d processes; this is process %d", b.lim.Procs, b.nProcs)}
	case b.pages > int64(b.lim.Pages) && b.pages > pagesBefore:
		return &Error{Pos: ev.PosOf(newPagesField(ev.Op)), Hint: raise("--max-pages"),
			Msg: fmt.Sprintf("a story may map at most %d pages, counting every process's mappings (exited ones too); this brings it to %d", b.lim.Pages, b.pages)}
	case b.projected() > b.lim.Work:
		return b.workError(ev.Pos, "event", b.projected())
	}
	return nil
}

// newProcField is the field of an event that names the process it
// creates; newPagesField, the one that makes it map pages.
func newProcField(op engine.Op) engine.Field {
	if op == engine.OpFork {
		return engine.FieldChild
	}
	return engine.FieldProc
}

func newPagesField(op engine.Op) engine.Field {
	if op == engine.OpFork {
		return engine.FieldChild
	}
	return engine.FieldPages
}

// expectation counts the evaluation of one expectation: finding its
// process, and perhaps an rmap walk.
func (b *budget) expectation(x *Expectation) *Error {
	k := b.kernels
	if x.Kernel != "" {
		k = 1
	}
	b.charge(k, 1+b.nProcs+b.maxFam)
	if b.projected() > b.lim.Work {
		return b.workError(x.Pos, "expectation", b.projected())
	}
	return nil
}

// workError is the error of a story whose work, total, passed the limit
// at what (an event, expectation or step) at pos.
func (b *budget) workError(pos Pos, what string, total int64) *Error {
	under := "under its one kernel"
	if b.kernels > 1 {
		under = fmt.Sprintf("under each of its %d kernels", b.kernels)
	}
	return &Error{Pos: pos, Hint: raise("--max-work") + ", or make the story smaller",
		Msg: fmt.Sprintf("a story may take at most %d units of simulation work; up to this %s it takes about %d "+
			"(pages touched, VMAs walked and objects kept for each step's diagram, %s)",
			b.lim.Work, what, total, under)}
}

// apply updates the budget for one event and returns its cost under one
// kernel.
func (b *budget) apply(ev *engine.Event) int64 {
	switch ev.Op {
	case engine.OpSpawn:
		b.spawn(ev.Proc, &family{}, 1)
	case engine.OpMmap:
		return 1 + b.mmap(ev.Proc, ev.Region, int64(ev.Pages))
	case engine.OpFork:
		return 1 + b.fork(ev.Proc, ev.Child)
	case engine.OpExit:
		return 1 + b.exit(ev.Proc)
	case engine.OpRead, engine.OpWrite:
		// A write to a page that is out in swap may read it back and then
		// copy it: two pages.
		n := b.rangePages(ev.Range)
		if ev.Op == engine.OpWrite {
			n *= 2
		}
		b.created += n
		return 1 + n
	case engine.OpMunmap, engine.OpMprotect:
		return 1 + b.split(ev)
	case engine.OpSwapout, engine.OpHibernate:
		n, fam := b.target(ev)
		b.created += n // swap slots
		return satAdd(1, satMul(n, fam))
	case engine.OpEvict:
		n, _ := b.target(ev)
		return 1 + n
	case engine.OpWalk:
		n, fam := b.target(ev)
		return satAdd(1, satMul(n, fam))
	case engine.OpMadvise:
		n, fam := b.target(ev)
		b.created += n // swap slots, for pageout
		return satAdd(1, satMul(n, fam))
	case engine.OpMremap:
		return 1 + b.mremap(ev)
	}
	return 1
}

// mremap counts a move or resize of a region: a move makes a copy of
// each VMA of the region at the new place, linked to all its anon_vmas,
// with new page table entries, and the engine keeps the old VMAs; a
// resize may split the VMA, and growth maps more pages.
func (b *budget) mremap(ev *engine.Event) int64 {
	p := b.procs[ev.Range.Proc]
	if p == nil {
		return 0
	}
	old, n := p.regions[ev.Range.Region], int64(ev.Pages)
	if n > old {
		b.pages += n - old
	}
	b.live += n - old
	p.regions[ev.Range.Region] = n
	b.ptes += n
	copies := p.vmas + 1
	p.vmas++
	b.grow(p, copies, copies*(p.depth+1))
	return satAdd(n, copies*(p.depth+1))
}

// spawn counts a new process, of family fam, at the given depth below
// the spawned process that started it.
func (b *budget) spawn(name string, fam *family, depth int64) *procSize {
	b.nProcs++
	p := &procSize{depth: depth, regions: map[string]int64{}, fam: fam}
	if _, taken := b.procs[name]; !taken {
		b.procs[name] = p
	}
	return p
}

// mmap counts a new region of a process.
func (b *budget) mmap(name, region string, pages int64) int64 {
	p := b.procs[name]
	if p == nil {
		return 0
	}
	p.regions[region] += pages
	b.pages += pages
	b.ptes += pages
	b.live += pages
	p.vmas++
	b.grow(p, 1, 1)
	return pages
}

// fork copies the parent's regions, page table entries and chains.
func (b *budget) fork(parent, child string) int64 {
	pp := b.procs[parent]
	if pp == nil {
		b.spawn(child, &family{}, 1)
		return 0
	}
	c := b.spawn(child, pp.fam, pp.depth+1)
	var pages int64
	for r, n := range pp.regions {
		c.regions[r] = n
		pages += n
	}
	c.vmas = pp.vmas
	b.pages += pages
	b.ptes += pages
	b.live += pages
	b.grow(c, c.vmas, c.vmas*(pp.depth+1))
	return pages + c.vmas*(pp.depth+1)
}

// exit counts the end of a process: its pages are no longer mapped, but
// the engine keeps its objects.
func (b *budget) exit(name string) int64 {
	p := b.procs[name]
	if p == nil {
		return 0
	}
	n := p.mapped()
	b.live -= n
	delete(b.procs, name)
	return n
}

// split counts munmap and mprotect: they may split a VMA in three, and
// mprotect may merge the result with its neighbours, whose page table
// entries the engine then keeps twice (in the VMA that absorbed them, and
// in the one that is gone).
func (b *budget) split(ev *engine.Event) int64 {
	p := b.procs[ev.Range.Proc]
	if p == nil {
		return 0
	}
	n := b.rangePages(ev.Range)
	p.vmas += 2
	b.grow(p, 2, 2*(p.depth+1))
	switch {
	case ev.Op == engine.OpMprotect:
		n = p.mapped()
		b.ptes += n
	case ev.Range.Whole:
		b.live -= p.regions[ev.Range.Region]
		delete(p.regions, ev.Range.Region)
	}
	return n
}

// grow adds VMAs and anon_vma_chains to a process's family.
func (b *budget) grow(p *procSize, vmas, avcs int64) {
	b.vmas += vmas
	b.avcs += avcs
	p.fam.vmas += vmas
	p.fam.avcs += avcs
	b.maxFam = max(b.maxFam, p.fam.vmas+p.fam.avcs)
}

// target returns the pages an event of a range or of `all` acts on, and
// how many VMAs an rmap walk of each may visit.
func (b *budget) target(ev *engine.Event) (pages, visits int64) {
	if ev.All || ev.Op == engine.OpHibernate {
		return b.live, b.maxFam
	}
	p := b.procs[ev.Range.Proc]
	if p == nil {
		return 0, 0
	}
	return b.rangePages(ev.Range), p.fam.vmas + p.fam.avcs
}

// rangePages returns the pages of a range, as far as its region has them.
func (b *budget) rangePages(r engine.Range) int64 {
	p := b.procs[r.Proc]
	if p == nil {
		return 0
	}
	n := p.regions[r.Region]
	if r.Whole {
		return n
	}
	return max(0, min(n, int64(r.Last)+1)-int64(r.First))
}
