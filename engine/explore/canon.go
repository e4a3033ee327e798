package explore

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"slices"
	"strconv"

	"github.com/avdoc/avdoc/engine"
)

// The canonical encoding of a state names its objects in a canonical
// traversal order, processes first, sorted by a signature that uses no
// ids (ties keep creation order: the reduction is partial, never
// unsound). Two states with equal encodings are isomorphic: they differ
// only by object ids, process names, and the order things were created
// in, so they are explored once.
//
// The slab's free list is left out: it decides only what a walk into
// freed memory finds, which happens after an invariant broke (I7), where
// the search stops unless told to look past it.

// fingerprint is the first 64 bits of the SHA-256 of an encoding: what
// the search stores of a state (see the package doc for the collision
// bound).
type fingerprint uint64

// fingerprintOf hashes an encoding; 0 is kept for "no state", so it
// becomes 1.
func fingerprintOf(enc []byte) fingerprint {
	sum := sha256.Sum256(enc)
	if f := fingerprint(binary.LittleEndian.Uint64(sum[:8])); f != 0 {
		return f
	}
	return 1
}

// encoder writes canonical encodings. It keeps its buffers from one
// state to the next: a search worker owns one.
type encoder struct {
	st    *engine.State
	b     []byte
	avs   namer
	pages namer
	slots namer
	// vmaPos holds "process.vma" in canonical order, by VMA id (empty
	// for a VMA of no live process).
	vmaPos [][]byte
	// sigs holds the live processes' signatures, back to back.
	sigs  []byte
	procs []procSig
	live  []*engine.Process // the live processes, in the order ties keep
}

// procSig is a live process and where its signature lies in sigs.
type procSig struct {
	p        *engine.Process
	from, to int
}

// namer names objects 1, 2, … in the order the traversal first meets them
// (0, none, stays 0), and queues each to be encoded once.
type namer struct {
	ids   []int // by object id; 0 is not named yet
	queue []int
	done  int // how many queued objects are encoded
}

func (n *namer) reset(objects int) {
	n.ids = slices.Grow(n.ids[:0], objects+1)[:objects+1]
	clear(n.ids)
	n.queue, n.done = n.queue[:0], 0
}

func (n *namer) name(id int) int {
	if id == 0 {
		return 0
	}
	if n.ids[id] == 0 {
		n.queue = append(n.queue, id)
		n.ids[id] = len(n.queue)
	}
	return n.ids[id]
}

// next returns the next queued object not yet encoded.
func (n *namer) next() (int, bool) {
	if n.done == len(n.queue) {
		return 0, false
	}
	n.done++
	return n.queue[n.done-1], true
}

// encode returns the canonical encoding of st, valid until the next call.
func (e *encoder) encode(st *engine.State) []byte {
	e.live = append(e.live[:0], st.LiveProcs()...)
	return e.encodeLive(st)
}

// encodeLive encodes st taking the processes of e.live in that order
// where their signatures tie.
func (e *encoder) encodeLive(st *engine.State) []byte {
	e.st, e.b = st, e.b[:0]
	e.avs.reset(len(st.AnonVMAs))
	e.pages.reset(len(st.Pages))
	e.slots.reset(len(st.Swap))
	e.vmaPos = slices.Grow(e.vmaPos[:0], len(st.VMAs)+1)[:len(st.VMAs)+1]
	for i := range e.vmaPos {
		e.vmaPos[i] = e.vmaPos[i][:0]
	}
	for _, ps := range e.procOrder() {
		e.proc(ps)
	}
	e.drain()
	e.st = nil
	return e.b
}

// procOrder returns the live processes sorted by their signature, and
// names their VMAs by position.
func (e *encoder) procOrder() []procSig {
	e.sigs, e.procs = e.sigs[:0], e.procs[:0]
	for _, p := range e.live {
		from := len(e.sigs)
		e.sigs = e.signature(e.sigs, p)
		e.procs = append(e.procs, procSig{p, from, len(e.sigs)})
	}
	slices.SortStableFunc(e.procs, func(a, b procSig) int {
		return bytes.Compare(e.sigs[a.from:a.to], e.sigs[b.from:b.to])
	})
	for i, ps := range e.procs {
		for j, id := range ps.p.VMAs {
			pos := strconv.AppendInt(e.vmaPos[id], int64(i), 10)
			e.vmaPos[id] = strconv.AppendInt(append(pos, '.'), int64(j), 10)
		}
	}
	return e.procs
}

