package live

import "fmt"

// ids names the kernel objects of one kind by small ids, in order of first
// sight: an object's address is its identity while it lives. An address
// whose object was freed is forgotten (see forget), so that the next object
// the allocator puts there gets a new id: anon_vma_cachep is
// SLAB_TYPESAFE_BY_RCU, and reuses an address at once.
type ids struct {
	byAddr map[uint64]int
	n      int
	freed  map[int]bool // ids whose object the kernel freed
}

func newIDs() *ids { return &ids{byAddr: map[uint64]int{}, freed: map[int]bool{}} }

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

// free records that the object at addr was freed: its id stays its own,
// and the next object at addr gets a new one.
func (x *ids) free(addr uint64) {
	if id, ok := x.byAddr[addr]; ok {
		x.freed[id] = true
		delete(x.byAddr, addr)
	}
}

// addrs returns the addresses of the objects alive as far as known.
func (x *ids) addrs() []uint64 {
	out := make([]uint64, 0, len(x.byAddr))
	for a := range x.byAddr {
		out = append(out, a)
	}
	return out
}

// registry holds the ids of a session and the last observation, whose
// objects a later observation keeps (as Gone) when it no longer sees them.
type registry struct {
	vma, avc, av, page *ids
	// swap names swap entries by device and slot (type<<50 | offset,
	// plus one): a slot freed and used again keeps its id.
	swap    *ids
	last    *Observation
	avNames map[int]string // anon_vma id -> its story name
	names   map[string]int // story name -> anon_vmas named so
}

// avName returns the story name of anon_vma av, naming it after vma (for
// example "C:heap") if it has none yet.
func (r *registry) avName(av int, vma string) string {
	if n, ok := r.avNames[av]; ok || vma == "" {
		return n
	}
	r.names[vma]++
	n := vma
	if k := r.names[vma]; k > 1 {
		n = fmt.Sprintf("%s#%d", vma, k)
	}
	r.avNames[av] = n
	return n
}

// free records the frees of the objects at addrs, whatever their kind.
func (r *registry) free(addrs []uint64) {
	for _, a := range addrs {
		r.vma.free(a)
		r.avc.free(a)
		r.av.free(a)
		r.page.free(a)
	}
}

// watched returns the addresses of every VMA, AVC and anon_vma known, and
// of every struct page if pages are known by those (not by PFN).
func (r *registry) watched(pages bool) []uint64 {
	out := append(append(r.vma.addrs(), r.avc.addrs()...), r.av.addrs()...)
	if pages {
		out = append(out, r.page.addrs()...)
	}
	return out
}

func newRegistry() *registry {
	return &registry{vma: newIDs(), avc: newIDs(), av: newIDs(), page: newIDs(), swap: newIDs(), last: &Observation{},
		avNames: map[int]string{}, names: map[string]int{}}
}
