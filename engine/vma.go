package engine

import (
	"fmt"
	"slices"
)

// flags are the vm_flags that decide whether two VMAs may merge: the
// protection, and VM_ACCOUNT, which a private mapping gets once it is
// writable and keeps after mprotect takes the write bit away.
type flags struct {
	writable, accounted bool
}

func flagsOf(v *VMA) flags { return flags{v.Writable, v.Accounted} }

// prevNext returns the VMAs of p before and after v in address order.
func (m *Machine) prevNext(p *Process, v VMAID) (prev, next *VMA) {
	i := slices.Index(p.VMAs, v)
	if i > 0 {
		prev = m.st.VMA(p.VMAs[i-1])
	}
	if i >= 0 && i+1 < len(p.VMAs) {
		next = m.st.VMA(p.VMAs[i+1])
	}
	return prev, next
}

// firstAfter returns p's first VMA ending after addr (find_vma), or nil.
func (m *Machine) firstAfter(p *Process, addr uint64) *VMA {
	for _, id := range p.VMAs {
		if v := m.st.VMA(id); v.End > addr {
			return v
		}
	}
	return nil
}

// regionAt names the region of p that page number a lies in.
func (m *Machine) regionAt(p *Process, a uint64) string {
	for _, r := range p.Regions {
		if r.Start <= a && a < r.End() {
			return r.Name
		}
	}
	return ""
}

// ptes collects the PTEs of some VMAs by page number, so that they can be
// handed out again after the VMAs' bounds move.
func (m *Machine) ptes(vmas ...*VMA) map[uint64]PTE {
	out := map[uint64]PTE{}
	for _, v := range vmas {
		if v == nil {
			continue
		}
		for i, pte := range v.PTEs {
			out[v.Start+uint64(i)] = pte
		}
	}
	return out
}

// repartition gives each VMA the PTEs of its current bounds from all.
func (m *Machine) repartition(all map[uint64]PTE, vmas ...*VMA) {
	for _, v := range vmas {
		if v == nil || v.Gone {
			continue
		}
		v.PTEs = make([]PTE, v.End-v.Start)
		for i := range v.PTEs {
			v.PTEs[i] = all[v.Start+uint64(i)]
		}
		v.Region = m.regionAt(m.st.Proc(v.Proc), v.Start)
		for _, id := range v.Chain {
			m.fileAVC(m.st.AVC(id))
		}
	}
}

// splitVMA splits v at page number addr (__split_vma): a copy of v takes
// [Start, addr) if newBelow, else [addr, End), and is linked to every
// anon_vma v is (anon_vma_clone); v keeps the rest (vma_adjust). It
// returns the new VMA's id.
func (m *Machine) splitVMA(p *Process, vid VMAID, addr uint64, newBelow bool) VMAID {
	old := m.st.VMA(vid)
	before := m.st.VMAName(vid)
	all := m.ptes(old)
	nv := m.newVMA(p.ID, old.Region, old.Start, old.End, old.Pgoff, old.Writable)
	v := m.st.VMA(vid)
	nv.Accounted, nv.AnonVMA = v.Accounted, v.AnonVMA
	if newBelow {
		nv.End = addr
		v.Pgoff += addr - v.Start
		v.Start = addr
	} else {
		nv.Start = addr
		nv.Pgoff += addr - v.Start
		v.End = addr
	}
	m.repartition(all, v, nv)
	m.linkVMA(p, nv)
	m.logf("__split_vma", "%s splits at %#x into %s and %s", before, addr,
		m.st.VMAName(min(vid, nv.ID)), m.st.VMAName(max(vid, nv.ID)))
	m.anonVMAClone(nv, v)
	m.reinsertAVCs(v)
	return nv.ID
}

// reinsertAVCs takes the AVCs of v, whose bounds changed, out of their
// anon_vmas' interval trees and inserts them again under v's new range
// (3.7+). The kernel does so around every change of a VMA's bounds
// (anon_vma_interval_tree_pre_update_vma and post_update_vma: in
// __vma_adjust, mm/mmap.c v3.7-v6.2; in vma_prepare and vma_complete,
// mm/vma.c v6.18), and anon_vma_interval_tree_insert sends an equal start
// to the right (include/linux/interval_tree_generic.h, INTERVAL_TREE_DEFINE
// _insert: `if (start < ITSTART(parent)) link = &parent->ITRB.rb_left;
// else link = &parent->ITRB.rb_right;`): so a reinserted AVC comes after
// every other AVC with the same start, and a walk visits its VMA after
// theirs.
func (m *Machine) reinsertAVCs(v *VMA) {
	if !m.model.IntervalTree || v == nil || v.Gone {
		return
	}
	for _, id := range v.Chain {
		c := m.st.AVC(id)
		a := m.st.AnonVMA(c.AnonVMA)
		if i := slices.Index(a.Head, id); i >= 0 {
			a.Head = append(slices.Delete(a.Head, i, i+1), id)
		}
		m.fileAVC(c)
	}
}

