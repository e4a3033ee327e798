package engine

import "slices"

// The machine's page array and page tables are the big parts of a state:
// a million pages and as many PTEs. A snapshot takes the machine's own
// arrays where they changed, rather than copying them, and the machine
// copies an array before it next writes an element a snapshot holds, as
// the kernel copies a page on write after fork. An array the machine only
// appends to (pages past the snapshot's length) is never copied. So a
// step that faults a million pages in costs one page array, which the
// machine and the step's snapshot share, not two.
//
// The machine knows an array is shared when it is the last snapshot's
// array at the same place (the same VMA id, or the page array): an array
// a snapshot took is either still the machine's, unchanged since, and
// then the last snapshot holds it too, or the machine copied it.

// snapshot returns a snapshot of the machine's state after m.snap, the
// last one, taking the machine's page array and page tables (see above).
func (m *Machine) snapshot() State {
	var last []PTE
	ptes := func(old, cur []PTE) []PTE {
		out := handOver(old, cur)
		if !sameSlice(out, old) && len(out) > 0 && slices.Equal(out, last) {
			// fork gives a thousand children the same page table:
			// the snapshot holds it once.
			out = last
		}
		if len(out) > 0 {
			last = out
		}
		return out
	}
	return m.st.copyOf(m.snap, handOver[Page], ptes)
}

// handOver returns what a snapshot holds for the machine's array cur,
// given old, the last snapshot's at the same place: old if it has the same
// elements (cur itself when the machine did not write it since), else cur
// with its capacity cut at its length, so that the machine appends past
// the snapshot's view.
func handOver[E comparable](old, cur []E) []E {
	switch {
	case len(cur) == 0:
		return cur[:0:0] // nil if cur is: a copy keeps that apart
	case sameSlice(old, cur), (old == nil) == (cur == nil) && slices.Equal(old, cur):
		return old
	}
	return cur[:len(cur):len(cur)]
}

// own lets the machine write the elements of *cur: if old, the last
// snapshot's array at the same place, shares them, *cur becomes a copy
// with the same capacity. It stores to *cur only then: page and ownPTEs
// run at every fault, and storing a slice back each time costs a GC write
// barrier on every call while a collection runs.
func own[E any](old []E, cur *[]E) {
	if len(old) > 0 && len(*cur) > 0 && &old[0] == &(*cur)[0] {
		c := make([]E, len(*cur), cap(*cur))
		copy(c, *cur)
		*cur = c
	}
}

// page returns the page with the given id, for the machine to write.
// Reads may use m.st.Page; a pointer that is written through must come
// from here, taken after the machine last appended a page.
func (m *Machine) page(id PageID) *Page {
	if m.snap != nil {
		own(m.snap.Pages, &m.st.Pages)
	}
	return &m.st.Pages[id-1]
}

// ownPTEs lets the machine write v's page table. A pointer to a PTE that
// is written through must be taken after it.
func (m *Machine) ownPTEs(v *VMA) {
	if m.snap != nil && int(v.ID) <= len(m.snap.VMAs) {
		own(m.snap.VMAs[v.ID-1].PTEs, &v.PTEs)
	}
}

// pteAt is [State.PTEAt] for the machine to write the PTE.
func (m *Machine) pteAt(p *Process, addr uint64) (*PTE, *VMA) {
	v := m.st.VMAAt(p, addr)
	if v == nil {
		return nil, nil
	}
	m.ownPTEs(v)
	return &v.PTEs[addr-v.Start], v
}
