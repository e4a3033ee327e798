package render

import (
	"math/bits"
	"slices"

	"github.com/avdoc/avdoc/engine"
)

// scene says which objects one drawing shows: a flag per object, indexed
// by id-1 like the slices of [engine.State] (for pages, a bit), and the
// stacks that stand for runs of alike processes and pages.
type scene struct {
	proc, vma, av, avc, slot []bool
	page                     pageSet     // the pages, by index
	zero                     bool        // the shared zero page, drawn only with PTEs
	stacks                   []procRun   // runs of processes drawn as one stack
	hidden                   []bool      // per process: a member of a stack drawn by another
	pageRuns                 []pageRun   // runs of alike pages drawn as one stack, by first page
	stackOf                  []int       // per process: how many processes its stack stands for, or 0
	mapper                   pageMappers // per page: the first drawn VMA that leads to it, if any
}

// selectScene picks what to draw: the live processes named by opt.Only
// (all when it is empty), their VMAs, the AVCs of those VMAs, their pages,
// and every anon_vma one of those points at. Without a filter, live
// anon_vmas and mapped pages nothing drawn points at are drawn too, so
// that a leak shows. Runs of alike processes (opt.Collapse, or found when
// there are many) become stacks; so do long runs of alike pages.
func selectScene(st *engine.State, opt Options, memo *ledToMemo) scene {
	s := scene{
		proc: make([]bool, len(st.Procs)), vma: make([]bool, len(st.VMAs)),
		av: make([]bool, len(st.AnonVMAs)), avc: make([]bool, len(st.AVCs)),
		page: newPageSet(len(st.Pages)), slot: make([]bool, len(st.Swap)),
	}
	filtered := len(opt.Only) > 0
	s.pickProcs(st, opt.Only)
	s.collapse(st, opt)
	s.pickVMAs(st)
	s.pickAVCs(st)
	if !opt.HidePages {
		s.pickPages(st, filtered, memo)
	}
	s.pickAnonVMAs(st, filtered)
	s.zero = opt.PTEs && !opt.HidePages && s.mapsZero(st)
	s.addWalk(st, opt)
	if opt.Swap {
		s.pickSlots(st, filtered)
	}
	if !opt.HidePages {
		s.findPageRuns(st, opt.Walk)
	}
	return s
}

func (s *scene) pickProcs(st *engine.State, only []string) {
	for i, p := range st.Procs {
		s.proc[i] = !p.Exited && (len(only) == 0 || slices.Contains(only, p.Name))
	}
}

func (s *scene) pickVMAs(st *engine.State) {
	for i, p := range st.Procs {
		if !s.proc[i] {
			continue
		}
		for _, id := range p.VMAs {
			if valid(int(id), len(st.VMAs)) && !st.VMA(id).Gone {
				s.vma[id-1] = true
			}
		}
	}
}

// pickAVCs takes every AVC on a drawn VMA's chain, freed or not (a freed
// one there is a dangling pointer worth seeing), and every live AVC whose
// VMA is drawn.
func (s *scene) pickAVCs(st *engine.State) {
	for i, v := range st.VMAs {
		if !s.vma[i] {
			continue
		}
		for _, id := range v.Chain {
			if valid(int(id), len(st.AVCs)) {
				s.avc[id-1] = true
			}
		}
	}
	for i, c := range st.AVCs {
		if !c.Freed && valid(int(c.VMA), len(st.VMAs)) && s.vma[c.VMA-1] {
			s.avc[i] = true
		}
	}
}

// pickPages takes the live pages a drawn VMA maps or holds a swap entry
// for and, unless filtered, every other live page that is mapped or in the
// swap cache, but for those only members of a stack map.
func (s *scene) pickPages(st *engine.State, filtered bool, memo *ledToMemo) {
	s.mapper = mappers(st, s.vma)
	for i := range s.mapper.pages.all() {
		if !st.Pages[i].Freed {
			s.page.add(i)
		}
	}
	if !filtered {
		s.pickLoosePages(st, memo)
	}
}

