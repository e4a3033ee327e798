package render

import (
	"slices"

	"github.com/avdoc/avdoc/engine"
)

// scene says which objects one drawing shows: a flag per object, indexed
// by id-1 like the slices of [engine.State], and the stacks that stand for
// runs of alike processes and pages.
type scene struct {
	proc, vma, av, avc, page, slot []bool
	zero                           bool           // the shared zero page, drawn only with PTEs
	stacks                         []procRun      // runs of processes drawn as one stack
	hidden                         []bool         // per process: a member of a stack drawn by another
	pageRuns                       []pageRun      // runs of alike pages drawn as one stack, by first page
	stackOf                        []int          // per process: how many processes its stack stands for, or 0
	mapper                         []engine.VMAID // per page: the first drawn VMA that maps it, or 0
}

// selectScene picks what to draw: the live processes named by opt.Only
// (all when it is empty), their VMAs, the AVCs of those VMAs, their pages,
// and every anon_vma one of those points at. Without a filter, live
// anon_vmas and mapped pages nothing drawn points at are drawn too, so
// that a leak shows. Runs of alike processes (opt.Collapse, or found when
// there are many) become stacks; so do long runs of alike pages.
func selectScene(st *engine.State, opt Options) scene {
	s := scene{
		proc: make([]bool, len(st.Procs)), vma: make([]bool, len(st.VMAs)),
		av: make([]bool, len(st.AnonVMAs)), avc: make([]bool, len(st.AVCs)),
		page: make([]bool, len(st.Pages)), slot: make([]bool, len(st.Swap)),
	}
	filtered := len(opt.Only) > 0
	s.pickProcs(st, opt.Only)
	s.collapse(st, opt)
	s.pickVMAs(st)
	s.pickAVCs(st)
	if !opt.HidePages {
		s.pickPages(st, filtered)
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
func (s *scene) pickPages(st *engine.State, filtered bool) {
	s.mapper = s.mappers(st, s.vma)
	var hiddenRef []engine.VMAID
	if s.hidden != nil {
		hiddenRef = s.mappers(st, s.hiddenVMAs(st))
	}
	for i, pg := range st.Pages {
		loose := !filtered && (pg.Mapcount > 0 || pg.Swap != 0) && (hiddenRef == nil || hiddenRef[i] == 0)
		s.page[i] = !pg.Freed && (s.mapper[i] != 0 || loose)
	}
}

// mappers returns, per page, the first VMA of the set whose PTE leads to
// it, or 0.
func (s *scene) mappers(st *engine.State, set []bool) []engine.VMAID {
	out := make([]engine.VMAID, len(st.Pages))
	for i, v := range st.VMAs {
		if !set[i] {
			continue
		}
		for _, pte := range v.PTEs {
			if id := ptePage(st, pte); id != 0 && out[id-1] == 0 {
				out[id-1] = v.ID
			}
		}
	}
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
	for i, pg := range st.Pages {
		if s.page[i] {
			s.markAV(st, pg.Mapping)
		}
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
		s.page[w.Page-1] = true
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
	for i, pg := range st.Pages {
		if s.page[i] && valid(int(pg.Swap), len(st.Swap)) {
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