// vmaAdjust moves v's bounds to [start, end) with vm_pgoff pgoff, taking
// pages from or giving them to the next VMA, or absorbing it
// (vma_adjust). The VMA that grows over pages another one gives up (the
// importer) must be linked to the anon_vmas of those pages: with fix
// 287d97ac it clones the chain of the VMA giving them up (the exporter);
// 2.6.34-rc3 cloned v's, which is bug B2.
func (m *Machine) vmaAdjust(p *Process, v *VMA, start, end, pgoff uint64) {
	_, next := m.prevNext(p, v.ID)
	for {
		var importer, exporter *VMA
		remove, adjustNext := 0, int64(0)
		if next != nil {
			switch {
			case end >= next.End:
				remove = 1
				if end > next.End {
					remove = 2
				}
				end = next.End
				importer, exporter = v, next
			case end > next.Start:
				adjustNext = int64(end - next.Start)
				importer, exporter = v, next
			case end < v.End:
				adjustNext = -int64(v.End - end)
				importer, exporter = next, v
			}
		}
		m.importAnonVMA(v, start, importer, exporter)
		all := m.ptes(v, next)
		v.Start, v.End, v.Pgoff = start, end, pgoff
		if adjustNext != 0 {
			next.Start = uint64(int64(next.Start) + adjustNext)
			next.Pgoff = uint64(int64(next.Pgoff) + adjustNext)
		}
		if remove > 0 {
			m.removeNext(p, v, next)
		}
		m.repartition(all, v, next)
		m.reinsertAVCs(v)
		if adjustNext != 0 {
			m.reinsertAVCs(next)
		}
		if remove != 2 {
			return
		}
		_, next = m.prevNext(p, v.ID)
		end = next.End // mprotect's case 6: absorb the VMA after too
	}
}

// importAnonVMA links an importer without an anon_vma to the anon_vmas of
// the pages it takes over.
//
// 2.6.8-2.6.33 link the importer, also a VMA that absorbs next whole, at
// the tail of the list (mm/mmap.c vma_adjust, 2.6.33: `importer = vma;`
// in the `end >= next->vm_end` case, then `if (importer &&
// !importer->anon_vma) { importer->anon_vma = anon_vma;
// __anon_vma_link(importer); }`; mm/rmap.c __anon_vma_link: list_add_tail).
// 2.6.7 has no importer (d84672c45e "mprotect propagate anon_vma" added
// it in 2.6.8): a VMA absorbed whole hands its anon_vma over in
// removeNext instead.
func (m *Machine) importAnonVMA(v *VMA, start uint64, importer, exporter *VMA) {
	if importer == nil || importer.AnonVMA != 0 || m.model.Design == DesignPTEChain {
		return
	}
	switch {
	case m.model.Design == DesignAnonVMAList:
		if m.model.NoImporter || exporter.AnonVMA == 0 {
			return
		}
		importer.AnonVMA = exporter.AnonVMA
		m.listLink(importer, "vma_adjust")
	case m.model.Has(FixAdjustExporter) && exporter.AnonVMA == 0:
		return
	case m.model.Reuse != ReuseNone:
		// b800c91a0517: set it first, so that the clone counts the
		// importer on the right anon_vma and never reuses one.
		importer.AnonVMA = exporter.AnonVMA
		m.anonVMAClone(importer, exporter)
	case m.model.Has(FixAdjustExporter):
		m.anonVMAClone(importer, exporter)
		importer.AnonVMA = exporter.AnonVMA
	default:
		// rc3: the anon_vma is next's in all three cases, or v's if it has
		// one; the chain is always cloned from v.
		av := m.rc3AdjustAnonVMA(v, start, importer)
		m.anonVMAClone(importer, v)
		importer.AnonVMA = av
	}
	if importer.AnonVMA != 0 {
		m.logf("vma_adjust", "%s takes over pages of %s: its anon_vma := %s", m.st.VMAName(importer.ID),
			m.st.VMAName(exporter.ID), m.st.AnonVMA(importer.AnonVMA).Name)
	}
}

