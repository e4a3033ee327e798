package explore

import (
	"cmp"
	"crypto/sha256"
	"fmt"
	"slices"
	"strings"

	"github.com/avdoc/avdoc/engine"
)

// key is the canonical key of a state: equal for two states exactly when
// the encoding below is, which requires them to be isomorphic. It
// ignores object ids and process names, so states that differ only by
// the order things were created in, or by which process is called what,
// are explored once.
type key [sha256.Size]byte

// canonKey encodes a state with its objects renamed in a canonical
// traversal order, processes first, sorted by a signature that uses no
// ids (ties keep creation order: the reduction is partial, never
// unsound).
func canonKey(st *engine.State) key {
	e := newEncoder(st)
	for _, p := range e.procOrder() {
		e.proc(p)
	}
	e.drain()
	// The slab's free list is left out: it decides only what a walk into
	// freed memory finds, which happens after an invariant broke, where
	// the search stops.
	return sha256.Sum256([]byte(e.b.String()))
}

// encoder writes the canonical encoding, naming anon_vmas, pages and swap
// slots by the order in which the traversal first meets them.
type encoder struct {
	st     *engine.State
	b      strings.Builder
	avs    namer[engine.AVID]
	pages  namer[engine.PageID]
	slots  namer[engine.SwapID]
	vmaPos map[engine.VMAID]string // "process.vma" in canonical order
}

func newEncoder(st *engine.State) *encoder {
	return &encoder{st: st, vmaPos: map[engine.VMAID]string{}}
}

// namer names objects 1, 2, … in the order the traversal first meets them
// (0, none, stays 0), and queues each to be encoded once.
type namer[T ~int] struct {
	ids   map[T]int
	queue []T
	done  int // how many queued objects are encoded
}

func (n *namer[T]) name(id T) int {
	if id == 0 {
		return 0
	}
	if k, ok := n.ids[id]; ok {
		return k
	}
	if n.ids == nil {
		n.ids = map[T]int{}
	}
	n.ids[id] = len(n.ids) + 1
	n.queue = append(n.queue, id)
	return n.ids[id]
}

// next returns the next queued object not yet encoded.
func (n *namer[T]) next() (T, bool) {
	if n.done == len(n.queue) {
		return 0, false
	}
	n.done++
	return n.queue[n.done-1], true
}

// procOrder returns the live processes sorted by their signature.
func (e *encoder) procOrder() []*engine.Process {
	procs := e.st.LiveProcs()
	sig := map[engine.ProcID]string{}
	for _, p := range procs {
		sig[p.ID] = e.signature(p)
	}
	slices.SortStableFunc(procs, func(a, b *engine.Process) int { return cmp.Compare(sig[a.ID], sig[b.ID]) })
	for i, p := range procs {
		for j, id := range p.VMAs {
			e.vmaPos[id] = fmt.Sprintf("%d.%d", i, j)
		}
	}
	return procs
}

// signature describes a process without ids: its regions, its VMAs'
// bounds and flags, chain lengths and the kinds of its PTEs.
func (e *encoder) signature(p *engine.Process) string {
	var b strings.Builder
	for _, r := range p.Regions {
		fmt.Fprintf(&b, "r%s:%d+%d;", r.Name, r.Start, r.Pages)
	}
	for _, id := range p.VMAs {
		v := e.st.VMA(id)
		fmt.Fprintf(&b, "v%d-%d/%d/%t%t/%d/%t:", v.Start, v.End, v.Pgoff, v.Writable, v.Accounted, len(v.Chain), v.AnonVMA != 0)
		for _, pte := range v.PTEs {
			fmt.Fprintf(&b, "%d%t", pte.Kind, pte.Writable)
			if pte.Kind == engine.PTEPage {
				fmt.Fprintf(&b, "m%d", e.st.Page(pte.Page).Mapcount)
			}
		}
		b.WriteByte(';')
	}
	return b.String()
}

func (e *encoder) proc(p *engine.Process) {
	e.b.WriteString("P{" + e.signature(p))
	for _, id := range p.VMAs {
		v := e.st.VMA(id)
		fmt.Fprintf(&e.b, "|av%d[", e.av(v.AnonVMA))
		for _, c := range v.Chain {
			fmt.Fprintf(&e.b, "%d,", e.av(e.st.AVC(c).AnonVMA))
		}
		e.b.WriteString("]")
		for _, pte := range v.PTEs {
			switch pte.Kind {
			case engine.PTEPage:
				fmt.Fprintf(&e.b, "p%d", e.page(pte.Page))
			case engine.PTESwap:
				fmt.Fprintf(&e.b, "s%d", e.slot(pte.Swap))
			default:
				e.b.WriteByte('.')
			}
		}
	}
	e.b.WriteString("}")
}

// av, page and slot name objects for the encoding.
func (e *encoder) av(id engine.AVID) int     { return e.avs.name(id) }
func (e *encoder) page(id engine.PageID) int { return e.pages.name(id) }
func (e *encoder) slot(id engine.SwapID) int { return e.slots.name(id) }

// drain encodes every anon_vma, page and slot met so far, and those they
// lead to, until none is left.
func (e *encoder) drain() {
	for {
		if id, ok := e.avs.next(); ok {
			e.anonVMA(e.st.AnonVMA(id))
		} else if id, ok := e.pages.next(); ok {
			e.pageRec(e.st.Page(id))
		} else if id, ok := e.slots.next(); ok {
			sl := e.st.Slot(id)
			fmt.Fprintf(&e.b, "S{%d,%d,%t,p%d}", sl.Count, sl.Index, sl.Freed, e.page(sl.Page))
		} else {
			return
		}
	}
}

func (e *encoder) anonVMA(a *engine.AnonVMA) {
	fmt.Fprintf(&e.b, "A{%t,par%d,root%d,ref%d,deg%d,nc%d,nav%d,reused%d,[", a.Freed, e.av(a.Parent), e.av(a.Root),
		a.Refcount, a.Degree, a.NumChildren, a.NumActiveVMAs, e.av(a.ReusedBy))
	for _, id := range a.Head {
		c := e.st.AVC(id)
		fmt.Fprintf(&e.b, "%s:%d-%d,", e.vmaPos[c.VMA], c.First, c.Last)
	}
	e.b.WriteString("][")
	for _, id := range a.VMAs {
		fmt.Fprintf(&e.b, "%s,", e.vmaPos[id])
	}
	e.b.WriteString("]}")
}

func (e *encoder) pageRec(pg *engine.Page) {
	fmt.Fprintf(&e.b, "G{%d,av%d,m%d,%t,%t", pg.Index, e.av(pg.Mapping), pg.Mapcount, pg.Freed, pg.Chained)
	if pg.Swap != 0 {
		fmt.Fprintf(&e.b, ",s%d", e.slot(pg.Swap))
	}
	e.b.WriteString("}")
}
