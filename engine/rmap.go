package engine

import (
	"fmt"
	"slices"
	"strconv"
)

// anonVMAPrepare gives v an anon_vma before its first anonymous page
// (anon_vma_prepare): a neighbour's, if find_mergeable_anon_vma allows it,
// else a new one; and an AVC linking the two, at the head of both lists.
// As in the kernel, the test for a VMA that has one already inlines into
// the fault and the work is apart (__anon_vma_prepare).
func (m *Machine) anonVMAPrepare(v *VMA) {
	if v.AnonVMA == 0 && m.model.Design != DesignPTEChain {
		m.anonVMAPrepareSlow(v)
	}
}

// anonVMAPrepareSlow is __anon_vma_prepare: anonVMAPrepare for a VMA
// without an anon_vma, in a model with anon_vmas.
func (m *Machine) anonVMAPrepareSlow(v *VMA) {
	name := m.st.VMAName(v.ID)
	av, near := m.findMergeableAnonVMA(v)
	if av == 0 {
		av = m.newAnonVMA(v, 0)
		m.logf("anon_vma_prepare", "allocated anon_vma %s for %s", m.st.AnonVMA(av).Name, name)
	} else {
		m.logf("find_mergeable_anon_vma", "%s reuses anon_vma %s of its neighbour %s",
			name, m.st.AnonVMA(av).Name, m.st.VMAName(near))
	}
	v.AnonVMA = av
	if m.model.Design == DesignAnonVMAList {
		m.listLink(v, "anon_vma_prepare")
		return
	}
	avc := m.newAVC(v.ID, av)
	v.Chain = slices.Insert(v.Chain, 0, avc)
	a := m.st.AnonVMA(av)
	if m.model.PrepareTail {
		a.Head = append(a.Head, avc)
	} else {
		a.Head = slices.Insert(a.Head, 0, avc) // 2.6.34 prepare uses list_add
	}
	m.countVMA(a, +1)
	m.logf("anon_vma_prepare", "linked AVC %d of %s to anon_vma %s", avc, name, a.Name)
}

// countVMA counts a VMA starting (+1) or ceasing (-1) to use a as its
// anon_vma, in the models that count them (3.19's degree, 6.0's
// num_active_vmas).
func (m *Machine) countVMA(a *AnonVMA, d int) {
	switch m.model.Reuse {
	case ReuseDegree:
		a.Degree += d
	case ReuseCounters:
		a.NumActiveVMAs += d
	}
}

// countChild counts an anon_vma forked from a (or a root's self link)
// starting (+1) or ceasing (-1) to exist.
func (m *Machine) countChild(a *AnonVMA, d int) {
	switch m.model.Reuse {
	case ReuseDegree:
		a.Degree += d
	case ReuseCounters:
		a.NumChildren += d
	}
}

// findMergeableAnonVMA looks at v's next, then previous, neighbour for an
// anon_vma v may share (find_mergeable_anon_vma, reusable_anon_vma).
func (m *Machine) findMergeableAnonVMA(v *VMA) (AVID, VMAID) {
	p := m.st.Proc(v.Proc)
	i := slices.Index(p.VMAs, v.ID)
	if i+1 < len(p.VMAs) {
		if av := m.reusableAnonVMA(m.st.VMA(p.VMAs[i+1]), v, m.st.VMA(p.VMAs[i+1])); av != 0 {
			return av, p.VMAs[i+1]
		}
	}
	if i > 0 {
		if av := m.reusableAnonVMA(m.st.VMA(p.VMAs[i-1]), m.st.VMA(p.VMAs[i-1]), v); av != 0 {
			return av, p.VMAs[i-1]
		}
	}
	return 0, 0
}

// reusableAnonVMA returns old's anon_vma if a and b are adjacent and
// compatible (anon_vma_compatible: flags equal but for protection, pgoff
// contiguous) and, with fix d0e9fe17, old's chain is singular: old never
// went through fork.
func (m *Machine) reusableAnonVMA(old, a, b *VMA) AVID {
	if a.End != b.Start || b.Pgoff != a.Pgoff+(b.Start-a.Start) || a.Accounted != b.Accounted {
		return 0
	}
	if m.model.Has(FixReuseSingular) && len(old.Chain) != 1 {
		return 0
	}
	return old.AnonVMA
}

func (m *Machine) newAnonVMA(v *VMA, parent AVID) AVID {
	key := m.st.Proc(v.Proc).Name + ":" + v.Region
	m.avNames[key]++
	if n := m.avNames[key]; n > 1 {
		key += "#" + strconv.Itoa(n)
	}
	id := AVID(len(m.st.AnonVMAs) + 1)
	m.st.AnonVMAs = append(m.st.AnonVMAs, AnonVMA{ID: id, Name: key, Parent: parent})
	if n := len(m.slab); n > 0 {
		old := m.st.AnonVMA(m.slab[n-1])
		m.slab = m.slab[:n-1]
		old.ReusedBy = id
		m.logf("anon_vma_alloc", "anon_vma %s takes the slab object freed anon_vma %s had", key, old.Name)
	}
	a := m.st.AnonVMA(id)
	switch {
	case !m.model.Root:
	case parent == 0:
		a.Root = id
	default:
		a.Root = m.st.AnonVMA(parent).Root
		m.st.AnonVMA(a.Root).Refcount++ // get_anon_vma(root)
	}
	if parent == 0 {
		m.countChild(a, +1) // a root is its own parent
	} else {
		m.countChild(m.st.AnonVMA(parent), +1)
	}
	return id
}

