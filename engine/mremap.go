package engine

// mremap resizes a region in place or moves it (sys_mremap). The region
// must lie in one VMA: the kernel refuses a range across VMAs with
// EFAULT (mm/mremap.c vma_to_resize, v6.0; check_prep_vma, v6.18).
func (m *Machine) mremap(ev Event) *EventError {
	p, err := m.liveProc(ev.Range.Proc, FieldProc)
	if err != nil {
		return err
	}
	reg, ok := p.Region(ev.Range.Region)
	switch {
	case !ok:
		return errf(FieldRegion, m.regionHint(p), "process %s has no region %s", p.Name, ev.Range.Region)
	case !ev.Range.Whole:
		return errf(FieldIndex, "write mremap P:REGION N [at PAGE]", "mremap moves or resizes a whole region")
	case ev.Pages < 1:
		return errf(FieldPages, "", "mremap needs a new size of at least 1 page, got %d", ev.Pages)
	}
	v := m.st.VMAAt(p, reg.Start)
	if v == nil || m.hole(p, reg.Start, reg.End()) != 0 {
		return errf(FieldRegion, "", "region %s of %s is partly unmapped: mremap would fail with EFAULT", reg.Name, p.Name)
	}
	if v.End < reg.End() && !(m.model.MremapMulti && ev.HasAt && ev.Pages == reg.Pages) {
		hint := "mprotect it back so that one VMA covers it"
		if m.model.MremapMulti {
			hint += ", or move it whole without resizing it"
		}
		return errf(FieldRegion, hint, "region %s of %s is not covered by one VMA: mremap would fail with EFAULT", reg.Name, p.Name)
	}
	if ev.HasAt {
		return m.mremapMove(p, reg, uint64(ev.Pages), ev.At)
	}
	return m.mremapResize(p, reg, v, uint64(ev.Pages))
}

// setRegion records a region's new place and size.
func setRegion(p *Process, name string, start uint64, pages int) {
	for i := range p.Regions {
		if p.Regions[i].Name == name {
			p.Regions[i].Start, p.Regions[i].Pages = start, pages
		}
	}
}

// mremapResize shrinks a region by unmapping its tail (do_vmi_munmap), or
// grows it in place when its VMA ends with it and the pages after it are
// free (vma_expandable; vma_adjust in v6.0, vma_merge_extend in v6.18,
// which also merges with a VMA starting right at the new end: see
// mremapExtend).
func (m *Machine) mremapResize(p *Process, reg Region, v *VMA, n uint64) *EventError {
	old := uint64(reg.Pages)
	switch {
	case n == old:
		m.logf("mremap", "region %s keeps its %d pages: nothing to do", reg.Name, n)
		return nil
	case n < old:
		m.unmapRange(p, reg.Start+n, reg.End())
		setRegion(p, reg.Name, reg.Start, int(n))
		m.logf("mremap", "region %s shrinks to %d page(s): its tail is unmapped (do_vmi_munmap)", reg.Name, n)
		return nil
	case v.End != reg.End():
		return errf(FieldPages, "move it with `at PAGE`", "region %s of %s ends inside its VMA %s: it cannot grow in place, mremap would fail with ENOMEM",
			reg.Name, p.Name, m.st.VMAName(v.ID))
	}
	end := reg.Start + n
	if err := m.checkPlacement(p, reg.End(), end); err != nil {
		err.Field, err.Hint = FieldPages, "move it with `at PAGE`, or grow it less"
		return err
	}
	setRegion(p, reg.Name, reg.Start, int(n))
	if m.model.MremapExtendMerge && m.mremapExtend(p, v, end) {
		return nil
	}
	all := m.ptes(v)
	v.End = end
	m.repartition(all, v)
	m.reinsertAVCs(v)
	m.logf("vma_expand", "%s grows in place to %s (mremap)", m.st.VMAName(v.ID), rangeText(v.Start, v.End))
	return nil
}

// mremapExtend grows v in place to end through a merge of the extension
// into v (vma_merge_extend), which also absorbs the VMA after it when that
// one starts at end and could take the extension itself (same flags,
// compatible anon_vma, vm_pgoff contiguous): mm/mremap.c
// expand_vma_in_place, v6.18.2: `vma = vma_merge_extend(&vmi, vma,
// vrm->delta);` and mm/vma.c vma_merge_extend: `VMG_VMA_STATE(vmg, vmi,
// vma, vma, vma->vm_end, vma->vm_end + delta); vmg.next =
// vma_iter_next_rewind(vmi, NULL); vmg.middle = NULL; return
// vma_merge_new_range(&vmg);`. From "mm: add merging after mremap resize"
// (6.1); 6.0.1's mremap calls vma_adjust(vma, vma->vm_start, addr +
// new_len, ..), which never merges. It reports whether the merge was made
// (v always takes its own extension).
func (m *Machine) mremapExtend(p *Process, v *VMA, end uint64) bool {
	_, next := m.prevNext(p, v.ID)
	absorbs := next != nil && next.Start == end
	name := ""
	if absorbs {
		name = m.st.VMAName(next.ID)
	}
	w := m.vmaMerge(p, v, v.End, end, flagsOf(v), v.AnonVMA, v.Pgoff+(v.End-v.Start), nil)
	switch {
	case w == nil:
		return false
	case absorbs && next.Gone:
		m.logf("vma_merge_extend", "%s grows in place to %s and absorbs %s (mremap)", m.st.VMAName(w.ID), rangeText(w.Start, w.End), name)
	default:
		m.logf("vma_merge_extend", "%s grows in place to %s (mremap)", m.st.VMAName(w.ID), rangeText(w.Start, w.End))
	}
	return true
}