// pickLoosePages takes every live page that is mapped or in the swap
// cache and that no drawn VMA leads to, unless a hidden member of a stack
// does. It reads only the pages no drawn VMA leads to, and finds those
// hidden members lead to, going through all their PTEs, only once it has
// come upon one such page.
func (s *scene) pickLoosePages(st *engine.State, memo *ledToMemo) {
	var hiddenRef pageSet // found when first needed
	for w := range s.page {
		rest := ^s.mapper.pages[w]
		if hiddenRef != nil {
			rest &^= hiddenRef[w]
		}
		for rest != 0 {
			b := bits.TrailingZeros64(rest)
			rest &^= 1 << b
			i := w*64 + b
			if i >= len(st.Pages) {
				return
			}
			if pg := &st.Pages[i]; pg.Freed || pg.Mapcount <= 0 && pg.Swap == 0 {
				continue
			}
			if s.hidden != nil && hiddenRef == nil {
				hiddenRef = memo.ledTo(st, s.hiddenVMAs(st))
				rest &^= hiddenRef[w]
				if hiddenRef.has(i) {
					continue
				}
			}
			s.page.add(i)
		}
	}
}

// mappers finds, for each page a PTE of a VMA of the set leads to, the
// first such VMA. A VMA numbered 0 leads nowhere: 0 means no VMA.
func mappers(st *engine.State, set []bool) pageMappers {
	m := pageMappers{pages: newPageSet(len(st.Pages))}
	var first []engine.PageID // in the order their mappers were found
	var by []engine.VMAID     // the mapper of each of first
	for i := range st.VMAs {
		v := &st.VMAs[i]
		if !set[i] || v.ID == 0 {
			continue
		}
		for _, pte := range v.PTEs {
			if id := ptePage(st, pte); id != 0 && !m.pages.has(int(id)-1) {
				m.pages.add(int(id) - 1)
				first, by = append(first, id), append(by, v.ID)
			}
		}
	}
	m.rank = make([]int, len(m.pages))
	n := 0
	for w, word := range m.pages {
		m.rank[w] = n
		n += bits.OnesCount64(word)
	}
	m.vmas = make([]engine.VMAID, n)
	for j, id := range first {
		m.vmas[m.at(int(id)-1)] = by[j]
	}
	return m
}

// ledTo returns the pages a PTE of a VMA of the set leads to, as
// [ptePage] finds them. A VMA numbered 0 leads nowhere, as in [mappers].
// The set may hold a million PTEs: the loop reads each once, and looks
// up only a swap entry's slot.
func ledTo(st *engine.State, set []bool) pageSet {
	out := newPageSet(len(st.Pages))
	var b pageSetBuilder
	for i := range st.VMAs {
		v := &st.VMAs[i]
		if !set[i] || v.ID == 0 {
			continue
		}
		for j := range v.PTEs {
			pte := &v.PTEs[j]
			switch id := pte.Page; pte.Kind {
			case engine.PTEPage:
				if valid(int(id), len(st.Pages)) {
					b.add(out, int(id)-1)
				}
			case engine.PTESwap:
				if id := ptePage(st, *pte); id != 0 {
					b.add(out, int(id)-1)
				}
			}
		}
	}
	b.flush(out)
	return out
}

// pickAnonVMAs takes the anon_vmas that a drawn VMA, AVC or page points
// at, freed or not, and without a filter every live one that no hidden
// member of a stack is linked to.
func (s *scene) pickAnonVMAs(st *engine.State, filtered bool) {
	hidden := s.hiddenAnonVMAs(st)
	for i := range st.AnonVMAs {
		s.av[i] = !filtered && !st.AnonVMAs[i].Freed && !hidden[i]
	}
	for i, v := range st.VMAs {
		if s.vma[i] {
			s.markAV(st, v.AnonVMA)
		}
	}
	for i, c := range st.AVCs {
		if s.avc[i] {
			s.markAV(st, c.AnonVMA)
		}
	}
	for i := range s.page.all() {
		s.markAV(st, st.Pages[i].Mapping)
	}
}