func (m *Machine) newAVC(v VMAID, av AVID) AVCID {
	id := AVCID(len(m.st.AVCs) + 1)
	m.st.AVCs = append(m.st.AVCs, AVC{ID: id, VMA: v, AnonVMA: av})
	m.fileAVC(m.st.AVC(id))
	return id
}

// fileAVC (re)inserts an AVC into its anon_vma's interval tree under its
// VMA's current page-offset range (3.7+; anon_vma_interval_tree_insert,
// and the pre/post_update_vma pair around a change of a VMA's bounds).
func (m *Machine) fileAVC(c *AVC) {
	if !m.model.IntervalTree {
		return
	}
	v := m.st.VMA(c.VMA)
	c.First, c.Last = v.Pgoff, v.Pgoff+uint64(v.Pages())-1
}

// chainLink links v to av through a new AVC (anon_vma_chain_link): at the
// head of v's same_vma list and the tail of av's same_anon_vma list.
func (m *Machine) chainLink(v *VMA, av AVID, fn string) {
	avc := m.newAVC(v.ID, av)
	v.Chain = slices.Insert(v.Chain, 0, avc)
	a := m.st.AnonVMA(av)
	a.Head = append(a.Head, avc)
	m.logf(fn, "linked AVC %d of %s to anon_vma %s", avc, m.st.VMAName(v.ID), a.Name)
}

// anonVMAClone links dst to every anon_vma src is linked to
// (anon_vma_clone). With fix 646d87b4 it walks src's chain from the tail,
// so that head insertion rebuilds the same order; without it dst's chain
// comes out reversed (bug B3).
//
// In 3.19 and later a fork's clone (dst without an anon_vma yet) may
// reuse the first anon_vma, oldest first, that no VMA and at most one
// child uses; in every case dst's anon_vma then counts one VMA more.
func (m *Machine) anonVMAClone(dst, src *VMA) {
	switch m.model.Design {
	case DesignPTEChain:
		return
	case DesignAnonVMAList:
		if dst.AnonVMA = src.AnonVMA; dst.AnonVMA != 0 {
			m.listLink(dst, "__anon_vma_link")
		}
		return
	}
	chain := slices.Clone(src.Chain)
	if m.model.Has(FixCloneReverse) {
		slices.Reverse(chain)
	}
	for _, avc := range chain {
		av := m.st.AVC(avc).AnonVMA
		m.chainLink(dst, av, "anon_vma_clone")
		if dst.AnonVMA == 0 && m.reusable(m.st.AnonVMA(av), src) {
			dst.AnonVMA = av
			m.logf("anon_vma_clone", "%s reuses anon_vma %s: %s", m.st.VMAName(dst.ID), m.st.AnonVMA(av).Name, m.reuseReason(av))
		}
	}
	if dst.AnonVMA != 0 {
		m.countVMA(m.st.AnonVMA(dst.AnonVMA), +1)
	}
}

// reusable reports whether a fork's clone may reuse anon_vma a.
func (m *Machine) reusable(a *AnonVMA, src *VMA) bool {
	switch m.model.Reuse {
	case ReuseDegree:
		return a.ID != src.AnonVMA && a.Degree < 2
	case ReuseCounters:
		return src.AnonVMA != 0 && a.NumChildren < 2 && a.NumActiveVMAs == 0
	}
	return false
}

func (m *Machine) reuseReason(av AVID) string {
	a := m.st.AnonVMA(av)
	if m.model.Reuse == ReuseDegree {
		return fmt.Sprintf("its degree is %d", a.Degree)
	}
	return fmt.Sprintf("num_children %d, num_active_vmas %d", a.NumChildren, a.NumActiveVMAs)
}

// anonVMAFork links a child's VMA to its parent's anon_vmas, then gives it
// an anon_vma of its own, at the head of its chain (anon_vma_fork).
func (m *Machine) anonVMAFork(child, parent *VMA) {
	if parent.AnonVMA == 0 || m.model.Design == DesignPTEChain {
		return
	}
	if m.model.Design == DesignAnonVMAList {
		child.AnonVMA = parent.AnonVMA // the family's one anon_vma
		m.listLink(child, "anon_vma_link")
		return
	}
	if m.model.Reuse != ReuseNone {
		child.AnonVMA = 0 // drop the inherited anon_vma: reuse one, or allocate
	}
	m.anonVMAClone(child, parent)
	if child.AnonVMA != 0 && m.model.Reuse != ReuseNone {
		return
	}
	av := m.newAnonVMA(child, parent.AnonVMA)
	m.countVMA(m.st.AnonVMA(av), +1)
	m.logf("anon_vma_fork", "allocated anon_vma %s for %s", m.st.AnonVMA(av).Name, m.st.VMAName(child.ID))
	child.AnonVMA = av
	m.chainLink(child, av, "anon_vma_fork")
}

