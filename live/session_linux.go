package live

import (
	"errors"
	"fmt"
	"slices"

	"github.com/avdoc/avdoc/engine"
	"github.com/avdoc/avdoc/live/agent"
	"github.com/avdoc/avdoc/live/kread"
	"github.com/cilium/ebpf"
	"golang.org/x/sys/unix"
)

// Base is the address of story page number 0, where nothing of an agent's
// Go runtime lives: its heap starts at 0xc000000000 (arena hints follow
// at 0x1c000000000, ... 0x10c000000000, each tried only if the one before
// is taken), libraries and stacks are near the top of the address space,
// and a -race build's shadow memory starts at 0x200000000000.
const Base = 0x100000000000

// span bounds the story's address range, [Base, Base+span): 64 Mi pages,
// short of the next arena hint.
const span = 1 << 38

// mmapBase mirrors the engine's first free page number for an mmap
// without `at` (engine/mm.go), so that live and model regions coincide.
const mmapBase = 0x100

// Session runs one story live: its processes are agents, and Observe reads
// what the kernel built. Close it, on every path.
type Session struct {
	ctl      *agent.Controller
	rd       *kread.Reader
	pr       *kread.PageReader // nil when struct page cannot be read
	pagesErr error             // why pr is nil
	procs    []*proc           // in creation order; index+1 is the process id
	ids      *registry
	// step counts Step's steps; lastViolations are the last one's.
	step           int
	lastViolations []engine.Violation
	// swap says a swap device of kind swapDev is on (see UseSwap).
	swap    bool
	swapDev engine.SwapDevice
}

// proc is a story process.
type proc struct {
	name    string
	parent  int // process id, 0 for a spawned one
	a       *agent.Agent
	regions []engine.Region
	exited  bool
}

// Open probes the kernel and starts a controller. A kernel that cannot be
// read gives a *kread.UnavailableError.
func Open() (*Session, error) {
	rd, err := kread.Open(Base, Base+span)
	if err != nil {
		return nil, err
	}
	ctl, err := agent.Start()
	if err != nil {
		rd.Close()
		return nil, err
	}
	s := &Session{ctl: ctl, rd: rd, ids: newRegistry()}
	// Calibration watches the first struct pages allocated while an
	// agent faults one page; under load other allocations can crowd
	// it out, so it is tried again before giving up.
	for try := 0; try < 3 && (try == 0 || s.pagesErr != nil); try++ {
		s.pr, s.pagesErr = openPages(ctl)
	}
	var u *kread.UnavailableError
	if s.pagesErr != nil && !errors.As(s.pagesErr, &u) {
		return nil, errors.Join(s.pagesErr, s.Close())
	}
	return s, nil
}

// ProgramIDs returns the kernel's ids of the session's BPF programs, to
// check that nothing stays loaded.
func (s *Session) ProgramIDs() ([]ebpf.ProgramID, error) {
	ids, err := s.rd.ProgramIDs()
	if err != nil || s.pr == nil {
		return ids, err
	}
	more, err := s.pr.ProgramIDs()
	return append(ids, more...), err
}

// Pids returns the pids of the live story processes, in creation order.
func (s *Session) Pids() []int {
	var out []int
	for _, p := range s.procs {
		if !p.exited {
			out = append(out, p.a.Pid())
		}
	}
	return out
}

// PagesErr says why struct page cannot be read here (an
// *kread.UnavailableError), or is nil.
func (s *Session) PagesErr() error { return s.pagesErr }

// openPages loads the struct page reader and calibrates it with an agent
// of its own, which is no story process.
func openPages(ctl *agent.Controller) (*kread.PageReader, error) {
	pr, err := kread.OpenPages()
	if err != nil {
		return nil, err
	}
	a, err := ctl.Spawn()
	if err == nil {
		err = pr.Calibrate(a.Pid(), func() (uint64, uint64, error) { return faultOne(a) })
		err = errors.Join(err, a.Exit())
	}
	if err != nil {
		return nil, errors.Join(err, pr.Close())
	}
	return pr, nil
}

// faultOne maps a page at Base in agent a, writes it, and returns its PFN
// and the index it must have.
func faultOne(a *agent.Agent) (pfn, index uint64, err error) {
	if err := a.Mmap(Base, 1, true); err != nil {
		return 0, 0, err
	}
	if err := a.Touch(Base, 1, true); err != nil {
		return 0, 0, err
	}
	ptes, err := kread.PTEs(a.Pid(), Base, 1)
	if err != nil {
		return 0, 0, err
	}
	if !ptes[0].Present {
		return 0, 0, errors.New("calibrating: the written page is not present")
	}
	return ptes[0].PFN, Base / pageSize, nil
}

// Close ends every agent and unloads every BPF object.
func (s *Session) Close() error {
	err := errors.Join(s.ctl.Close(), s.rd.Close())
	if s.pr != nil {
		err = errors.Join(err, s.pr.Close())
	}
	return err
}

