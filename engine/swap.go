package engine

import "fmt"

// swapout reclaims pages (shrink_page_list): each page goes into the swap
// cache (add_to_swap), then try_to_unmap() replaces every PTE that the
// model's rmap walk finds with a swap entry. A PTE the walk cannot find
// stays mapped, and the page with it.
func (m *Machine) swapout(ev Event) *EventError {
	ids, err := m.pagesToReclaim(ev)
	if err != nil {
		return err
	}
	if len(m.st.Swap)+len(ids) > maxObjects {
		return errf(FieldIndex, "", "swapping out %d pages could make more than %d swap slots in all, more than the simulator counts", len(ids), maxObjects)
	}
	defer m.indexPTEs()() // reclaim unmaps only the page it walked
	for _, id := range ids {
		m.reclaim(id)
	}
	return nil
}

// pagesToReclaim lists the mapped anonymous pages of an event's range, or
// of the whole system for `swapout all` and `hibernate`, each once, in
// order.
func (m *Machine) pagesToReclaim(ev Event) ([]PageID, *EventError) {
	if ev.All || ev.Op == OpHibernate {
		var ids []PageID
		for i := range m.st.Pages {
			if pg := &m.st.Pages[i]; !pg.Freed && pg.Mapcount > 0 {
				ids = append(ids, pg.ID)
			}
		}
		return ids, nil
	}
	p, addrs, err := m.pages(ev.Range)
	if err != nil {
		return nil, err
	}
	var ids []PageID
	seen := map[PageID]bool{}
	for _, a := range addrs {
		pte, _ := m.st.PTEAt(p, a)
		if pte == nil {
			return nil, errf(FieldIndex, "", "%s is not mapped (it was unmapped)", m.addr(p, a))
		}
		if pte.Kind == PTEPage && !seen[pte.Page] {
			seen[pte.Page] = true
			ids = append(ids, pte.Page)
		}
	}
	return ids, nil
}

// reclaim adds one page to the swap cache and unmaps it everywhere the rmap
// walk finds it.
func (m *Machine) reclaim(id PageID) {
	pg := m.page(id)
	if pg.Swap == 0 {
		sid := SwapID(len(m.st.Swap) + 1)
		m.st.Swap = append(m.st.Swap, SwapSlot{ID: sid, Page: id, Index: pg.Index})
		pg.Swap = sid
		m.logf("add_to_swap", "page %d goes into the swap cache, swap slot %d", id, sid)
	}
	w := m.st.Walk(id, "try_to_unmap")
	m.recordWalk(w)
	// try_to_unmap_one (5.19+) keeps PG_anon_exclusive in the swap
	// entry (pte_swp_mkexclusive) and clears it in the page
	// (page_try_share_anon_rmap), mm/rmap.c v6.0 and v6.18.
	marker := pg.Exclusive
	for _, v := range w.Visits {
		if !v.Found {
			continue
		}
		vma := m.st.VMA(v.VMA)
		m.ownPTEs(vma)
		pte := &vma.PTEs[v.Addr-vma.Start]
		m.chainDel(id, pte.ChainPos)
		*pte = PTE{Kind: PTESwap, Swap: pg.Swap, SwpExclusive: marker}
		m.st.Slot(pg.Swap).Count++
		pg.Mapcount--
		m.mapped(pg)
	}
	if pg.Mapcount == 0 {
		pg.Exclusive = false
	}
	m.logf("try_to_unmap", "%s", m.st.DescribeWalk(&w))
	if marker && pg.Mapcount == 0 {
		m.logf("try_to_unmap_one", "page %d was PG_anon_exclusive: its swap entry keeps the mark (pte_swp_mkexclusive)", id)
	}
	if pg.Mapcount == 0 && m.model.ClearMapping && pg.Mapping != 0 {
		m.logf("clear_page_anon", "page %d's last mapping is gone: page->mapping := NULL", id)
		pg.Mapping = 0
	}
	if pg.Mapcount > 0 {
		m.logf("shrink_page_list", "page %d is still mapped %d time(s): the walk did not find every PTE, so it cannot be reclaimed", id, pg.Mapcount)
		return
	}
	if m.model.Swap == SwapZram {
		// A synchronous device completes the write in pageout(), and
		// shrink_page_list frees the page at once ("A synchronous write -
		// probably a ramdisk. Go ahead and try to reclaim the page",
		// mm/vmscan.c shrink_page_list v2.6.x-v6.0, shrink_folio_list
		// v6.18): the swap cache keeps nothing.
		m.logf("swap_writepage", "zram writes page %d synchronously", id)
		m.dropFromSwapCache(pg.Swap)
	}
}

