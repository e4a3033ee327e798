package engine

import (
	"iter"
	"math"
	"sync"
)

// pteIndex is the page tables read backwards: for each page, where the
// PTEs that map it are, in the order [State.Mappers] lists them (process,
// then address). It is to the simulator what 2.6.6's pte_chains are to the
// kernel: the walk of a page reads that page's PTEs and no other, rather
// than every PTE of every process.
//
// A snapshot builds its index on first use, once: it is never modified,
// and several goroutines may read it at once. A snapshot in which no
// process, VMA start or page table changed takes the previous one's index
// (built or not) rather than a new one. The machine's own state changes
// under it, so it has an index only for the length of an event that walks
// pages and changes no PTE but those of the page just walked (see
// [Machine.indexPTEs]); every use checks that the PTE still maps the page,
// so that the walk of a page does not see the PTEs an earlier walk of the
// same event unmapped. Outside those events, and in a State made by hand,
// the rmap field is nil and Mappers scans.
type pteIndex struct {
	once sync.Once
	ok   bool // built: false until then, or if the state is too big for it
	// page id's PTEs are at[first[id]:first[id+1]], for ids 1 to
	// len(first)-2 (the pages there were when it was built).
	first []int32
	at    []ptePos
}

// ptePos is where a PTE is: its VMA, and its place in the VMA's PTEs.
type ptePos struct {
	vma int32 // a VMAID, in 4 bytes: a million mappings take 8 MB
	pte uint32
}

// index returns the state's PTE index, built, or nil if it has none.
func (s *State) index() *pteIndex {
	x := s.rmap
	if x == nil {
		return nil
	}
	x.once.Do(func() { s.buildIndex(x) })
	if !x.ok {
		return nil
	}
	return x
}

// buildIndex files every PTE that maps a page, as Mappers would find it:
// one pass counts them per page, one files them, backwards, so that each
// page's stay in Mappers' order. x.ok is set last: a build that panics, or
// a state too big for the index's 32-bit fields, leaves Mappers scanning.
func (s *State) buildIndex(x *pteIndex) {
	n := len(s.Pages)
	if n >= math.MaxInt32 || len(s.VMAs) > math.MaxInt32 {
		return
	}
	first := make([]int32, n+2) // first[id] counts page id's PTEs for now
	total := 0
	for i := range s.Procs {
		if p := &s.Procs[i]; !p.Exited {
			for _, vid := range p.VMAs {
				v := s.VMA(vid)
				if uint64(len(v.PTEs)) > math.MaxUint32 {
					return
				}
				for _, pte := range v.PTEs {
					if pte.Kind == PTEPage && pte.Page >= 1 && int(pte.Page) <= n {
						first[pte.Page]++
						total++
					}
				}
			}
		}
	}
	if total > math.MaxInt32 {
		return
	}
	for id := 1; id < len(first); id++ {
		first[id] += first[id-1] // now first[id] is where page id's end
	}
	at := make([]ptePos, total)
	for i := len(s.Procs) - 1; i >= 0; i-- {
		p := &s.Procs[i]
		if p.Exited {
			continue
		}
		for k := len(p.VMAs) - 1; k >= 0; k-- {
			v := s.VMA(p.VMAs[k])
			for j := len(v.PTEs) - 1; j >= 0; j-- {
				if pte := v.PTEs[j]; pte.Kind == PTEPage && pte.Page >= 1 && int(pte.Page) <= n {
					first[pte.Page]--
					at[first[pte.Page]] = ptePos{vma: int32(p.VMAs[k]), pte: uint32(j)}
				}
			}
		}
	}
	// Now first[id] is where page id's start, and first[n+1] is total.
	x.first, x.at, x.ok = first, at, true
}

// mappers yields Mappers(id) one at a time: from the state's index if it
// has one that covers the page, else by a scan of every PTE.
func (s *State) mappers(id PageID) iter.Seq[Mapping] {
	return func(yield func(Mapping) bool) {
		x := s.index()
		if x == nil || id < 1 || int(id) > len(x.first)-2 {
			s.scanMappers(id, yield)
			return
		}
		for _, e := range x.at[x.first[id]:x.first[id+1]] {
			v := &s.VMAs[e.vma-1]
			if int(e.pte) >= len(v.PTEs) {
				continue
			}
			if pte := v.PTEs[e.pte]; pte.Kind != PTEPage || pte.Page != id {
				continue // unmapped since the index was built, in this event
			}
			if !yield(Mapping{VMA: VMAID(e.vma), Addr: v.Start + uint64(e.pte)}) {
				return
			}
		}
	}
}

// scanMappers yields where page id is mapped, looking at every PTE of
// every live process.
func (s *State) scanMappers(id PageID, yield func(Mapping) bool) {
	for i := range s.Procs {
		p := &s.Procs[i]
		if p.Exited {
			continue
		}
		for _, vid := range p.VMAs {
			v := s.VMA(vid)
			for j, pte := range v.PTEs {
				if pte.Kind == PTEPage && pte.Page == id {
					if !yield(Mapping{VMA: vid, Addr: v.Start + uint64(j)}) {
						return
					}
				}
			}
		}
	}
}

// snapshotIndex returns the PTE index for c, a new snapshot made after
// prev (or nil): prev's if no process, VMA start, page table, nor the
// number of pages changed since, which the index depends on; else a new
// one, built on first use.
func snapshotIndex(c, prev *State) *pteIndex {
	if prev == nil || prev.rmap == nil || !sameMappings(c, prev) {
		return new(pteIndex)
	}
	return prev.rmap
}

// sameMappings reports whether c maps the same pages at the same places
// as prev, its predecessor, whose unchanged slices c shares: so the
// comparison looks at where slices begin, not at their elements.
func sameMappings(c, prev *State) bool {
	if len(c.Pages) != len(prev.Pages) || len(c.Procs) != len(prev.Procs) || len(c.VMAs) != len(prev.VMAs) {
		return false
	}
	for i := range c.Procs {
		if p, q := &c.Procs[i], &prev.Procs[i]; p.Exited != q.Exited || !sameSlice(p.VMAs, q.VMAs) {
			return false
		}
	}
	for i := range c.VMAs {
		if v, w := &c.VMAs[i], &prev.VMAs[i]; v.Start != w.Start || !sameSlice(v.PTEs, w.PTEs) {
			return false
		}
	}
	return true
}

// sameSlice reports whether a and b are one slice: the same length, and
// the same memory if not empty.
func sameSlice[E any](a, b []E) bool { return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0]) }

// indexPTEs gives the machine's state a PTE index until the returned
// function runs, at the end of the event. Only events that change no PTE
// but those of a page they walked, after walking it, may use it: walk and
// swapout. Only 2.6.6's walk reads it.
func (m *Machine) indexPTEs() (done func()) {
	if m.model.Design != DesignPTEChain {
		return func() {}
	}
	m.st.rmap = new(pteIndex)
	return func() { m.st.rmap = nil }
}