// unlinkAnonVMAs takes v off every anon_vma it is linked to, head
// (newest) first, freeing each AVC, then frees each anon_vma it left with
// an empty list and no references (unlink_anon_vmas, anon_vma_unlink).
// Freeing a child anon_vma drops its pin on the root, so the root goes
// last.
func (m *Machine) unlinkAnonVMAs(v *VMA) {
	if m.model.Design == DesignAnonVMAList {
		m.listUnlink(v)
		return
	}
	var emptied []AVID
	for _, id := range v.Chain {
		avc := m.st.AVC(id)
		a := m.st.AnonVMA(avc.AnonVMA)
		a.Head = slices.DeleteFunc(a.Head, func(x AVCID) bool { return x == id })
		avc.Freed = true
		m.logf("anon_vma_unlink", "unlinked AVC %d of %s from anon_vma %s", id, m.st.VMAName(v.ID), a.Name)
		if len(a.Head) == 0 && !a.Freed {
			emptied = append(emptied, a.ID)
			if a.Parent == 0 {
				m.countChild(a, -1)
			} else {
				m.countChild(m.st.AnonVMA(a.Parent), -1)
			}
		}
	}
	if v.AnonVMA != 0 {
		m.countVMA(m.st.AnonVMA(v.AnonVMA), -1)
	}
	v.Chain = nil
	for _, av := range emptied {
		m.freeAnonVMA(av)
	}
}

// freeAnonVMA frees an anon_vma whose list is empty, unless something
// still holds a reference to it (put_anon_vma, drop_anon_vma).
func (m *Machine) freeAnonVMA(id AVID) {
	a := m.st.AnonVMA(id)
	if a.Freed || len(a.Head) > 0 {
		return
	}
	if a.Refcount > 0 {
		m.logf("anon_vma_unlink", "anon_vma %s has no AVCs left, but %d child anon_vma(s) pin it as their root", a.Name, a.Refcount)
		return
	}
	a.Freed = true
	m.slab = append(m.slab, id)
	m.logf("anon_vma_unlink", "anon_vma %s has no AVCs left: freed", a.Name)
	if a.Root != 0 && a.Root != id {
		m.st.AnonVMA(a.Root).Refcount-- // drop_anon_vma(root)
		m.freeAnonVMA(a.Root)
	}
}

// pageAnonVMA returns the anon_vma a page attached through v gets in
// page->mapping (__page_set_anon_rmap). Exclusive pages (new, or COW
// copies) go to v's own anon_vma; a page that may be shared goes to the
// oldest anon_vma of v's chain (fix ea90002b), or from 2.6.36 to its root.
// Without e8a03feb, rc4 sent every page to the oldest; without ea90002b,
// rc3 sent every page to v's own, which was the hibernation bug.
func (m *Machine) pageAnonVMA(v *VMA, exclusive bool) AVID {
	switch {
	case m.model.Design != DesignAnonVMAChain:
		return v.AnonVMA // 2.6.7-2.6.33: the family's one anon_vma; 2.6.6: none
	case m.model.Root && exclusive:
		return v.AnonVMA
	case m.model.Root:
		return m.st.AnonVMA(v.AnonVMA).Root
	case !m.model.Has(FixOldest) || (exclusive && m.model.Has(FixExclusiveNewest)):
		return v.AnonVMA
	}
	return m.st.AVC(v.Chain[len(v.Chain)-1]).AnonVMA
}

// listLink puts v on its anon_vma's list of VMAs (anon_vma_link,
// __anon_vma_link), at the head in 2.6.7 and at the tail from 2.6.18.
func (m *Machine) listLink(v *VMA, fn string) {
	a := m.st.AnonVMA(v.AnonVMA)
	if m.model.ListHead {
		a.VMAs = slices.Insert(a.VMAs, 0, v.ID)
	} else {
		a.VMAs = append(a.VMAs, v.ID)
	}
	m.logf(fn, "%s joins the list of anon_vma %s, now %d VMA(s)", m.st.VMAName(v.ID), a.Name, len(a.VMAs))
}

// listUnlink takes v off its anon_vma's list of VMAs, freeing the
// anon_vma when the list empties (anon_vma_unlink, 2.6.7-2.6.33).
func (m *Machine) listUnlink(v *VMA) {
	if v.AnonVMA == 0 {
		return
	}
	a := m.st.AnonVMA(v.AnonVMA)
	a.VMAs = slices.DeleteFunc(a.VMAs, func(id VMAID) bool { return id == v.ID })
	m.logf("anon_vma_unlink", "%s leaves the list of anon_vma %s", m.st.VMAName(v.ID), a.Name)
	if len(a.VMAs) == 0 && !a.Freed {
		a.Freed = true
		m.slab = append(m.slab, a.ID)
		m.logf("anon_vma_unlink", "anon_vma %s has no VMAs left: freed", a.Name)
	}
}
