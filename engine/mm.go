package engine

import (
	"fmt"
	"slices"
)

// mmapBase is the page number of a process's first mapping; later ones
// follow it with a one-page gap, so that two regions never merge unless a
// story places them side by side with `at`.
const mmapBase = 0x100

func (m *Machine) newProc(name string, parent ProcID) *Process {
	id := ProcID(len(m.st.Procs) + 1)
	m.names[name] = id
	m.st.Procs = append(m.st.Procs, Process{ID: id, Name: name, Parent: parent})
	return m.st.Proc(id)
}

func (m *Machine) newVMA(p ProcID, region string, start, end, pgoff uint64, writable bool) *VMA {
	id := VMAID(len(m.st.VMAs) + 1)
	m.st.VMAs = append(m.st.VMAs, VMA{ID: id, Proc: p, Region: region, Start: start, End: end, Pgoff: pgoff,
		Writable: writable, Accounted: writable, PTEs: make([]PTE, end-start)})
	return m.st.VMA(id)
}

// spawn: a new process with an empty address space.
func (m *Machine) spawn(ev Event) *EventError {
	if m.names[ev.Proc] != 0 {
		return errf(FieldProc, "each process needs a name of its own for the whole story", "process name %s is already taken", ev.Proc)
	}
	p := m.newProc(ev.Proc, 0)
	m.logf("execve", "process %s starts with an empty mm", p.Name)
	return nil
}

// mmap: an anonymous private mapping. For anonymous mappings vm_pgoff is
// the start page number (kernel-rmap-spec §2.2).
func (m *Machine) mmap(ev Event) *EventError {
	p, err := m.liveProc(ev.Proc, FieldProc)
	if err != nil {
		return err
	}
	if _, dup := p.Region(ev.Region); dup {
		return errf(FieldRegion, "give each mmap of a process its own region name", "process %s already has a region %s", p.Name, ev.Region)
	}
	if ev.Pages < 1 {
		return errf(FieldPages, "", "mmap needs at least 1 page, got %d", ev.Pages)
	}
	start := m.nextFree(p)
	if ev.HasAt {
		start = ev.At
	}
	end := start + uint64(ev.Pages)
	if err := m.checkPlacement(p, start, end); err != nil {
		return err
	}
	p.Regions = append(p.Regions, Region{Name: ev.Region, Start: start, Pages: ev.Pages})
	if m.mmapMerge(p, start, end, ev.Writable) != nil {
		return nil
	}
	v := m.newVMA(p.ID, ev.Region, start, end, start, ev.Writable)
	m.linkVMA(p, v)
	m.logf("mmap_region", "new VMA %s covers pages %s, vm_pgoff %#x, %s, no anon_vma yet",
		m.st.VMAName(v.ID), rangeText(start, end), start, protName(v.Writable))
	return nil
}

func (m *Machine) nextFree(p *Process) uint64 {
	next := uint64(mmapBase)
	for _, r := range p.Regions {
		next = max(next, r.End()+1)
	}
	for _, id := range p.VMAs {
		next = max(next, m.st.VMA(id).End+1)
	}
	return next
}

// checkPlacement refuses a mapping that overlaps another one: MAP_FIXED
// over an existing mapping is not simulated.
func (m *Machine) checkPlacement(p *Process, start, end uint64) *EventError {
	for _, id := range p.VMAs {
		v := m.st.VMA(id)
		if start < v.End && v.Start < end {
			return errf(FieldAt, "munmap it first, or place the new region elsewhere",
				"pages %s overlap %s (%s)", rangeText(start, end), m.st.VMAName(id), rangeText(v.Start, v.End))
		}
	}
	for _, r := range p.Regions {
		if start < r.End() && r.Start < end {
			return errf(FieldAt, "place the new region elsewhere", "pages %s overlap region %s (%s), which is partly unmapped",
				rangeText(start, end), r.Name, rangeText(r.Start, r.End()))
		}
	}
	return nil
}

// linkVMA inserts v into p's address-ordered VMA list.
func (m *Machine) linkVMA(p *Process, v *VMA) {
	i, _ := slices.BinarySearchFunc(p.VMAs, v.Start, func(id VMAID, start uint64) int {
		return compare(m.st.VMA(id).Start, start)
	})
	p.VMAs = slices.Insert(p.VMAs, i, v.ID)
}