// signature describes a process without ids: its regions, its VMAs'
// bounds and flags, chain lengths and the kinds of its PTEs.
func (e *encoder) signature(b []byte, p *engine.Process) []byte {
	for _, r := range p.Regions {
		b = append(append(append(b, 'r'), r.Name...), ':')
		b = appendUint(b, r.Start, '+')
		b = appendInt(b, r.Pages, ';')
	}
	for _, id := range p.VMAs {
		v := e.st.VMA(id)
		b = appendUint(append(b, 'v'), v.Start, '-')
		b = appendUint(b, v.End, '/')
		b = appendUint(b, v.Pgoff, '/')
		b = strconv.AppendBool(strconv.AppendBool(b, v.Writable), v.Accounted)
		b = appendInt(append(b, '/'), len(v.Chain), '/')
		b = append(strconv.AppendBool(b, v.AnonVMA != 0), ':')
		for _, pte := range v.PTEs {
			b = strconv.AppendBool(strconv.AppendInt(b, int64(pte.Kind), 10), pte.Writable)
			if pte.Kind == engine.PTEPage {
				b = strconv.AppendInt(append(b, 'm'), int64(e.st.Page(pte.Page).Mapcount), 10)
			}
		}
		b = append(b, ';')
	}
	return b
}

func (e *encoder) proc(ps procSig) {
	e.b = append(append(e.b, "P{"...), e.sigs[ps.from:ps.to]...)
	for _, id := range ps.p.VMAs {
		v := e.st.VMA(id)
		e.b = appendInt(append(e.b, "|av"...), e.av(v.AnonVMA), '[')
		for _, c := range v.Chain {
			e.b = appendInt(e.b, e.av(e.st.AVC(c).AnonVMA), ',')
		}
		e.b = append(e.b, ']')
		for _, pte := range v.PTEs {
			switch pte.Kind {
			case engine.PTEPage:
				e.b = strconv.AppendInt(append(e.b, 'p'), int64(e.pages.name(int(pte.Page))), 10)
			case engine.PTESwap:
				e.b = strconv.AppendInt(append(e.b, 's'), int64(e.slots.name(int(pte.Swap))), 10)
			default:
				e.b = append(e.b, '.')
			}
		}
	}
	e.b = append(e.b, '}')
}

func (e *encoder) av(id engine.AVID) int { return e.avs.name(int(id)) }

// drain encodes every anon_vma, page and slot met so far, and those they
// lead to, until none is left.
func (e *encoder) drain() {
	for {
		if id, ok := e.avs.next(); ok {
			e.anonVMA(e.st.AnonVMA(engine.AVID(id)))
		} else if id, ok := e.pages.next(); ok {
			e.pageRec(e.st.Page(engine.PageID(id)))
		} else if id, ok := e.slots.next(); ok {
			e.slot(e.st.Slot(engine.SwapID(id)))
		} else {
			return
		}
	}
}

func (e *encoder) slot(sl *engine.SwapSlot) {
	e.b = appendInt(append(e.b, "S{"...), sl.Count, ',')
	e.b = appendUint(e.b, sl.Index, ',')
	e.b = append(strconv.AppendBool(e.b, sl.Freed), ",p"...)
	e.b = appendInt(e.b, e.pages.name(int(sl.Page)), '}')
}

func (e *encoder) anonVMA(a *engine.AnonVMA) {
	b := append(strconv.AppendBool(append(e.b, "A{"...), a.Freed), ",par"...)
	b = appendInt(b, e.av(a.Parent), ',')
	b = appendInt(append(b, "root"...), e.av(a.Root), ',')
	b = appendInt(append(b, "ref"...), a.Refcount, ',')
	b = appendInt(append(b, "deg"...), a.Degree, ',')
	b = appendInt(append(b, "nc"...), a.NumChildren, ',')
	b = appendInt(append(b, "nav"...), a.NumActiveVMAs, ',')
	b = appendInt(append(b, "reused"...), e.av(a.ReusedBy), ',')
	b = append(b, '[')
	for _, id := range a.Head {
		c := e.st.AVC(id)
		b = append(append(b, e.vmaPos[c.VMA]...), ':')
		b = appendUint(b, c.First, '-')
		b = appendUint(b, c.Last, ',')
	}
	b = append(b, "]["...)
	for _, id := range a.VMAs {
		b = append(append(b, e.vmaPos[id]...), ',')
	}
	e.b = append(b, "]}"...)
}

func (e *encoder) pageRec(pg *engine.Page) {
	b := appendUint(append(e.b, "G{"...), pg.Index, ',')
	b = appendInt(append(b, "av"...), e.av(pg.Mapping), ',')
	b = appendInt(append(b, 'm'), pg.Mapcount, ',')
	b = strconv.AppendBool(append(strconv.AppendBool(b, pg.Freed), ','), pg.Chained)
	if pg.Swap != 0 {
		b = strconv.AppendInt(append(b, ",s"...), int64(e.slots.name(int(pg.Swap))), 10)
	}
	e.b = append(b, '}')
}

// appendInt and appendUint append a number and a separator.
func appendInt(b []byte, n int, sep byte) []byte {
	return append(strconv.AppendInt(b, int64(n), 10), sep)
}

func appendUint(b []byte, n uint64, sep byte) []byte {
	return append(strconv.AppendUint(b, n, 10), sep)
}