func (s *scene) markAV(st *engine.State, id engine.AVID) {
	if valid(int(id), len(st.AnonVMAs)) {
		s.av[id-1] = true
	}
}

func (s *scene) mapsZero(st *engine.State) bool {
	for i, v := range st.VMAs {
		if s.vma[i] && slices.ContainsFunc(v.PTEs, func(p engine.PTE) bool { return p.Kind == engine.PTEZero }) {
			return true
		}
	}
	return false
}

// addWalk makes sure the objects a highlighted walk names are drawn: the
// walked page (unless pages are hidden) and the anon_vma it locked or
// oopsed on.
func (s *scene) addWalk(st *engine.State, opt Options) {
	w := opt.Walk
	if w == nil {
		return
	}
	if !opt.HidePages && valid(int(w.Page), len(st.Pages)) && !st.Page(w.Page).Freed {
		s.page.add(int(w.Page) - 1)
	}
	s.markAV(st, w.AnonVMA)
	if w.Oops != nil {
		s.markAV(st, w.Oops.AnonVMA)
	}
}

// pickSlots takes the live swap slots that a drawn page is cached for or
// a drawn VMA holds an entry of and, unless filtered, every live one.
func (s *scene) pickSlots(st *engine.State, filtered bool) {
	for i, sl := range st.Swap {
		s.slot[i] = !filtered && !sl.Freed
	}
	for i := range s.page.all() {
		if pg := &st.Pages[i]; valid(int(pg.Swap), len(st.Swap)) {
			s.slot[pg.Swap-1] = true
		}
	}
	for i, v := range st.VMAs {
		if !s.vma[i] {
			continue
		}
		for _, pte := range v.PTEs {
			if pte.Kind == engine.PTESwap && valid(int(pte.Swap), len(st.Swap)) {
				s.slot[pte.Swap-1] = true
			}
		}
	}
}

// ledToMemo remembers the last [ledTo] it made, for a drawing of another
// state that shares what it read: the state before a step, which keeps
// most page tables as they were (the engine shares unchanged slices
// between its states), gives the same pages for a stack's hidden members.
type ledToMemo struct {
	st  *engine.State
	set []bool
	out pageSet // read only
}

// ledTo returns ledTo(st, set), found again only when st's VMAs of the
// set, their page tables, its number of pages or its swap slots are not
// the memo's.
func (m *ledToMemo) ledTo(st *engine.State, set []bool) pageSet {
	if m.st == nil || !m.same(st, set) {
		*m = ledToMemo{st: st, set: set, out: ledTo(st, set)}
	}
	return m.out
}

// same reports whether ledTo(st, set) is sure to be the memo's.
func (m *ledToMemo) same(st *engine.State, set []bool) bool {
	a := m.st
	if len(st.Pages) != len(a.Pages) || !sameSlice(st.Swap, a.Swap) {
		return false
	}
	for i := range max(len(set), len(m.set)) {
		in, was := i < len(set) && set[i], i < len(m.set) && m.set[i]
		if in != was {
			return false
		}
		if in && (st.VMAs[i].ID != a.VMAs[i].ID || !sameSlice(st.VMAs[i].PTEs, a.VMAs[i].PTEs)) {
			return false
		}
	}
	return true
}

// sameSlice reports whether a and b are one slice: the same length, and
// the same array.
func sameSlice[E any](a, b []E) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// ptePage returns the page a PTE leads to: the page it maps, or the page
// in the swap cache for its swap entry; 0 if none.
func ptePage(st *engine.State, pte engine.PTE) engine.PageID {
	switch {
	case pte.Kind == engine.PTEPage && valid(int(pte.Page), len(st.Pages)):
		return pte.Page
	case pte.Kind == engine.PTESwap && valid(int(pte.Swap), len(st.Swap)):
		if id := st.Slot(pte.Swap).Page; valid(int(id), len(st.Pages)) {
			return id
		}
	}
	return 0
}

// valid reports whether id names one of n objects; ids count from 1 and
// 0 is a NULL pointer.
func valid(id, n int) bool { return id > 0 && id <= n }
