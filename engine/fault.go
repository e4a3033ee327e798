package engine

import (
	"fmt"
)

// touch reads or writes every page of a range, in order, faulting as the
// kernel does (handle_pte_fault).
func (m *Machine) touch(ev Event) *EventError {
	p, start, end, err := m.pageRange(ev.Range)
	if err != nil {
		return err
	}
	// A fault makes at most three pages: one read from swap, KSM's copy
	// of it, and the copy a write makes.
	if n := end - start; uint64(len(m.st.Pages))+3*n > maxObjects {
		return errf(FieldIndex, "", "touching %d pages could make more than %d pages in all, more than the simulator counts", n, maxObjects)
	}
	faults, err := m.faults(p, start, end, ev.Op == OpWrite)
	if err != nil {
		return err
	}
	m.growPages(faults)
	// A fault changes no VMA: the range is walked one VMA at a time, as
	// faults checked it.
	for a := start; a < end; {
		v := m.st.VMAAt(p, a)
		for stop := min(end, v.End); a < stop; a++ {
			if ev.Op == OpWrite {
				m.writeFault(p, v, a)
			} else {
				m.readFault(p, v, a)
			}
		}
	}
	return nil
}

// faults checks that every page of [start, end) of p is mapped, and
// writable for a write, and counts the writes that will fault: to a PTE
// that maps no writable page. It looks each VMA up once, not at each
// address; the first address that fails is the one it reports.
//
// The count only sizes growPages, which does nothing when the page array
// has room for the faults, as it has when it has room for a page per
// address: then faults does not count and returns 0, which growPages
// takes alike. That spares a pass over the range's PTEs for all but the
// first of a step's writes, whose growPages makes room for the others.
func (m *Machine) faults(p *Process, start, end uint64, write bool) (int, *EventError) {
	count := write && uint64(cap(m.st.Pages)-len(m.st.Pages)) < end-start
	faults := 0
	for a := start; a < end; {
		v := m.st.VMAAt(p, a)
		if v == nil {
			return 0, errf(FieldIndex, "", "%s is not mapped (it was unmapped)", m.addr(p, a))
		}
		if write && !v.Writable {
			return 0, errf(FieldIndex, "mprotect the region rw first",
				"writing %s would raise SIGSEGV: its VMA is read-only", m.addr(p, a))
		}
		stop := min(end, v.End)
		for ; count && a < stop; a++ {
			if pte := &v.PTEs[a-v.Start]; pte.Kind != PTEPage || !pte.Writable {
				faults++
			}
		}
		a = stop
	}
	return faults, nil
}

// growPages makes room in the page array for the pages that this event
// and the step's later writes will fault in, so that a step of a million
// faults copies the array once rather than each time it fills. The later
// writes count every page of their ranges, all told at most one page per
// PTE in the system; if that falls short, append still grows the array.
func (m *Machine) growPages(faults int) {
	if cap(m.st.Pages)-len(m.st.Pages) >= faults {
		return
	}
	live := make(map[string]*Process)
	for i := range m.st.Procs {
		if p := &m.st.Procs[i]; !p.Exited {
			live[p.Name] = p
		}
	}
	later := 0
	for _, ev := range m.later {
		if ev.Op == OpWrite {
			later += rangePages(live[ev.Range.Proc], ev.Range)
		}
	}
	ptes := 0
	for i := range m.st.VMAs {
		if v := &m.st.VMAs[i]; !v.Gone {
			ptes += len(v.PTEs)
		}
	}
	// make and copy rather than slices.Grow, which clears the new room
	// that make takes zeroed from the system.
	grown := make([]Page, len(m.st.Pages), len(m.st.Pages)+faults+min(later, ptes))
	copy(grown, m.st.Pages)
	m.st.Pages = grown
}

// rangePages returns the number of pages r covers in p, or 0 if it does
// not resolve.
func rangePages(p *Process, r Range) int {
	if p == nil {
		return 0
	}
	reg, ok := p.Region(r.Region)
	switch {
	case !ok:
		return 0
	case r.Whole:
		return reg.Pages
	case r.First < 0 || r.Last >= reg.Pages || r.First > r.Last:
		return 0
	}
	return r.Last - r.First + 1
}

// addrIfLogging names page number a of p for the log, or returns "" when
// the log is full.
func (m *Machine) addrIfLogging(p *Process, a uint64) string {
	if m.quiet() {
		return ""
	}
	return m.addr(p, a)
}

// readFault faults page number a of p, which v covers, for a read: a page
// never written maps the shared zero page, with no anon_vma
// (do_anonymous_page); a swap entry is swapped in; a mapped page needs no
// fault.
func (m *Machine) readFault(p *Process, v *VMA, a uint64) {
	m.ownPTEs(v)
	pte := &v.PTEs[a-v.Start]
	if pte.Kind == PTESwap {
		m.swapIn(p, v, a, false)
		return
	}
	if pte.Kind != PTENone {
		return
	}
	*pte = PTE{Kind: PTEZero}
	m.logf("do_anonymous_page", "read fault at %s maps the zero page read-only; %s needs no anon_vma for it",
		m.addr(p, a), m.st.VMAName(v.ID))
}