func (m *Machine) rc3AdjustAnonVMA(v *VMA, start uint64, importer *VMA) AVID {
	p := m.st.Proc(v.Proc)
	_, next := m.prevNext(p, v.ID)
	av := next.AnonVMA
	if v.AnonVMA != 0 && (importer != nil || start != v.Start) {
		av = v.AnonVMA
	}
	return av
}

// removeNext frees next once v has absorbed it: anon_vma_merge drops
// next's whole chain.
//
// In 2.6.7, __anon_vma_merge gives v next's anon_vma, if v had none, and
// next's place on its list (mm/rmap.c __anon_vma_merge, 2.6.7:
// `list_add(&vma->anon_vma_node, &next->anon_vma_node)` before
// `list_del(&next->anon_vma_node)`); 2.6.8-2.6.33 linked v in
// importAnonVMA already and only delete next's node.
func (m *Machine) removeNext(p *Process, v, next *VMA) {
	m.logf("vma_adjust", "%s absorbs %s", m.st.VMAName(v.ID), m.st.VMAName(next.ID))
	switch {
	case m.model.Design == DesignAnonVMAList && v.AnonVMA == 0 && next.AnonVMA != 0:
		v.AnonVMA = next.AnonVMA
		a := m.st.AnonVMA(v.AnonVMA)
		a.VMAs[slices.Index(a.VMAs, next.ID)] = v.ID
		m.logf("__anon_vma_merge", "%s takes the place of %s on the list of anon_vma %s", m.st.VMAName(v.ID), m.st.VMAName(next.ID), a.Name)
	case next.AnonVMA != 0 && m.model.Design == DesignAnonVMAChain:
		m.logf("anon_vma_merge", "drops the chain of %s", m.st.VMAName(next.ID))
		m.unlinkAnonVMAs(next)
	default:
		m.unlinkAnonVMAs(next)
	}
	p.VMAs = slices.DeleteFunc(p.VMAs, func(id VMAID) bool { return id == next.ID })
	next.Gone = true
}

// mergeable reports whether tgt may take in a range of flags fl and
// anon_vma av that src holds now (is_mergeable_vma, is_mergeable_anon_vma).
// src is nil for a new mapping; for mremap's copy_vma it is the VMA the
// range is copied from (vmg->copied_from).
func (m *Machine) mergeable(tgt *VMA, fl flags, av AVID, src *VMA) bool {
	if flagsOf(tgt) != fl {
		return false
	}
	if m.model.MergeUncowed {
		return m.mergeableUncowed(tgt, av, src)
	}
	return m.mergeableAnonVMA(av, tgt.AnonVMA, tgt)
}

// mergeableAnonVMA is is_mergeable_anon_vma before 6.16: equal anon_vmas
// merge, and so may a VMA without one, except that from 3.0 on
// (965f55dea0e3) the VMA being merged with, v, must then have a singular
// chain: so an unfaulted neighbour, whose chain is empty, refuses a
// faulted range (mm/mmap.c is_mergeable_anon_vma, v6.0).
func (m *Machine) mergeableAnonVMA(a, b AVID, v *VMA) bool {
	if a == 0 || b == 0 {
		if !m.model.MergeSingular || v == nil || len(v.Chain) == 1 {
			return true
		}
	}
	return a == b
}

// mergeableUncowed is is_mergeable_anon_vma from 6.16 (879bca0a2c4f,
// mm/vma.c v6.18): the singular-chain test asks the VMA that brings the
// anon_vma, so a faulted range whose VMA never was forked merges into an
// unfaulted neighbour, which dup_anon_vma then links to it; and a range
// mremap copies must not come from a fork child either (vmg->copied_from,
// "mm/vma: enforce VMA fork limit on unfaulted,faulted mremap merge too").
func (m *Machine) mergeableUncowed(tgt *VMA, av AVID, src *VMA) bool {
	switch {
	case tgt.AnonVMA == 0 && av != 0: // case 1: dup_anon_vma from src into tgt
		return !forkChild(src)
	case tgt.AnonVMA != 0 && av == 0: // case 2: tgt's anon_vma covers the range
		return !forkChild(tgt)
	}
	return av == tgt.AnonVMA
}