// evict writes back and drops unmapped pages from the swap cache, so that
// a later fault reads the data into a fresh page.
func (m *Machine) evict(ev Event) *EventError {
	var slots []SwapID
	if ev.All {
		for i := range m.st.Swap {
			slots = append(slots, m.st.Swap[i].ID)
		}
	} else {
		p, addrs, err := m.pages(ev.Range)
		if err != nil {
			return err
		}
		for _, a := range addrs {
			if pte, _ := m.st.PTEAt(p, a); pte != nil && pte.Kind == PTESwap {
				slots = append(slots, pte.Swap)
			}
		}
	}
	for _, sid := range slots {
		m.dropFromSwapCache(sid)
	}
	return nil
}

func (m *Machine) dropFromSwapCache(sid SwapID) {
	s := m.st.Slot(sid)
	if s.Page == 0 {
		return
	}
	pg := m.page(s.Page)
	if pg.Mapcount > 0 {
		m.logf("shrink_page_list", "page %d is still mapped: it stays in the swap cache", pg.ID)
		return
	}
	m.logf("__remove_mapping", "page %d written to swap slot %d and freed; its page->mapping (anon_vma %s) is gone with it",
		pg.ID, sid, m.avNameOr(pg.Mapping))
	pg.Freed, pg.Swap, s.Page = true, 0, 0
	if s.Count == 0 {
		s.Freed = true
	}
}

func (m *Machine) avNameOr(id AVID) string {
	if id == 0 {
		return "NULL"
	}
	return m.st.AnonVMA(id).Name
}

// swapIn handles a fault on a swap entry (do_swap_page): the page comes
// from the swap cache, or is read into a new page; it is mapped, and its
// first mapping sets page->mapping as the model says
// (page_add_anon_rmap). A write then breaks COW as usual.
func (m *Machine) swapIn(p *Process, v *VMA, a uint64, write bool) {
	m.ownPTEs(v)
	pte := &v.PTEs[a-v.Start]
	sid, marked := pte.Swap, pte.SwpExclusive
	where := m.addr(p, a)
	id, fresh := m.swapCachePage(sid, where)
	if c := m.ksmCopy(v, a, id, where); c != 0 {
		id = c
	}
	exclusive := m.swapInExclusive(m.page(id), marked || fresh, write)
	writable := exclusive && (write || m.model.SwapInWritable && v.Writable)
	*pte = PTE{Kind: PTEPage, Page: id, Writable: writable, Dirty: write && writable}
	m.chainAdd(v, a, nil)
	m.addAnonRmap(v, a, id, exclusive)
	m.swapFree(sid)
	if write && !writable {
		m.wpPage(p, v, a)
	}
}

// swapInExclusive decides whether do_swap_page maps a page as exclusive.
// Before 5.19 only a write fault does, when reuse_swap_page finds no
// other user. From 5.19 the swap entry's exclusive marker, or a fresh
// page that never was in the swap cache, says so too (mm/memory.c
// do_swap_page, v6.0: `exclusive = pte_swp_exclusive(vmf->orig_pte); if
// (page != swapcache) exclusive = true;`); else a write fault frees the
// swap cache if nothing else uses the slot and counts the references
// (should_try_to_free_swap, `page_count(page) == 1`).
func (m *Machine) swapInExclusive(pg *Page, marked, write bool) bool {
	if !m.model.AnonExclusive || !marked {
		return write && m.reuseSwapPage(pg)
	}
	if write && pg.Swap != 0 && m.st.Slot(pg.Swap).Count == 1 {
		m.logf(m.fn("try_to_free_swap"), "page %d has no other user: it leaves the swap cache", pg.ID)
		m.st.Slot(pg.Swap).Page, pg.Swap = 0, 0
	}
	return true
}

// swapCachePage returns the page holding swap slot sid's data: the swap
// cache's, or a new one read from swap, added to the cache with no
// page->mapping. fresh reports a page read from a synchronous device
// straight into memory, bypassing the swap cache: from 4.15 when the
// entry has one user (mm/memory.c do_swap_page, v6.0 and v6.18: `if
// (data_race(si->flags & SWP_SYNCHRONOUS_IO) && __swap_count(entry) ==
// 1)`, "skip swapcache").
func (m *Machine) swapCachePage(sid SwapID, where string) (id PageID, fresh bool) {
	s := m.st.Slot(sid)
	if s.Page != 0 {
		m.logf("do_swap_page", "fault at %s finds page %d in the swap cache", where, s.Page)
		return s.Page, false
	}
	id = PageID(len(m.st.Pages) + 1)
	if m.model.SkipSwapCache && m.model.Swap == SwapZram && s.Count == 1 {
		m.st.Pages = append(m.st.Pages, Page{ID: id, Index: s.Index})
		m.logf("do_swap_page", "fault at %s reads swap slot %d from zram (SWP_SYNCHRONOUS_IO, one user) into new page %d, "+
			"skipping the swap cache: the page is exclusive", where, sid, id)
		return id, true
	}
	m.st.Pages = append(m.st.Pages, Page{ID: id, Index: s.Index, Swap: sid})
	s.Page = id
	m.logf("do_swap_page", "fault at %s reads swap slot %d into new page %d (page->mapping NULL)", where, sid, id)
	return id, false
}