// Reset ends every story process and forgets every name and id, so that
// the next story starts afresh, as in a new session, on the same BPF
// programs and struct page calibration (opening a session costs hundreds
// of milliseconds; a reset costs the agents' exits). A free of an old
// object still watched is reported by the next Observe before it reads
// anything, and names nothing the new registry knows.
func (s *Session) Reset() error {
	var err error
	for _, p := range s.procs {
		if !p.exited {
			p.exited = true
			err = errors.Join(err, p.a.Exit())
		}
	}
	s.procs, s.ids, s.step, s.lastViolations = nil, newRegistry(), 0, nil
	return err
}

// ErrNotLive is returned for an event that cannot run on a live kernel:
// swap without a swap device, swap the kernel offers no way to ask for,
// hibernation.
var ErrNotLive = errors.New("cannot run on the live kernel")

// Apply runs one event in the real processes.
func (s *Session) Apply(ev engine.Event) error {
	switch ev.Op {
	case engine.OpSpawn:
		return s.spawn(ev.Proc)
	case engine.OpFork:
		return s.fork(ev.Proc, ev.Child)
	case engine.OpExit:
		return s.exit(ev.Proc)
	case engine.OpMmap:
		return s.mmap(ev)
	case engine.OpWalk:
		return nil // a walk reads; Observe derives its order
	case engine.OpSwapout:
		return s.swapout(ev)
	case engine.OpEvict:
		return s.evict(ev)
	case engine.OpHibernate:
		return &notLive{"hibernation never runs live", "run this story under a model only"}
	case engine.OpMremap:
		return s.mremap(ev)
	case engine.OpMadvise:
		return s.madvise(ev)
	}
	p, addr, pages, err := s.rangeOf(ev.Range)
	if err != nil {
		return err
	}
	switch ev.Op {
	case engine.OpRead, engine.OpWrite:
		return p.a.Touch(addr, pages, ev.Op == engine.OpWrite)
	case engine.OpMprotect:
		return p.mprotect(addr, pages, ev.Writable)
	case engine.OpMunmap:
		return p.munmap(addr, pages)
	}
	return fmt.Errorf("event %s: unknown", ev.Op)
}

// mprotect runs mprotect over pages from addr. The kernel changes the VMAs
// before a hole and then fails with ENOMEM (mm/mprotect.c
// do_mprotect_pkey, v6.18: `if (vma->vm_start != tmp) { error = -ENOMEM;
// break; }`); the engine applies such an event up to the hole and logs
// the failure, so here it counts as applied too. Only a range whose first
// page is unmapped, which the kernel leaves unchanged, stays refused:
// MADV_NORMAL on that page tells the two apart without changing a VMA
// whose flags are already normal (madvise_update_vma returns early).
func (p *proc) mprotect(addr uint64, pages int, writable bool) error {
	err := p.a.Mprotect(addr, pages, writable)
	if errors.Is(err, unix.ENOMEM) && pages > 1 && p.a.Madvise(addr, 1, unix.MADV_NORMAL) == nil {
		return nil
	}
	return err
}

// munmap unmaps pages from addr and forgets the regions it covers
// entirely, as the engine does (Machine.dropRegions): their names can be
// mapped again.
func (p *proc) munmap(addr uint64, pages int) error {
	if err := p.a.Munmap(addr, pages); err != nil {
		return err
	}
	start, end := page(addr), page(addr)+uint64(pages)
	p.regions = slices.DeleteFunc(p.regions, func(r engine.Region) bool { return start <= r.Start && r.End() <= end })
	return nil
}

// Madvise gives advice (unix.MADV_DONTNEED, unix.MADV_PAGEOUT, ...) on a
// range, an event of the live kernel only.
func (s *Session) Madvise(r engine.Range, advice int) error {
	p, addr, pages, err := s.rangeOf(r)
	if err != nil {
		return err
	}
	return p.a.Madvise(addr, pages, advice)
}

// Mremap moves a whole region to page number to (MREMAP_FIXED), resized
// to pages pages; the region keeps its name at its new place.
func (s *Session) Mremap(r engine.Range, to uint64, pages int) error {
	p, addr, old, err := s.rangeOf(engine.Range{Proc: r.Proc, Region: r.Region, Whole: true})
	if err != nil {
		return err
	}
	if err := p.a.Mremap(addr, old, pages, Base+to*pageSize); err != nil {
		return err
	}
	p.moved(r.Region, to, pages)
	return nil
}

// mremap runs a story's mremap event: a move (at) or a resize in place.
func (s *Session) mremap(ev engine.Event) error {
	if ev.HasAt {
		return s.Mremap(ev.Range, ev.At, ev.Pages)
	}
	p, addr, old, err := s.rangeOf(engine.Range{Proc: ev.Range.Proc, Region: ev.Range.Region, Whole: true})
	if err != nil {
		return err
	}
	if err := p.a.Mremap(addr, old, ev.Pages, 0); err != nil {
		return err
	}
	p.moved(ev.Range.Region, (addr-Base)/pageSize, ev.Pages)
	return nil
}