// forkChild is vma_had_uncowed_parents (vma_is_fork_child in 6.18.y): v
// has an anon_vma and a chain of more than one AVC.
func forkChild(v *VMA) bool { return v != nil && v.AnonVMA != 0 && len(v.Chain) != 1 }

// vmaMerge tries to make [addr, end) of p, with flags fl, anon_vma av and
// vm_pgoff pgoff, part of prev or of the VMA after it (vma_merge). prev is
// the VMA before addr, or the one containing it. It returns the VMA now
// covering the range, or nil.
func (m *Machine) vmaMerge(p *Process, prev *VMA, addr, end uint64, fl flags, av AVID, pgoff uint64, src *VMA) *VMA {
	var next, area *VMA
	if prev != nil {
		_, next = m.prevNext(p, prev.ID)
	} else if len(p.VMAs) > 0 {
		next = m.st.VMA(p.VMAs[0])
	}
	area = next
	if next != nil && next.End == end {
		_, next = m.prevNext(p, next.ID)
	}
	pglen := end - addr
	blind := m.model.PgoffBlindMerge
	if prev != nil && prev.End == addr && m.mergeable(prev, fl, av, src) && (blind || prev.Pgoff+uint64(prev.Pages()) == pgoff) {
		if next != nil && end == next.Start && m.mergeable(next, fl, av, src) && (blind || next.Pgoff == pgoff+pglen) &&
			m.mergeableAnonVMA(prev.AnonVMA, next.AnonVMA, nil) {
			m.vmaAdjust(p, prev, prev.Start, next.End, prev.Pgoff) // cases 1, 6
		} else {
			m.vmaAdjust(p, prev, prev.Start, end, prev.Pgoff) // cases 2, 5, 7
		}
		return prev
	}
	if next != nil && end == next.Start && m.mergeable(next, fl, av, src) && (blind || next.Pgoff == pgoff+pglen) {
		switch {
		case prev != nil && addr < prev.End:
			m.vmaAdjust(p, prev, prev.Start, addr, prev.Pgoff) // case 4
		case area != next && m.model.MergeKeepsNext:
			m.mergeIntoNext(p, area, next, addr, next.Pgoff-pglen) // case 8
			return next
		default:
			m.vmaAdjust(p, area, addr, next.End, next.Pgoff-pglen) // case 3; case 8 before 4.9
		}
		return area
	}
	return nil
}

// mergeIntoNext is vma_merge's case 8 from 4.9 on: area, all of it the
// range, merges into next, which grows down to addr and stays; area is
// freed. next imports area's anon_vma if it has none, and its AVCs are
// re-inserted in the interval tree.
//
// mm/mmap.c vma_merge, v6.0.1: `err = __vma_adjust(area, addr,
// next->vm_end, next->vm_pgoff - pglen, NULL, next); ... area = next;`,
// and __vma_adjust: `if (next == expand) { ... remove_next = 3; swap(vma,
// next); }`, then `exporter = next; importer = vma;` (so importer is next,
// exporter area) and `anon_vma_interval_tree_pre_update_vma(vma)` on next.
// mm/vma.c vma_merge_existing_range, v6.18.2: `vmg->target = next`, with
// __remove_middle `vmg->end = next->vm_end; vmg->pgoff = next->vm_pgoff -
// pglen;`, `dup_anon_vma(next, middle, &anon_dup)`; commit_merge prepares
// the target (vma_prepare: pre_update_vma(vp->vma)) and removes middle.
// 3.7 and 3.19 let area absorb next (vma_adjust(area, addr, next->vm_end,
// ..)); e86f15ee64d8 ("mm: vma_merge: fix vm_page_prot SMP race condition
// against rmap_walk", 4.9) made it keep next.
func (m *Machine) mergeIntoNext(p *Process, area, next *VMA, addr, pgoff uint64) {
	m.importAnonVMA(area, addr, next, area)
	all := m.ptes(area, next)
	next.Start, next.Pgoff = addr, pgoff
	m.removeNext(p, next, area)
	m.repartition(all, next)
	m.reinsertAVCs(next)
}

// vmaBefore returns p's VMA ending at or before addr, the last such, or
// nil (find_vma_prev's prev).
func (m *Machine) vmaBefore(p *Process, addr uint64) *VMA {
	var prev *VMA
	for _, id := range p.VMAs {
		if v := m.st.VMA(id); v.End <= addr {
			prev = v
		}
	}
	return prev
}

