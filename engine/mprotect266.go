package engine

import "slices"

// 2.6.6's mprotect, before vma_merge (mm/mprotect.c, v2.6.6). Each VMA of
// the range goes through mprotect_fixup, which merges only backwards: a
// range that starts at its VMA's start goes to prev if prev ends there and
// has the new flags (mprotect_attempt_merge: `if (prev->vm_end !=
// vma->vm_start) return 0; if (!can_vma_merge(prev, newflags)) return
// 0;`), prev absorbing the VMA or taking its lower part; otherwise the VMA
// is split at the range's ends. Only when the range ends at a VMA's end
// (`last`) does sys_mprotect, after its loop, merge the VMA that followed
// into the last one changed (`if (next && prev->vm_end == next->vm_start
// && can_vma_merge(next, prev->vm_flags) ...) { prev->vm_end =
// next->vm_end; __vma_unlink(prev->vm_mm, next, prev); ...}`). A range
// ending inside a VMA (`if (vma->vm_end > end) { error =
// mprotect_fixup(...); goto out; }`) and a hole skip that merge. So VMAs
// of equal flags inside the range stay apart where 2.6.7's vma_merge
// joins them. can_vma_merge compares every flag, VM_ACCOUNT included,
// and no page offset.

// mprotectPrevOnly is 2.6.6's sys_mprotect loop over [start, end), v the
// first VMA. At a hole it stops and returns the hole's first page number
// and false.
func (m *Machine) mprotectPrevOnly(p *Process, v *VMA, start, end uint64, writable bool) (uint64, bool) {
	prev := m.vmaBefore(p, start)
	for nstart := start; ; {
		if v.End > end {
			m.mprotectFixupPrevOnly(p, v, &prev, nstart, end, writable)
			return 0, true
		}
		last, tmp := v.End == end, v.End
		var nextID VMAID
		if _, next := m.prevNext(p, v.ID); next != nil {
			nextID = next.ID
		}
		m.mprotectFixupPrevOnly(p, v, &prev, nstart, tmp, writable)
		var next *VMA
		if nextID != 0 {
			next = m.st.VMA(nextID)
		}
		if last {
			if next != nil && prev.End == next.Start && flagsOf(next) == flagsOf(prev) {
				m.growPrevOnly(p, prev, next, next.End, "sys_mprotect")
			}
			return 0, true
		}
		if nstart, v = tmp, next; v == nil || v.Start != nstart {
			return nstart, false
		}
	}
}

// mprotectFixupPrevOnly is 2.6.6's mprotect_fixup for [start, end) of v.
func (m *Machine) mprotectFixupPrevOnly(p *Process, v *VMA, prev **VMA, start, end uint64, writable bool) {
	fl := m.mprotectFlags(v, writable)
	if fl == flagsOf(v) {
		*prev = v
		return
	}
	name := m.st.VMAName(v.ID)
	if pv := *prev; start == v.Start && pv != nil && pv.End == v.Start && flagsOf(pv) == fl {
		m.growPrevOnly(p, pv, v, end, "mprotect_attempt_merge")
		v = pv
	} else {
		if start != v.Start {
			m.splitVMA(p, v.ID, start, true)
			v = m.st.VMAAt(p, start)
		}
		if end != v.End {
			m.splitVMA(p, v.ID, end, false)
			v = m.st.VMAAt(p, start)
		}
		v.Writable, v.Accounted = fl.writable, fl.accounted
	}
	*prev = v
	m.logf("mprotect_fixup", "%s becomes %s (the range was in %s)", m.st.VMAName(v.ID), protName(writable), name)
	m.changeProtection(v, start, end)
}

// growPrevOnly moves prev's end up to end over next, the VMA after it:
// next gives up its lower part, or is unlinked and freed if end is its
// end. 2.6.6 sets vm_end and vm_start by hand; it has no vma_adjust, and
// no anon_vma to hand over.
func (m *Machine) growPrevOnly(p *Process, prev, next *VMA, end uint64, fn string) {
	pname, nname := m.st.VMAName(prev.ID), m.st.VMAName(next.ID)
	all := m.ptes(prev, next)
	from := prev.End
	prev.End = end
	if end >= next.End {
		p.VMAs = slices.DeleteFunc(p.VMAs, func(id VMAID) bool { return id == next.ID })
		next.Gone = true
		m.logf(fn, "%s absorbs %s", pname, nname)
	} else {
		next.Pgoff += end - next.Start
		next.Start = end
		m.logf(fn, "%s takes %s from %s", pname, rangeText(from, end), nname)
	}
	m.repartition(all, prev, next)
}
