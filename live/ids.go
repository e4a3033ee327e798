package live

// ids names the kernel objects of one kind by small ids, in order of first
// sight: an object's address is its identity while it lives. An address
// whose object was freed is forgotten (see forget), so that the next object
// the allocator puts there gets a new id: anon_vma_cachep is
// SLAB_TYPESAFE_BY_RCU, and reuses an address at once.
type ids struct {
	byAddr map[uint64]int
	n      int
}

func newIDs() *ids { return &ids{byAddr: map[uint64]int{}} }

// id returns the id of the object at addr, giving a new one at first
// sight; 0 for a NULL address.
func (x *ids) id(addr uint64) int {
	if addr == 0 {
		return 0
	}
	if id, ok := x.byAddr[addr]; ok {
		return id
	}
	x.n++
	x.byAddr[addr] = x.n
	return x.n
}

// forget drops the object at addr: it was freed.
func (x *ids) forget(addr uint64) { delete(x.byAddr, addr) }

// registry holds the ids of a session and the last observation, whose
// objects a later observation keeps (as Gone) when it no longer sees them.
type registry struct {
	vma, avc, av, page *ids
	last               *Observation
}

func newRegistry() *registry {
	return &registry{vma: newIDs(), avc: newIDs(), av: newIDs(), page: newIDs(), last: &Observation{}}
}