// writeFault faults page number a of p, which v covers, for a write: a
// first write faults in a new page (do_anonymous_page); a write to the
// zero page or to a write-protected shared page breaks COW (do_wp_page).
func (m *Machine) writeFault(p *Process, v *VMA, a uint64) {
	m.ownPTEs(v)
	pte := &v.PTEs[a-v.Start]
	switch {
	case pte.Kind == PTESwap:
		m.swapIn(p, v, a, true)
	case pte.Kind == PTENone:
		m.newPage(v, a, "do_anonymous_page", "write fault at "+m.addrIfLogging(p, a))
	case pte.Kind == PTEZero:
		m.newPage(v, a, "do_wp_page", "write to the zero page at "+m.addrIfLogging(p, a))
	case !pte.Writable:
		m.wpPage(p, v, a)
	}
}

// newPage allocates a zeroed or copied page for v at a, attaches it as an
// exclusive page (page_add_new_anon_rmap) and maps it writable.
func (m *Machine) newPage(v *VMA, a uint64, fn, why string) PageID {
	m.anonVMAPrepare(v)
	m.ownPTEs(v)
	id := PageID(len(m.st.Pages) + 1)
	av := m.pageAnonVMA(v, true)
	m.st.Pages = append(m.st.Pages, Page{ID: id, Index: v.Pgoff + (a - v.Start), Mapping: av, Mapcount: 1,
		Exclusive: m.model.AnonExclusive})
	v.PTEs[a-v.Start] = PTE{Kind: PTEPage, Page: id, Writable: true, Dirty: true}
	m.chainAdd(v, a, nil)
	if m.drop(2) { // the two lines below
		return id
	}
	m.logf(fn, "%s: new page %d, index %#x", why, id, v.Pgoff+(a-v.Start))
	switch {
	case m.model.Design == DesignPTEChain:
		m.logf("page_add_rmap", "page %d holds its one PTE pointer directly in struct page (PG_direct)", id)
	case m.model.ListHead: // page_add_new_anon_rmap came in 2.6.16
		m.logf("page_add_anon_rmap", "first mapping of page %d: page->mapping := anon_vma %s", id, m.avNameOr(av))
	case m.model.Folio:
		m.logf("folio_add_new_anon_rmap", "__folio_set_anon: small folio %d->mapping := anon_vma %s, PG_anon_exclusive", id, m.avNameOr(av))
	default:
		m.logf("page_add_new_anon_rmap", "page %d->mapping := anon_vma %s", id, m.avNameOr(av))
	}
	return id
}

// wpPage handles a write to a write-protected anonymous page (do_wp_page):
// a page this PTE alone maps is reused in place and moved to the VMA's own
// anon_vma (reuse_swap_page, page_move_anon_rmap); a shared one is copied.
func (m *Machine) wpPage(p *Process, v *VMA, a uint64) {
	m.ownPTEs(v)
	pte := &v.PTEs[a-v.Start]
	old := m.page(pte.Page)
	where := m.addrIfLogging(p, a)
	if old.Exclusive {
		// 5.19+: an exclusive page is reused without further checks, and
		// keeps its anon_vma (mm/memory.c do_wp_page, v6.0: `if
		// (PageAnonExclusive(page)) goto reuse;` v6.18:
		// wp_can_reuse_anon_folio is not even asked).
		pte.Writable, pte.Dirty = true, true
		m.logf("do_wp_page", "write to %s: page %d is PG_anon_exclusive, reused in place; page->mapping stays anon_vma %s",
			where, old.ID, m.avNameOr(old.Mapping))
		return
	}
	if m.reuseSwapPage(old) {
		pte.Writable, pte.Dirty = true, true
		m.logf("do_wp_page", "write to %s: page %d has no other mapping, reused in place", where, old.ID)
		old.Exclusive = m.model.AnonExclusive // page_move_anon_rmap sets PG_anon_exclusive (5.19+)
		if old.Mapping != v.AnonVMA && m.model.Design == DesignAnonVMAChain {
			m.logf(m.fn("page_move_anon_rmap"), "page %d->mapping moves from anon_vma %s to anon_vma %s",
				old.ID, m.avNameOr(old.Mapping), m.avNameOr(v.AnonVMA))
			old.Mapping = v.AnonVMA
		}
		return
	}
	oldID := old.ID
	why := ""
	if !m.quiet() {
		why = fmt.Sprintf("write to %s breaks COW of page %d", where, oldID)
	}
	pos := pte.ChainPos
	m.newPage(v, a, "do_wp_page", why)
	m.chainDel(oldID, pos)
	m.removeRmap(oldID, m.fn("page_remove_rmap"), where)
}