func compare(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func protName(writable bool) string {
	if writable {
		return "rw"
	}
	return "ro"
}

// exit: exit_mmap zaps every PTE (unmap_vmas), then frees the page tables
// and unlinks every VMA from its anon_vmas (free_pgtables).
func (m *Machine) exit(ev Event) *EventError {
	p, err := m.liveProc(ev.Proc, FieldProc)
	if err != nil {
		return err
	}
	vmas := slices.Clone(p.VMAs)
	for _, id := range vmas {
		m.zap(m.st.VMA(id), "exit_mmap")
	}
	for _, id := range vmas {
		m.removeVMA(p, m.st.VMA(id))
	}
	p.Exited = true
	p.Regions = nil
	m.logf("exit_mmap", "process %s is gone", p.Name)
	return nil
}

// dropRegions forgets the regions that [start, end) covers entirely.
func (m *Machine) dropRegions(p *Process, start, end uint64) {
	p.Regions = slices.DeleteFunc(p.Regions, func(r Region) bool { return start <= r.Start && r.End() <= end })
}

// zap clears every PTE of v, as zap_pte_range does.
func (m *Machine) zap(v *VMA, fn string) {
	name := m.st.VMAName(v.ID)
	for i := range v.PTEs {
		m.zapPTE(v, i, fn, name)
	}
}

// zapPTE clears the i-th PTE of v, whose name is name.
func (m *Machine) zapPTE(v *VMA, i int, fn, name string) {
	m.ownPTEs(v)
	pte := &v.PTEs[i]
	switch pte.Kind {
	case PTEPage:
		m.chainDel(pte.Page, pte.ChainPos)
		where := ""
		if !m.quiet() {
			where = fmt.Sprintf("%s:%d", name, i)
		}
		m.removeRmap(pte.Page, fn, where)
	case PTESwap:
		m.freeSwapAndCache(pte.Swap)
	}
	*pte = PTE{}
}

// removeVMA unlinks v from its anon_vmas and takes it out of its mm.
func (m *Machine) removeVMA(p *Process, v *VMA) {
	name := m.st.VMAName(v.ID)
	m.unlinkAnonVMAs(v)
	p.VMAs = slices.DeleteFunc(p.VMAs, func(id VMAID) bool { return id == v.ID })
	v.Gone = true
	m.logf("remove_vma", "VMA %s freed", name)
}

// removeRmap drops one mapping of a page (page_remove_rmap); the page is
// freed with its last mapping unless the swap cache holds it.
//
// A page in the swap cache survives its last mapping while some swap
// entry still refers to its slot; otherwise the cache lets it go too
// (free_swap_cache, try_to_free_swap).
func (m *Machine) removeRmap(id PageID, fn, where string) {
	pg := m.page(id)
	pg.Mapcount--
	m.mapped(pg)
	if pg.Mapcount == 0 {
		pg.Exclusive = false
	}
	if pg.Mapcount == 0 && m.model.ClearMapping && pg.Mapping != 0 {
		m.logf("clear_page_anon", "page %d's last mapping is gone: page->mapping := NULL", id)
		pg.Mapping = 0
	}
	if pg.Mapcount > 0 || (pg.Swap != 0 && m.st.Slot(pg.Swap).Count > 0) {
		if !m.drop(1) {
			m.logf(fn, "unmapped page %d at %s; mapcount now %d", id, where, pg.Mapcount)
		}
		return
	}
	if pg.Swap != 0 {
		s := m.st.Slot(pg.Swap)
		s.Page, s.Freed, pg.Swap = 0, true, 0
		m.logf("free_swap_cache", "swap slot %d is no longer used: page %d leaves the swap cache", s.ID, id)
	}
	pg.Freed = true
	m.logf(fn, "unmapped page %d at %s, its last mapping: page freed", id, where)
}

// swapFree drops one reference to a swap slot (swap_free); a slot that
// nothing refers to any more is freed, unless the swap cache still holds
// its page.
func (m *Machine) swapFree(id SwapID) {
	s := m.st.Slot(id)
	s.Count--
	if s.Count == 0 && s.Page == 0 {
		s.Freed = true
	}
}

// freeSwapAndCache drops a swap PTE being zapped (free_swap_and_cache):
// once no PTE refers to the slot, an unmapped page in the swap cache is
// freed with it.
func (m *Machine) freeSwapAndCache(id SwapID) {
	m.swapFree(id)
	s := m.st.Slot(id)
	if s.Count > 0 || s.Page == 0 || m.st.Page(s.Page).Mapcount > 0 {
		return
	}
	pg := m.page(s.Page)
	m.logf("free_swap_and_cache", "swap slot %d is no longer used: page %d leaves the swap cache and is freed", id, pg.ID)
	pg.Freed, pg.Swap, s.Page, s.Freed = true, 0, 0, true
}
