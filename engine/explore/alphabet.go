package explore

import (
	"fmt"
	"slices"

	"github.com/avdoc/avdoc/engine"
)

// regionStart is where the setup maps region heap; region low, which the
// mmap kind adds, goes in the page just below it.
const regionStart = 0x200

// Setup is the events every search starts with: process P maps region
// heap of pages pages at page regionStart.
func Setup(pages int) []engine.Event {
	return []engine.Event{{Op: engine.OpSpawn, Proc: "P"},
		{Op: engine.OpMmap, Proc: "P", Region: "heap", Pages: pages, At: regionStart, HasAt: true, Writable: true}}
}

// alphabet lists the events the search tries after a state.
func (s *search) alphabet(st *engine.State) []engine.Event {
	return Alphabet(st, s.cfg.Kinds, s.cfg.Procs)
}

// Alphabet lists the events of the given kinds that can follow a state,
// with at most procs live processes: each kind, for each live process and
// each page of its regions, in a fixed order. Some the engine refuses
// (a write to a read-only page); [Inert] tells those that change nothing.
// avdoc live --random draws its random sequences from it too.
func Alphabet(st *engine.State, kinds []string, procs int) []engine.Event {
	var out []engine.Event
	live := st.LiveProcs()
	for _, p := range live {
		for _, k := range kinds {
			out = append(out, procEvents(st, p, k, len(live), procs)...)
		}
	}
	if slices.Contains(kinds, "hibernate") {
		out = append(out, engine.Event{Op: engine.OpHibernate})
	}
	return out
}

func procEvents(st *engine.State, p *engine.Process, kind string, live, procs int) []engine.Event {
	switch kind {
	case "fork":
		if live >= procs {
			return nil
		}
		// Children are named by how many processes ever existed, so the
		// same history always gives the same names.
		return []engine.Event{{Op: engine.OpFork, Proc: p.Name, Child: fmt.Sprintf("C%d", len(st.Procs))}}
	case "exit":
		if live < 2 {
			return nil
		}
		return []engine.Event{{Op: engine.OpExit, Proc: p.Name}}
	case "mmap":
		if _, ok := p.Region("low"); ok {
			return nil
		}
		return []engine.Event{{Op: engine.OpMmap, Proc: p.Name, Region: "low", Pages: 1, At: regionStart - 1, HasAt: true, Writable: true}}
	case "hibernate":
		return nil
	case "mremap":
		return mremapEvents(p)
	}
	return pageEvents(p, kind)
}

// pageEvents lists one event of a page kind for each page of p's regions.
func pageEvents(p *engine.Process, kind string) []engine.Event {
	var out []engine.Event
	for _, r := range p.Regions {
		for i := 0; i < r.Pages; i++ {
			rg := engine.Range{Proc: p.Name, Region: r.Name, First: i, Last: i}
			switch kind {
			case "mprotect":
				out = append(out, engine.Event{Op: engine.OpMprotect, Range: rg, Writable: false},
					engine.Event{Op: engine.OpMprotect, Range: rg, Writable: true})
			case "madvise":
				for _, a := range engine.Advices() {
					out = append(out, engine.Event{Op: engine.OpMadvise, Range: rg, Advice: a})
				}
			default:
				out = append(out, engine.Event{Op: pageOp(kind), Range: rg})
			}
		}
	}
	return out
}

// mremapMoveTo is the page number mremap moves a region to: past the
// setup's region, clear of the page below it that the mmap kind maps.
const mremapMoveTo = regionStart + 0x40

// mremapEvents lists, for each region of p, growing it by a page in place,
// shrinking it by one, and moving it whole (MREMAP_FIXED) to mremapMoveTo.
// The engine refuses what the kernel would (a grow into a neighbour, a
// move onto a mapping), and the search skips refused events.
func mremapEvents(p *engine.Process) []engine.Event {
	var out []engine.Event
	for _, r := range p.Regions {
		whole := engine.Range{Proc: p.Name, Region: r.Name, Whole: true}
		out = append(out, engine.Event{Op: engine.OpMremap, Range: whole, Pages: r.Pages + 1})
		if r.Pages > 1 {
			out = append(out, engine.Event{Op: engine.OpMremap, Range: whole, Pages: r.Pages - 1})
		}
		if r.Start != mremapMoveTo {
			out = append(out, engine.Event{Op: engine.OpMremap, Range: whole, Pages: r.Pages, At: mremapMoveTo, HasAt: true})
		}
	}
	return out
}

// pageOp is the event of a kind that applies to one page.
func pageOp(kind string) engine.Op {
	for _, o := range []engine.Op{engine.OpWrite, engine.OpRead, engine.OpSwapout, engine.OpEvict, engine.OpWalk, engine.OpMunmap} {
		if o.String() == kind {
			return o
		}
	}
	return 0
}

// Inert reports an event that the engine would refuse in st, or that
// would change nothing, so that trying it can find nothing and reach no
// new state: a write to a read-only VMA (SIGSEGV), a write to a page
// mapped writable or a read of a mapped one (no fault: the MMU does it),
// and an mprotect of one page to the flags its VMA has (mprotect_fixup
// returns at once when newflags == oldflags; rw implies VM_ACCOUNT).
// TestInertEventsChangeNothing holds the engine to this.
func Inert(st *engine.State, ev engine.Event) bool {
	if ev.Op != engine.OpWrite && ev.Op != engine.OpRead && ev.Op != engine.OpMprotect {
		return false
	}
	p := st.ProcByName(ev.Range.Proc)
	if p == nil || ev.Range.First != ev.Range.Last || ev.Range.Whole {
		return false
	}
	r, ok := p.Region(ev.Range.Region)
	if !ok {
		return false
	}
	pte, v := st.PTEAt(p, r.Start+uint64(ev.Range.First))
	switch {
	case v == nil:
		return false
	case ev.Op == engine.OpWrite:
		return !v.Writable || pte.Kind == engine.PTEPage && pte.Writable
	case ev.Op == engine.OpRead:
		return pte.Kind == engine.PTEPage || pte.Kind == engine.PTEZero
	}
	return v.Writable == ev.Writable && (!ev.Writable || v.Accounted)
}
