package engine

import (
	"fmt"
	"slices"
	"strings"
)

// walkRange walks every page of a range (the walk event), as
// page_referenced() does under memory pressure.
func (m *Machine) walkRange(ev Event) *EventError {
	p, pages, err := m.pages(ev.Range)
	if err != nil {
		return err
	}
	var ids []PageID
	for _, a := range pages {
		pte, _ := m.st.PTEAt(p, a)
		switch {
		case pte == nil:
			return errf(FieldIndex, "", "%s is not mapped (it was unmapped)", m.addr(p, a))
		case pte.Kind == PTEPage:
			ids = append(ids, pte.Page)
		case pte.Kind == PTESwap && m.st.Slot(pte.Swap).Page != 0:
			ids = append(ids, m.st.Slot(pte.Swap).Page)
		default:
			return errf(FieldIndex, "write the page first: only anonymous pages have a reverse mapping",
				"%s holds no anonymous page to walk", m.addr(p, a))
		}
	}
	defer m.indexPTEs()()
	for _, id := range ids {
		w := m.st.Walk(id, "page_referenced")
		m.recordWalk(w)
		m.logf(w.Func, "%s", m.st.DescribeWalk(&w))
		m.referenced(id)
	}
	return nil
}

// Walk makes the model's rmap walk of a page as the kernel function fn
// would (page_referenced, try_to_unmap), without changing anything.
//
// The walk starts only if the page is mapped (page_lock_anon_vma), locks
// the anon_vma in page->mapping and iterates its same_anon_vma list in
// order. For each AVC's VMA it computes the page's address from
// page->index and vm_pgoff, skips the VMA if the address falls outside
// it, and probes the PTE there. It stops once it found as many PTEs as
// the page's mapcount.
func (s *State) Walk(id PageID, fn string) Walk { return s.walk(id, fn, true) }

// Visits returns how many VMAs the walk of a page would visit, without
// recording them: visits() of the story format.
func (s *State) Visits(id PageID) int {
	w := s.walk(id, "page_referenced", false)
	return w.visited
}

func (s *State) walk(id PageID, fn string, keep bool) Walk {
	pg := s.Page(id)
	w := Walk{Page: id, Func: fn, Mapcount: pg.Mapcount, AnonVMA: pg.Mapping}
	if pg.Mapcount > 0 && s.Model.Design == DesignPTEChain {
		return s.pteChainWalk(w, keep)
	}
	if pg.Mapcount == 0 || pg.Mapping == 0 {
		w.Skipped = true
		return w
	}
	av := s.AnonVMA(pg.Mapping)
	if av.Freed {
		return s.danglingWalk(w, av, pg, keep)
	}
	w.Lock = av.ID
	if s.Model.Root {
		w.Lock = av.Root
	}
	s.visitAll(&w, av, pg, keep)
	return w
}

// visitAll visits av's candidates for the page in order, until the walk
// has found as many PTEs as the page's mapcount.
func (s *State) visitAll(w *Walk, av *AnonVMA, pg *Page, keep bool) {
	step := func(c candidate) bool {
		vis := s.visit(c, pg)
		w.visited++
		if keep {
			w.Visits = append(w.Visits, vis)
		}
		if vis.Found {
			w.Found++
		}
		return w.Found < w.Mapcount
	}
	if s.Model.Design == DesignAnonVMAList && !keep {
		s.countList(w, av, pg) // the hot loop of 2.6.33's big walks
		return
	}
	s.eachCandidate(av, pg.Index, step)
}

// countList is visitAll for a list of VMAs when the visits are only
// counted: the same walk, without a call per visit.
func (s *State) countList(w *Walk, av *AnonVMA, pg *Page) {
	for _, id := range av.VMAs {
		v := &s.VMAs[id-1]
		w.visited++
		if pg.Index < v.Pgoff || pg.Index-v.Pgoff >= v.End-v.Start {
			continue
		}
		if pte := v.PTEs[pg.Index-v.Pgoff]; !v.Gone && pte.Kind == PTEPage && pte.Page == pg.ID {
			if w.Found++; w.Found >= w.Mapcount {
				return
			}
		}
	}
}

// danglingWalk follows page->mapping into a freed anon_vma. If the slab
// object is still free, its list is empty; if it was reallocated, the
// walk iterates the list of the anon_vma now living there.
func (s *State) danglingWalk(w Walk, av *AnonVMA, pg *Page, keep bool) Walk {
	o := &Oops{Page: pg.ID, AnonVMA: av.ID, Outcome: OopsEmpty}
	w.Oops = o
	target := av
	for target.Freed && target.ReusedBy != 0 {
		target = s.AnonVMA(target.ReusedBy)
	}
	if !target.Freed {
		o.Outcome, o.ReusedAs = OopsReused, target.ID
		w.Lock = target.ID
		s.visitAll(&w, target, pg, keep)
	}
	o.Msg = s.oopsText(&w, av)
	return w
}

