package explore

// The encoder as it was before the search stored fingerprints, built with
// fmt: the reference the fast encoder must match byte for byte, so that
// the search explores exactly the states it explored before.

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/avdoc/avdoc/engine"
)

// refEncoding encodes a state with its objects renamed in a canonical
// traversal order, processes first, sorted by a signature that uses no
// ids (ties keep creation order: the reduction is partial, never
// unsound).
func refEncoding(st *engine.State) string {
	e := newRefEncoder(st)
	for _, p := range e.procOrder() {
		e.proc(p)
	}
	e.drain()
	// The slab's free list is left out: it decides only what a walk into
	// freed memory finds, which happens after an invariant broke, where
	// the search stops.
	return e.b.String()
}

// encoder writes the canonical encoding, naming anon_vmas, pages and swap
// slots by the order in which the traversal first meets them.
type refEncoder struct {
	st     *engine.State
	b      strings.Builder
	avs    refNamer[engine.AVID]
	pages  refNamer[engine.PageID]
	slots  refNamer[engine.SwapID]
	vmaPos map[engine.VMAID]string // "process.vma" in canonical order
}

func newRefEncoder(st *engine.State) *refEncoder {
	return &refEncoder{st: st, vmaPos: map[engine.VMAID]string{}}
}

// namer names objects 1, 2, … in the order the traversal first meets them
// (0, none, stays 0), and queues each to be encoded once.
type refNamer[T ~int | ~int32] struct {
	ids   map[T]int
	queue []T
	done  int // how many queued objects are encoded
}

func (n *refNamer[T]) name(id T) int {
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
func (n *refNamer[T]) next() (T, bool) {
	if n.done == len(n.queue) {
		return 0, false
	}
	n.done++
	return n.queue[n.done-1], true
}

// procOrder returns the live processes sorted by their signature.
func (e *refEncoder) procOrder() []*engine.Process {
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
func (e *refEncoder) signature(p *engine.Process) string {
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

func (e *refEncoder) proc(p *engine.Process) {
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
func (e *refEncoder) av(id engine.AVID) int     { return e.avs.name(id) }
func (e *refEncoder) page(id engine.PageID) int { return e.pages.name(id) }
func (e *refEncoder) slot(id engine.SwapID) int { return e.slots.name(id) }

// drain encodes every anon_vma, page and slot met so far, and those they
// lead to, until none is left.
func (e *refEncoder) drain() {
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

func (e *refEncoder) anonVMA(a *engine.AnonVMA) {
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

func (e *refEncoder) pageRec(pg *engine.Page) {
	fmt.Fprintf(&e.b, "G{%d,av%d,m%d,%t,%t", pg.Index, e.av(pg.Mapping), pg.Mapcount, pg.Freed, pg.Chained)
	if pg.Swap != 0 {
		fmt.Fprintf(&e.b, ",s%d", e.slot(pg.Swap))
	}
	e.b.WriteString("}")
}

// TestEncodingMatchesReference: the fast encoder writes exactly what the
// fmt-built one did, on every state a small search of every event kind
// reaches, under models of each design, so fingerprints group states as
// the old keys did.
func TestEncodingMatchesReference(t *testing.T) {
	for _, name := range []string{"2.6.6", "2.6.33", "2.6.34-rc3", "3.19", "6.0"} {
		t.Run(name, func(t *testing.T) {
			cfg := Config{Model: model(t, name), Procs: 3, Pages: 2, Kinds: Kinds()}
			cfg.defaults()
			s, err := newSearch(cfg)
			if err != nil {
				t.Fatal(err)
			}
			var enc encoder
			frontier, checked := []*engine.Machine{s.workers[0].path[0].m}, 0
			for depth := 0; depth < 3; depth++ {
				var next []*engine.Machine
				for _, m := range frontier {
					for _, ev := range s.alphabet(m.State()) {
						c := m.Clone()
						if _, err := c.Advance([]engine.Event{ev}); err != nil {
							continue
						}
						if got, want := string(enc.encode(c.State())), refEncoding(c.State()); got != want {
							t.Fatalf("after %s:\n got %s\nwant %s", ev, got, want)
						}
						next, checked = append(next, c), checked+1
					}
				}
				frontier = next
			}
			if checked < 1000 {
				t.Errorf("compared %d states; want a real sample", checked)
			}
		})
	}
}