// madvise runs a story's madvise event. MADV_PAGEOUT reclaims to swap,
// so it needs a swap device, as swapout does; it leaves a shared page
// mapped, as the kernel does.
func (s *Session) madvise(ev engine.Event) error {
	switch {
	case ev.Advice == engine.AdviceDontneed:
		return s.Madvise(ev.Range, unix.MADV_DONTNEED)
	case ev.Advice != engine.AdvicePageout:
		return fmt.Errorf("madvise %s: unknown advice", ev.Advice)
	case !s.swap:
		return errNoSwap
	}
	p, addr, pages, err := s.rangeOf(ev.Range)
	if err != nil {
		return err
	}
	return s.pageout(pageSpan{p, addr, pages}, false)
}

// moved records that region name now starts at page number to and has
// pages pages.
func (p *proc) moved(name string, to uint64, pages int) {
	for i := range p.regions {
		if p.regions[i].Name == name {
			p.regions[i].Start, p.regions[i].Pages = to, pages
		}
	}
}

const pageSize = 4096

func (s *Session) spawn(name string) error {
	if s.live(name) != nil {
		return fmt.Errorf("spawn %s: a live process has that name", name)
	}
	a, err := s.ctl.Spawn()
	if err != nil {
		return err
	}
	s.procs = append(s.procs, &proc{name: name, a: a})
	return nil
}

func (s *Session) fork(parent, child string) error {
	p, err := s.proc(parent)
	if err != nil {
		return err
	}
	if s.live(child) != nil {
		return fmt.Errorf("fork %s %s: a live process has that name", parent, child)
	}
	a, err := p.a.Fork()
	if err != nil {
		return err
	}
	s.procs = append(s.procs, &proc{name: child, parent: s.idOf(p), a: a, regions: append([]engine.Region(nil), p.regions...)})
	return nil
}

func (s *Session) exit(name string) error {
	p, err := s.proc(name)
	if err != nil {
		return err
	}
	p.exited = true
	return p.a.Exit()
}

func (s *Session) mmap(ev engine.Event) error {
	p, err := s.proc(ev.Proc)
	if err != nil {
		return err
	}
	for _, r := range p.regions {
		if r.Name == ev.Region {
			return fmt.Errorf("mmap: process %s already has a region %s", p.name, ev.Region)
		}
	}
	start := nextFree(p.regions)
	if ev.HasAt {
		start = ev.At
	}
	if err := p.a.Mmap(Base+start*pageSize, ev.Pages, ev.Writable); err != nil {
		return err
	}
	p.regions = append(p.regions, engine.Region{Name: ev.Region, Start: start, Pages: ev.Pages})
	return nil
}

// nextFree is where an mmap without `at` goes: past every region, with a
// page of gap, as the engine places it (the engine also counts VMAs that
// outgrew their region, which only mremap makes here).
func nextFree(regions []engine.Region) uint64 {
	next := uint64(mmapBase)
	for _, r := range regions {
		next = max(next, r.End()+1)
	}
	return next
}

// rangeOf returns the process, first address and page count of a range.
func (s *Session) rangeOf(r engine.Range) (*proc, uint64, int, error) {
	p, err := s.proc(r.Proc)
	if err != nil {
		return nil, 0, 0, err
	}
	for _, reg := range p.regions {
		if reg.Name != r.Region {
			continue
		}
		first, last := r.First, r.Last
		if r.Whole {
			first, last = 0, reg.Pages-1
		}
		if first < 0 || last < first || last >= reg.Pages {
			return nil, 0, 0, fmt.Errorf("%s: pages %d..%d outside the region's %d", r, first, last, reg.Pages)
		}
		return p, Base + (reg.Start+uint64(first))*pageSize, last - first + 1, nil
	}
	return nil, 0, 0, fmt.Errorf("%s: process %s has no region %s", r, r.Proc, r.Region)
}

// proc returns the live process with that name.
func (s *Session) proc(name string) (*proc, error) {
	if p := s.live(name); p != nil {
		return p, nil
	}
	return nil, fmt.Errorf("no live process %s", name)
}

func (s *Session) live(name string) *proc {
	for _, p := range s.procs {
		if p.name == name && !p.exited {
			return p
		}
	}
	return nil
}

func (s *Session) idOf(p *proc) int {
	for i, q := range s.procs {
		if q == p {
			return i + 1
		}
	}
	return 0
}

// OpenStructPages loads a struct page reader calibrated, as a session's
// is, with an agent of a controller of its own (closed before it
// returns), for a reader of processes that are not a story's. A kernel
// that cannot be read gives a *kread.UnavailableError.
func OpenStructPages() (*kread.PageReader, error) {
	ctl, err := agent.Start()
	if err != nil {
		return nil, err
	}
	var pr *kread.PageReader
	for try := 0; try < 3 && (try == 0 || err != nil); try++ {
		pr, err = openPages(ctl)
	}
	if cerr := ctl.Close(); cerr != nil && err == nil {
		err = errors.Join(cerr, pr.Close())
	}
	if err != nil {
		return nil, err
	}
	return pr, nil
}