// mprotect changes the protection of a range (sys_mprotect): VMA by VMA,
// each is merged with a neighbour where vma_merge allows, else split at the
// range's ends (mprotect_fixup), and the range's PTEs get the new
// protection (see changeProtection).
//
// A range that starts in a hole is refused: the kernel fails with ENOMEM
// before it changes anything (mm/mprotect.c sys_mprotect, v2.6.6-v4.8, and
// do_mprotect_pkey from v4.9: `if (vma->vm_start > start) goto out;` with
// error = -ENOMEM). A hole further on stops the loop where it begins: the
// VMAs before it have been changed and stay so, and the syscall returns
// ENOMEM (sys_mprotect, v2.6.34: `if (!vma || vma->vm_start != nstart) {
// error = -ENOMEM; goto out; }`; do_mprotect_pkey, v6.18: `if
// (vma->vm_start != tmp) { error = -ENOMEM; break; }`). The event then
// applies up to the hole and its log says where the kernel stopped.
func (m *Machine) mprotect(ev Event) *EventError {
	p, addrs, err := m.pages(ev.Range)
	if err != nil {
		return err
	}
	start, end := addrs[0], addrs[len(addrs)-1]+1
	v := m.st.VMAAt(p, start)
	if v == nil {
		return errf(FieldIndex, "start the range at a mapped page",
			"%s is not mapped: mprotect would fail with ENOMEM and change nothing", m.addr(p, start))
	}
	loop := m.mprotectVMAs
	if m.model.MprotectPrevOnly {
		loop = m.mprotectPrevOnly
	}
	if hole, ok := loop(p, v, start, end, ev.Writable); !ok {
		m.logf("sys_mprotect", "ENOMEM at %s (changed up to it): no VMA maps it", m.addr(p, hole))
	}
	return nil
}

// mprotectVMAs is sys_mprotect's loop from 2.6.7 on: mprotect_fixup for
// each VMA of [start, end), v the first. At a hole it stops and returns
// the hole's first page number and false.
func (m *Machine) mprotectVMAs(p *Process, v *VMA, start, end uint64, writable bool) (uint64, bool) {
	prev := m.vmaBefore(p, start)
	if start > v.Start {
		prev = v
	}
	for nstart := start; ; {
		tmp := min(end, v.End)
		m.mprotectFixup(p, v, &prev, nstart, tmp, writable)
		nstart = max(tmp, prev.End)
		if nstart >= end {
			return 0, true
		}
		if _, v = m.prevNext(p, prev.ID); v == nil || v.Start != nstart {
			return nstart, false
		}
	}
}

// hole returns the first page number of [start, end) that no VMA of p
// covers, or 0.
func (m *Machine) hole(p *Process, start, end uint64) uint64 {
	for a := start; a < end; a++ {
		if m.st.VMAAt(p, a) == nil {
			return a
		}
	}
	return 0
}

func (m *Machine) mprotectFixup(p *Process, v *VMA, prev **VMA, start, end uint64, writable bool) *VMA {
	fl := m.mprotectFlags(v, writable)
	if fl == flagsOf(v) {
		*prev = v
		return v
	}
	name := m.st.VMAName(v.ID)
	pgoff := v.Pgoff + (start - v.Start)
	if merged := m.vmaMerge(p, *prev, start, end, fl, v.AnonVMA, pgoff, v); merged != nil {
		v = merged
	} else {
		if start != v.Start {
			m.splitVMA(p, v.ID, start, true)
			v = m.st.VMA(m.st.VMAAt(p, start).ID)
		}
		if end != v.End {
			m.splitVMA(p, v.ID, end, false)
			v = m.st.VMA(m.st.VMAAt(p, start).ID)
		}
	}
	*prev = v
	v.Writable, v.Accounted = fl.writable, fl.accounted
	m.logf("mprotect_fixup", "%s becomes %s (the range was in %s)", m.st.VMAName(v.ID), protName(writable), name)
	m.changeProtection(v, start, end)
	return v
}

// mprotectFlags returns the flags mprotect_fixup gives a range of v:
// making it writable charges it (VM_ACCOUNT); making it read-only keeps
// the charge, except that from 6.7 an anonymous VMA without an anon_vma
// is unaccounted (mm/mprotect.c mprotect_fixup, v6.7: `else if ((oldflags
// & VM_ACCOUNT) && vma_is_anonymous(vma) && !vma->anon_vma)`).
func (m *Machine) mprotectFlags(v *VMA, writable bool) flags {
	if !writable && m.model.UnaccountRO && v.AnonVMA == 0 {
		return flags{false, false}
	}
	return flags{writable, v.Accounted || writable}
}

