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
	for _, id := range ids {
		w := m.st.Walk(id, "page_referenced")
		m.walks = append(m.walks, w)
		m.logf(w.Func, "%s", m.st.DescribeWalk(&w))
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
func (s *State) Walk(id PageID, fn string) Walk {
	pg := s.Page(id)
	w := Walk{Page: id, Func: fn, Mapcount: pg.Mapcount, AnonVMA: pg.Mapping}
	if pg.Mapcount == 0 || pg.Mapping == 0 {
		w.Skipped = true
		return w
	}
	av := s.AnonVMA(pg.Mapping)
	if av.Freed {
		w.Oops = &Oops{Page: id, AnonVMA: av.ID, Msg: fmt.Sprintf(
			"%s: page %d is mapped %d time(s) but page->mapping points at anon_vma %s, which was freed: "+
				"the walk locks and iterates freed memory. While the slab object stays free its list is empty and "+
				"the walk finds none of the page's mappings; once its memory is reused the list pointers are "+
				"garbage and the kernel oopses (a NULL pointer dereference, as 2.6.34-rc3 did after hibernation)",
			fn, id, pg.Mapcount, av.Name)}
		return w
	}
	if s.Model.Root {
		w.Lock = av.Root
	} else {
		w.Lock = av.ID
	}
	for _, avcID := range s.candidates(av, pg.Index) {
		v := s.VMA(s.AVC(avcID).VMA)
		vis := Visit{VMA: v.ID, AVC: avcID}
		if pg.Index < v.Pgoff || pg.Index-v.Pgoff >= uint64(v.Pages()) {
			vis.Outside = true
		} else {
			vis.Addr = v.Start + (pg.Index - v.Pgoff)
			pte := v.PTEs[vis.Addr-v.Start]
			vis.Found = !v.Gone && pte.Kind == PTEPage && pte.Page == id
		}
		w.Visits = append(w.Visits, vis)
		if vis.Found {
			w.Found++
			if w.Found == w.Mapcount {
				break
			}
		}
	}
	return w
}

// candidates returns the AVCs a walk of a page with index idx iterates:
// the anon_vma's whole list, or from 3.7 the AVCs of its interval tree
// whose VMA's page-offset range holds idx, in tree order (by start
// offset; equal starts in the order they were inserted).
func (s *State) candidates(av *AnonVMA, idx uint64) []AVCID {
	if !s.Model.IntervalTree {
		return av.Head
	}
	var out []AVCID
	for _, id := range av.Head {
		if v := s.VMA(s.AVC(id).VMA); v.Pgoff <= idx && idx < v.Pgoff+uint64(v.Pages()) {
			out = append(out, id)
		}
	}
	slices.SortStableFunc(out, func(a, b AVCID) int {
		return compare(s.VMA(s.AVC(a).VMA).Pgoff, s.VMA(s.AVC(b).VMA).Pgoff)
	})
	return out
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
	lock := ""
	if w.Lock != w.AnonVMA {
		lock = fmt.Sprintf(" (locking root anon_vma %s)", s.AnonVMA(w.Lock).Name)
	}
	return fmt.Sprintf("page %d -> anon_vma %s%s: visited %s; found %d of %d mapping(s)",
		w.Page, s.AnonVMA(w.AnonVMA).Name, lock, strings.Join(parts, ", "), w.Found, w.Mapcount)
}