func (s *State) oopsText(w *Walk, av *AnonVMA) string {
	head := fmt.Sprintf("page %d is mapped %d time(s), but page->mapping points at anon_vma %s, which was freed: "+
		"the walk locks and reads freed memory.", w.Page, w.Mapcount, av.Name)
	if w.Oops.Outcome == OopsReused {
		return head + fmt.Sprintf(" The slab gave that memory to anon_vma %s, so the walk iterates its list instead: "+
			"%d VMA(s), finding %d of the page's %d mapping(s).", s.AnonVMA(w.Oops.ReusedAs).Name, w.visited, w.Found, w.Mapcount)
	}
	return head + fmt.Sprintf(" The slab object is still free, so its list is empty and the walk finds none of the page's %d mapping(s): "+
		"reclaim cannot unmap the page. Once the slab page is reused for something else, the list pointers are garbage and "+
		"the walk dereferences them: the NULL pointer oops 2.6.34-rc3 hit after hibernation.", w.Mapcount)
}

// visit probes one candidate VMA for the page: it computes the address
// from page->index and vm_pgoff, skips the VMA if that falls outside it,
// and reads the PTE there.
func (s *State) visit(c candidate, pg *Page) Visit {
	v := s.VMA(c.VMA)
	vis := Visit{VMA: v.ID, AVC: c.AVC}
	if pg.Index < v.Pgoff || pg.Index-v.Pgoff >= uint64(v.Pages()) {
		vis.Outside = true
		return vis
	}
	vis.Addr = v.Start + (pg.Index - v.Pgoff)
	pte := v.PTEs[vis.Addr-v.Start]
	vis.Found = !v.Gone && pte.Kind == PTEPage && pte.Page == pg.ID
	return vis
}

// candidate is a VMA an rmap walk may visit, and the AVC that leads to
// it (0 in 2.6.7-2.6.33, whose anon_vma listed VMAs directly).
type candidate struct {
	VMA VMAID
	AVC AVCID
}

// eachCandidate calls fn for what a walk of a page with index idx
// iterates, until fn returns false: the anon_vma's whole list, or from
// 3.7 the AVCs of its interval tree whose VMA's page-offset range holds
// idx, in tree order (by start offset; equal starts in the order they
// were inserted).
func (s *State) eachCandidate(av *AnonVMA, idx uint64, fn func(candidate) bool) {
	switch {
	case s.Model.Design == DesignAnonVMAList:
		for _, v := range av.VMAs {
			if !fn(candidate{VMA: v}) {
				return
			}
		}
	case s.Model.IntervalTree:
		var hits []candidate
		for _, id := range av.Head {
			if c := s.AVC(id); c.First <= idx && idx <= c.Last {
				hits = append(hits, candidate{VMA: c.VMA, AVC: id})
			}
		}
		slices.SortStableFunc(hits, func(a, b candidate) int { return compare(s.AVC(a.AVC).First, s.AVC(b.AVC).First) })
		for _, c := range hits {
			if !fn(c) {
				return
			}
		}
	default:
		for _, id := range av.Head {
			if !fn(candidate{VMA: s.AVC(id).VMA, AVC: id}) {
				return
			}
		}
	}
}

// pteChainWalk is 2.6.6's walk: the page's pte_chain holds a pointer to
// every PTE that maps it, so the walk visits exactly those, and costs
// what the page's mappings do (see pteIndex).
//
// The walk goes newest PTE first, as page_referenced and try_to_unmap
// iterate a pte_chain (mm/rmap.c, v2.6.6; see ptechain.go).
func (s *State) pteChainWalk(w Walk, keep bool) Walk {
	for mp := range s.mappers(w.Page) {
		if keep {
			w.Visits = append(w.Visits, Visit{VMA: mp.VMA, Addr: mp.Addr, Found: true})
		}
		w.Found++
	}
	w.visited = w.Found
	pos := func(v Visit) uint32 { vma := s.VMA(v.VMA); return vma.PTEs[v.Addr-vma.Start].ChainPos }
	slices.SortStableFunc(w.Visits, func(a, b Visit) int { return compare(uint64(pos(b)), uint64(pos(a))) })
	return w
}

// DescribeWalk says in a sentence what a walk did.
func (s *State) DescribeWalk(w *Walk) string {
	switch {
	case w.Oops != nil:
		return w.Oops.Msg
	case w.Skipped:
		return fmt.Sprintf("page %d is not mapped: the walk does not start", w.Page)
	}
	parts := make([]string, len(w.Visits))
	for i, v := range w.Visits {
		what := "no PTE for the page"
		switch {
		case v.Outside:
			what = "address outside it, skipped"
		case v.Found:
			what = "found"
		}
		parts[i] = fmt.Sprintf("%s (%s)", s.VMAName(v.VMA), what)
	}
	if s.Model.Design == DesignPTEChain {
		return fmt.Sprintf("page %d's pte_chain: visited %s; found %d of %d mapping(s)", w.Page, strings.Join(parts, ", "), w.Found, w.Mapcount)
	}
	lock := ""
	if w.Lock != w.AnonVMA {
		lock = fmt.Sprintf(" (locking root anon_vma %s)", s.AnonVMA(w.Lock).Name)
	}
	return fmt.Sprintf("page %d -> anon_vma %s%s: visited %s; found %d of %d mapping(s)",
		w.Page, s.AnonVMA(w.AnonVMA).Name, lock, strings.Join(parts, ", "), w.Found, w.Mapcount)
}