// reuseSwapPage reports whether a write fault may reuse pg in place: no
// other PTE maps it and no other swap entry refers to it
// (reuse_swap_page). A page it reuses leaves the swap cache, as in the
// kernel: its data is about to change. 2.6.6 and 2.6.7 only test
// (can_share_swap_page) and the page stays in the swap cache (mm/memory.c
// do_wp_page, 2.6.7: `int reuse = can_share_swap_page(old_page);`, no
// delete_from_swap_cache).
func (m *Machine) reuseSwapPage(pg *Page) bool {
	count := pg.Mapcount
	if count <= 1 && pg.Swap != 0 {
		count += m.st.Slot(pg.Swap).Count
		if count == 1 && m.model.KeepSwapCache {
			m.logf("can_share_swap_page", "page %d has no other user: it stays in the swap cache", pg.ID)
		} else if count == 1 {
			fn := "reuse_swap_page"
			if m.model.AnonExclusive { // reuse_swap_page is gone in 5.19: do_wp_page calls try_to_free_swap
				fn = m.fn("try_to_free_swap")
			}
			m.logf(fn, "page %d has no other user: it leaves the swap cache", pg.ID)
			m.st.Slot(pg.Swap).Page, pg.Swap = 0, 0
		}
	}
	return count <= 1
}

// fork copies p's address space into a new process (dup_mmap): each VMA
// is copied, linked to the parent's anon_vmas and given its own
// (anon_vma_fork), then its PTEs are copied, write-protected in both
// (copy_page_range).
func (m *Machine) fork(ev Event) *EventError {
	parent, err := m.liveProc(ev.Proc, FieldProc)
	if err != nil {
		return err
	}
	if m.names[ev.Child] != 0 {
		return errf(FieldChild, "each process needs a name of its own for the whole story", "process name %s is already taken", ev.Child)
	}
	child := m.newProc(ev.Child, parent.ID)
	parent = m.st.Proc(parent.ID) // newProc may have moved the slice
	child.Regions = append([]Region(nil), parent.Regions...)
	m.logf("dup_mmap", "%s forks %s", parent.Name, child.Name)
	for _, id := range parent.VMAs {
		pv := m.st.VMA(id)
		cv := m.newVMA(child.ID, pv.Region, pv.Start, pv.End, pv.Pgoff, pv.Writable)
		pv = m.st.VMA(id)
		// dup_mmap copies the whole vm_area_struct, vm_flags and so
		// VM_ACCOUNT included (kernel/fork.c dup_mmap: `*tmp = *mpnt` in
		// 2.6.6-4.x, vm_area_dup from 4.20; v6.18 mm/mmap.c dup_mmap).
		cv.Accounted = pv.Accounted
		m.linkVMA(child, cv)
		m.anonVMAFork(cv, pv)
		m.copyPageRange(cv, pv)
	}
	return nil
}

// copyPageRange copies pv's PTEs into cv. 2.6.6 and 2.6.7 copy every
// VMA's PTEs, zero-page PTEs included (mm/memory.c copy_page_range,
// 2.6.7: `if (!page || PageReserved(page)) { set_pte(dst_pte, pte); ...`);
// later kernels skip a VMA without an anon_vma, which has no anonymous
// pages, and the child faults its zero-page PTEs again (mm/memory.c
// copy_page_range, 2.6.33: `if (!vma->anon_vma) return 0;`).
func (m *Machine) copyPageRange(cv, pv *VMA) {
	if pv.AnonVMA == 0 && !m.model.CopyEveryVMA {
		return
	}
	m.ownPTEs(pv)
	m.ownPTEs(cv)
	shared := 0
	for i := range pv.PTEs {
		pte := &pv.PTEs[i]
		switch pte.Kind {
		case PTEPage:
			// copy_present_pte: both PTEs write-protected, the page
			// shared, so no longer exclusive (mm/memory.c
			// copy_present_pte → page_try_dup_anon_rmap, v6.0;
			// folio_try_dup_anon_rmap_pte, v6.18).
			pte.Writable = false
			pg := m.page(pte.Page)
			pg.Mapcount++
			pg.Exclusive = false
			m.mapped(pg)
			shared++
		case PTESwap:
			// copy_nonpresent_pte clears the exclusive marker of the
			// parent's swap entry, and the child's copy has none
			// (mm/memory.c, v6.0 and v6.18: `if
			// (pte_swp_exclusive(orig_pte)) { pte =
			// pte_swp_clear_exclusive(orig_pte); set_pte_at(src_mm, ...`).
			m.st.Slot(pte.Swap).Count++
			pte.SwpExclusive = false
		}
	}
	// The child's PTEs are the parent's as they are now, copied in one
	// go; then, in 2.6.6, each mapped page's chain takes the child's.
	copy(cv.PTEs, pv.PTEs)
	if m.model.Design == DesignPTEChain {
		for i := range cv.PTEs {
			if cv.PTEs[i].Kind == PTEPage {
				m.chainAdd(cv, cv.Start+uint64(i), &chainEntry{pv.Proc, pv.Start + uint64(i)})
			}
		}
	}
	if shared > 0 {
		m.logf("copy_page_range", "%d page(s) of %s now also mapped by %s, write-protected in both",
			shared, m.st.VMAName(pv.ID), m.st.VMAName(cv.ID))
	}
	if shared > 0 && m.model.Design == DesignPTEChain {
		m.logf("page_add_rmap", "%d new pte_chain entries, one for each page %s now maps", shared, m.st.VMAName(cv.ID))
	}
}