// mremapMove moves a region to page number to, with n pages (move_vma):
// copy_vma makes the VMA at the new place, merging it with a neighbour
// there if it can (vma_merge / vma_merge_new_range), else as a copy of
// the old VMA linked to all its anon_vmas (anon_vma_clone); vm_pgoff is
// kept, so the pages keep their index, except that a VMA without an
// anon_vma takes the new address (copy_vma: `if (vma_is_anonymous(vma) &&
// !vma->anon_vma) pgoff = addr >> PAGE_SHIFT`, mm/mmap.c v3.7-v6.0,
// mm/vma.c v6.18). move_page_tables moves the PTEs; the old range is
// unmapped last. A smaller size unmaps the tail first.
func (m *Machine) mremapMove(p *Process, reg Region, n, to uint64) *EventError {
	old := uint64(reg.Pages)
	if to < reg.End() && reg.Start < to+n {
		return errf(FieldAt, "move it to pages after or before it", "the new place %s overlaps the old one %s: mremap would fail with EINVAL",
			rangeText(to, to+n), rangeText(reg.Start, reg.End()))
	}
	if err := m.checkPlacement(p, to, to+n); err != nil {
		return err
	}
	if n < old {
		m.unmapRange(p, reg.Start+n, reg.End())
		old = n
	}
	setRegion(p, reg.Name, to, int(n))
	for a := reg.Start; a < reg.Start+old; {
		src := m.st.VMAAt(p, a)
		end := min(src.End, reg.Start+old)
		dend := to + (end - reg.Start)
		if end == reg.Start+old {
			dend = to + n // the last VMA at the destination has the new size
		}
		m.moveVMA(p, src, a, end, to+(a-reg.Start), dend)
		a = end
	}
	return nil
}

// moveVMA moves [start, end) of src to [dst, dend) (move_vma). From 6.17
// a move of a range that spans several VMAs moves each in turn ("mm/mremap:
// permit mremap() move of multiple VMAs"), and each may merge with the one
// moved before it.
func (m *Machine) moveVMA(p *Process, src *VMA, start, end, dst, dend uint64) {
	pgoff := src.Pgoff + (start - src.Start)
	if src.AnonVMA == 0 && m.model.Design != DesignPTEChain {
		pgoff = dst // 2.6.6's move_vma copies the VMA and keeps its pgoff
	}
	m.copyVMA(p, src, dst, dend, pgoff)
	m.movePageTables(p, start, dst, end-start)
	m.unmapRange(p, start, end)
	m.logf("move_vma", "%s moved to %s, vm_pgoff %#x", rangeText(start, end), rangeText(dst, dend), pgoff)
}

// copyVMA makes the VMA that covers [start, end) at the destination of a
// move of src (copy_vma): a neighbour it merges into, which takes src's
// anon_vma if it had none (dup_anon_vma, 6.x), or a copy of src.
func (m *Machine) copyVMA(p *Process, src *VMA, start, end, pgoff uint64) {
	name := m.st.VMAName(src.ID)
	if v := m.vmaMerge(p, m.vmaBefore(p, start), start, end, flagsOf(src), src.AnonVMA, pgoff, src); v != nil {
		m.logf("copy_vma", "the new range %s of %s merges into %s", rangeText(start, end), name, m.st.VMAName(v.ID))
		if v.AnonVMA == 0 && src.AnonVMA != 0 {
			m.dupAnonVMA(v, src)
		}
		return
	}
	nv := m.newVMA(p.ID, src.Region, start, end, pgoff, src.Writable)
	src = m.st.VMA(src.ID) // newVMA may have moved the slice
	nv.Accounted = src.Accounted
	nv.Region = m.regionAt(p, start)
	m.linkVMA(p, nv)
	m.logf("copy_vma", "new VMA %s, a copy of %s at %s, vm_pgoff %#x", m.st.VMAName(nv.ID), name, rangeText(start, end), pgoff)
	m.dupAnonVMA(nv, src)
}

// dupAnonVMA links dst, which has no anon_vma, to every anon_vma src is
// linked to, and gives it src's (vm_area_dup then anon_vma_clone in
// copy_vma; dup_anon_vma on a merge, mm/vma.c v6.18).
func (m *Machine) dupAnonVMA(dst, src *VMA) {
	if src.AnonVMA == 0 || dst.AnonVMA != 0 || m.model.Design == DesignPTEChain {
		return
	}
	if m.model.Design == DesignAnonVMAChain {
		dst.AnonVMA = src.AnonVMA // vm_area_dup copied it: the clone reuses nothing
	}
	m.anonVMAClone(dst, src)
}

// movePageTables moves the n PTEs at from to the same places at to
// (move_ptes): each page keeps page->mapping and page->index. 2.6.6 takes
// each PTE off its page's pte_chain and puts it back at the head
// (move_one_page: page_remove_rmap, page_add_rmap).
func (m *Machine) movePageTables(p *Process, from, to, n uint64) {
	moved := 0
	for i := uint64(0); i < n; i++ {
		spte, _ := m.pteAt(p, from+i)
		dpte, dv := m.pteAt(p, to+i)
		if spte == nil || dpte == nil || spte.Kind == PTENone {
			continue
		}
		if spte.Kind == PTEPage {
			m.chainDel(spte.Page, spte.ChainPos)
		}
		*dpte, *spte = *spte, PTE{}
		if dpte.Kind == PTEPage {
			m.chainAdd(dv, to+i, nil)
			moved++
		}
	}
	if moved > 0 {
		m.logf("move_page_tables", "%d PTE(s) move from %s to %s; their pages keep page->mapping and page->index",
			moved, rangeText(from, from+n), rangeText(to, to+n))
	}
}