// ksmCopy: with CONFIG_KSM, 2.6.33-2.6.35 copy a swapped-in page whose
// anon_vma is not the faulting VMA's own (ksm_might_need_to_copy), and map
// the copy instead (kernel-rmap-spec §5.4a). It returns the copy, or 0.
func (m *Machine) ksmCopy(v *VMA, a uint64, id PageID, where string) PageID {
	pg := m.st.Page(id)
	if !m.model.KSM || pg.Mapping == 0 || (m.sameFamily(pg.Mapping, v.AnonVMA) && pg.Index == v.Pgoff+(a-v.Start)) {
		return 0
	}
	c := PageID(len(m.st.Pages) + 1)
	m.st.Pages = append(m.st.Pages, Page{ID: c, Index: m.st.Page(id).Index})
	m.logf("ksm_does_need_to_copy", "page %d points at anon_vma %s, not %s's own: %s gets a copy, new page %d",
		id, m.avNameOr(m.st.Page(id).Mapping), m.st.VMAName(v.ID), where, c)
	return c
}

// sameFamily is ksm_might_need_to_copy's test: the same anon_vma, or from
// 2.6.36 (ba6f0ff3981e) the same root.
func (m *Machine) sameFamily(a, b AVID) bool {
	if m.model.Root && a != 0 && b != 0 {
		return m.st.AnonVMA(a).Root == m.st.AnonVMA(b).Root
	}
	return a == b
}

// addAnonRmap records a new mapping of a page that may be shared
// (page_add_anon_rmap); its first mapping sets page->mapping.
//
// From 5.19 an exclusive mapping sets PG_anon_exclusive, whether or not
// page->mapping changes (__page_set_anon_rmap, v6.0: `out: if
// (exclusive) SetPageAnonExclusive(page)`; __folio_set_anon and
// folio_add_anon_rmap_ptes with RMAP_EXCLUSIVE, v6.18).
func (m *Machine) addAnonRmap(v *VMA, a uint64, id PageID, exclusive bool) {
	pg := m.page(id)
	pg.Mapcount++
	m.mapped(pg)
	pg.Exclusive = m.model.AnonExclusive && exclusive
	fn := m.fn("page_add_anon_rmap")
	if pg.Mapcount > 1 {
		m.logf(fn, "page %d mapped again at %s; mapcount %d; page->mapping stays anon_vma %s",
			id, m.st.VMAName(v.ID), pg.Mapcount, m.avNameOr(pg.Mapping))
		return
	}
	if m.model.KeepAnon && pg.Mapping != 0 {
		m.logf(fn, "first mapping of page %d, which is anon already: it keeps anon_vma %s%s", id, m.avNameOr(pg.Mapping), m.exclusiveNote(pg))
		return
	}
	if m.model.Design == DesignPTEChain {
		m.logf("page_add_rmap", "page %d's pte_chain gains the PTE at %s", id, m.st.VMAName(v.ID))
		return
	}
	av := m.pageAnonVMA(v, exclusive && m.model.KeepAnon) // only 2.6.36+ passes exclusive on swap-in
	old := pg.Mapping
	pg.Mapping, pg.Index = av, v.Pgoff+(a-v.Start)
	msg := fmt.Sprintf("first mapping of page %d: page->mapping := anon_vma %s", id, m.avNameOr(av))
	if old != 0 && old != av {
		msg += fmt.Sprintf(" (it was anon_vma %s)", m.avNameOr(old))
	}
	if m.model.Folio {
		fn = "folio_add_new_anon_rmap" // do_swap_page, v6.18: a folio not anon yet
		msg = "__folio_set_anon: " + msg
	}
	m.logf(fn, "%s%s", msg, m.exclusiveNote(pg))
}

// exclusiveNote says that a page was mapped PG_anon_exclusive, for the
// log.
func (m *Machine) exclusiveNote(pg *Page) string {
	if pg.Exclusive {
		return ", PG_anon_exclusive"
	}
	return ""
}

// fn names a kernel function as the model's kernel does: from 6.x the
// rmap functions take a folio (mm/rmap.c, v6.18).
func (m *Machine) fn(name string) string {
	if !m.model.Folio {
		return name
	}
	switch name {
	case "page_add_anon_rmap":
		return "folio_add_anon_rmap_ptes"
	case "page_move_anon_rmap":
		return "folio_move_anon_rmap"
	case "page_remove_rmap":
		return "folio_remove_rmap_pte"
	case "try_to_free_swap", "reuse_swap_page":
		return "folio_free_swap"
	}
	return name
}
