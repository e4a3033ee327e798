package engine

// madvise gives advice about a range of mapped pages (sys_madvise).
func (m *Machine) madvise(ev Event) *EventError {
	p, addrs, err := m.pages(ev.Range)
	if err != nil {
		return err
	}
	if hole := m.hole(p, addrs[0], addrs[len(addrs)-1]+1); hole != 0 {
		return errf(FieldIndex, "madvise only mapped pages", "%s is not mapped: madvise would fail with ENOMEM", m.addr(p, hole))
	}
	switch ev.Advice {
	case AdviceDontneed:
		m.dontneed(p, addrs)
	case AdvicePageout:
		if !m.model.Pageout {
			return errf(FieldEvent, "MADV_PAGEOUT arrived in 5.4 (1a4e58cce84e): use swapout here, or kernel 6.0 or later",
				"madvise pageout does not exist in kernel %s", m.model.Name)
		}
		m.pageout(p, addrs)
	default:
		return errf(FieldEvent, "write dontneed or pageout", "unknown advice %s", ev.Advice)
	}
	return nil
}

// dontneed is MADV_DONTNEED: the range's PTEs are zapped, as munmap would,
// but the VMAs stay, and with them their anon_vmas; the next touch faults
// a fresh page (madvise_dontneed: zap_page_range, mm/madvise.c v2.6.6 to
// v6.0; zap_page_range_single, v6.18). No VMA is split.
func (m *Machine) dontneed(p *Process, addrs []uint64) {
	fn := "zap_page_range"
	if m.model.Folio {
		fn = "zap_page_range_single"
	}
	for _, a := range addrs {
		v := m.st.VMAAt(p, a)
		m.zapPTE(v, int(a-v.Start), fn, m.st.VMAName(v.ID))
	}
	m.logf("madvise_dontneed", "%s: PTEs zapped; the VMAs and their anon_vmas stay", rangeText(addrs[0], addrs[len(addrs)-1]+1))
}

// pageout is MADV_PAGEOUT: reclaim of the range's pages that this
// process alone maps; a page mapped more than once is skipped
// (madvise_cold_or_pageout_pte_range: `if (page_mapcount(page) != 1)
// continue;` in v6.0, `if (folio_maybe_mapped_shared(folio)) continue;` in
// v6.18, the same for a small folio), and so is the zero page. The pages
// go through reclaim_pages as swapout does.
func (m *Machine) pageout(p *Process, addrs []uint64) {
	defer m.indexPTEs()()
	skipped := 0
	for _, a := range addrs {
		pte, _ := m.st.PTEAt(p, a)
		if pte.Kind != PTEPage {
			continue
		}
		if pg := m.st.Page(pte.Page); pg.Mapcount != 1 {
			skipped++
			continue
		}
		m.reclaim(pte.Page)
	}
	if skipped > 0 {
		m.logf("madvise_cold_or_pageout_pte_range", "%d page(s) mapped by more than one process skipped", skipped)
	}
}