// changeProtection applies v's new protection to the PTEs of [start, end)
// only (change_protection(vma, start, end) in mprotect_fixup, every tag),
// even when v is a bigger VMA the range merged into. A read-only VMA's
// PTEs are write-protected; a private writable VMA's stay read-only until
// a write fault, except that 6.0 maps writable at once the dirty PTEs of
// exclusive anonymous pages and 6.2+ every PTE of one
// (MM_CP_TRY_CHANGE_WRITABLE, mm/mprotect.c can_change_pte_writable:
// 64fe24a3e05e, v6.0; 6a56ccbcf6c6, v6.2).
func (m *Machine) changeProtection(v *VMA, start, end uint64) {
	made := 0
	m.ownPTEs(v)
	for a := start; a < end; a++ {
		pte := &v.PTEs[a-v.Start]
		pte.Writable = v.Writable && m.canChangeWritable(pte)
		if pte.Writable {
			made++
		}
	}
	if made > 0 {
		m.logf("change_pte_range", "%d PTE(s) of exclusive anonymous pages in %s made writable at once: no write fault will follow",
			made, rangeText(start, end))
	}
}

// canChangeWritable is can_change_pte_writable for a private mapping.
func (m *Machine) canChangeWritable(pte *PTE) bool {
	if pte.Kind != PTEPage || !m.st.Page(pte.Page).Exclusive {
		return false
	}
	switch m.model.ChangeWritable {
	case WritableDirtyExcl:
		return pte.Dirty
	case WritableExcl:
		return true
	}
	return false
}

// munmap unmaps a range (do_munmap): the VMAs at its ends are split so
// that it covers whole VMAs, which are then zapped and unlinked.
func (m *Machine) munmap(ev Event) *EventError {
	p, addrs, err := m.pages(ev.Range)
	if err != nil {
		return err
	}
	start, end := addrs[0], addrs[len(addrs)-1]+1
	if !m.unmapRange(p, start, end) {
		m.logf("do_munmap", "nothing is mapped in %s", ev.Range)
	}
	m.dropRegions(p, start, end)
	return nil
}

// unmapRange unmaps [start, end) of p (do_munmap): the VMAs at its ends
// are split so that it covers whole VMAs, which are zapped and unlinked.
// It reports whether anything was mapped there.
//
// Up to 6.0 the split makes the new VMA the part that goes (mm/mmap.c
// __do_munmap, v6.0: `__split_vma(mm, vma, start, 0)`, then
// `__split_vma(mm, last, end, 1)`); from the maple tree on, the part that
// stays (mm/vma.c vms_gather_munmap_vmas, v6.18: `__split_vma(vms->vmi,
// vms->vma, vms->start, 1)`, then `__split_vma(vms->vmi, next, vms->end,
// 0)`). Which VMA object survives differs; the interval tree's order does
// not, as both the new VMA's AVCs and the adjusted one's go to the right.
func (m *Machine) unmapRange(p *Process, start, end uint64) bool {
	v := m.firstAfter(p, start)
	if v == nil || v.Start >= end {
		return false
	}
	if start > v.Start {
		m.splitVMA(p, v.ID, start, m.model.MunmapKeepsNew)
	}
	if last := m.firstAfter(p, end); last != nil && end > last.Start {
		m.splitVMA(p, last.ID, end, !m.model.MunmapKeepsNew)
	}
	var victims []*VMA
	for _, id := range p.VMAs {
		if w := m.st.VMA(id); w.Start >= start && w.End <= end {
			victims = append(victims, w)
		}
	}
	for _, w := range victims {
		m.zap(w, "unmap_vmas")
	}
	for _, w := range victims {
		m.removeVMA(p, w)
	}
	return true
}

// mmapMerge tries to extend a neighbour over a new mapping instead of
// making a VMA (vma_merge from mmap_region). It returns the VMA that now
// covers the range, or nil.
func (m *Machine) mmapMerge(p *Process, start, end uint64, writable bool) *VMA {
	v := m.vmaMerge(p, m.vmaBefore(p, start), start, end, flags{writable, writable}, 0, start, nil)
	if v != nil {
		m.logf("vma_merge", "the new mapping %#x..%#x extends %s", start, end-1, m.st.VMAName(v.ID))
	}
	return v
}

func rangeText(start, end uint64) string { return fmt.Sprintf("%#x..%#x", start, end-1) }
