package kread

import (
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/cilium/ebpf"
)

// batch is how many map entries one system call reads or writes.
const batch = 1 << 14

// Watch asks the reader to count the frees of the kernel objects at these
// addresses, from now on: slab objects (kmem_cache_free) and struct pages
// (mm_page_free). An address watched already is left as it is. When the
// watched map is full, the programs are replaced by ones with a larger
// map (see grow).
func (r *Reader) Watch(addrs []uint64) error {
	var fresh []uint64
	for _, a := range addrs {
		if !r.watching[a] {
			r.watching[a] = true
			fresh = append(fresh, a)
		}
	}
	if len(r.watching) > r.p.capacity {
		if err := r.grow(len(r.watching)); err != nil {
			for _, a := range fresh {
				delete(r.watching, a)
			}
			return err
		}
	}
	counts := make(map[uint64]uint64, len(fresh))
	for _, a := range fresh {
		counts[a] = 0
	}
	return putCounts(r.p.objs.Watched, counts)
}

// grow replaces the programs by ones whose watched map holds n entries
// or more, carrying over what is watched and what was freed: the new
// programs count frees before the old stop, and an address either saw
// freed counts as freed.
func (r *Reader) grow(n int) error {
	capacity := r.p.capacity
	for capacity < n {
		capacity *= 2
	}
	if n > r.max {
		return fmt.Errorf("a live run may watch at most %d kernel objects (struct pages, VMAs, AVCs and anon_vmas) for their frees; this step brings it to %d", r.max, n)
	}
	p, err := loadProgs(r.lo, r.hi, capacity)
	if err != nil {
		return err
	}
	old := r.p
	counts, err := dump(old.objs.Watched)
	if err == nil {
		err = errors.Join(putCounts(p.objs.Watched, counts), copyPids(p, r.pids))
	}
	if err != nil {
		return errors.Join(err, p.close())
	}
	r.p = p
	if counts, err = dump(old.objs.Watched); err == nil { // frees seen until the old programs stopped
		err = putCounts(p.objs.Watched, freedOnly(counts))
	}
	return errors.Join(err, old.close())
}

// dump reads a map of counts whole, in batches.
func dump(m *ebpf.Map) (map[uint64]uint64, error) {
	out := map[uint64]uint64{}
	keys, vals := make([]uint64, batch), make([]uint64, batch)
	var cursor ebpf.MapBatchCursor
	for {
		n, err := m.BatchLookup(&cursor, keys, vals, nil)
		for i := range n {
			out[keys[i]] = vals[i]
		}
		if errors.Is(err, ebpf.ErrKeyNotExist) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("reading the watched objects: %w", err)
		}
	}
}

// putCounts puts counts into a map, in batches.
func putCounts(m *ebpf.Map, counts map[uint64]uint64) error {
	keys := slices.Collect(maps.Keys(counts))
	vals := make([]uint64, len(keys))
	for i, k := range keys {
		vals[i] = counts[k]
	}
	for len(keys) > 0 {
		n := min(len(keys), batch)
		if _, err := m.BatchUpdate(keys[:n], vals[:n], nil); err != nil {
			return fmt.Errorf("watching %d kernel objects: %w", n, err)
		}
		keys, vals = keys[n:], vals[n:]
	}
	return nil
}

// freedOnly drops the counts that are 0.
func freedOnly(counts map[uint64]uint64) map[uint64]uint64 {
	maps.DeleteFunc(counts, func(_, n uint64) bool { return n == 0 })
	return counts
}

// copyPids puts the chosen processes into new programs' pids map.
func copyPids(p *progs, pids map[uint32]bool) error {
	for pid := range pids {
		if err := p.objs.Pids.Put(pid, uint8(1)); err != nil {
			return fmt.Errorf("choosing pid %d: %w", pid, err)
		}
	}
	return nil
}

// Freed returns the watched addresses freed since they were watched, and
// stops watching them: an object seen there again is a new one.
func (r *Reader) Freed() ([]uint64, error) {
	counts, err := dump(r.p.objs.Watched)
	if err != nil {
		return nil, err
	}
	out := slices.Sorted(maps.Keys(freedOnly(counts)))
	for rest := out; len(rest) > 0; {
		n := min(len(rest), batch)
		if _, err := r.p.objs.Watched.BatchDelete(rest[:n], nil); err != nil {
			return nil, fmt.Errorf("forgetting %d freed objects: %w", n, err)
		}
		for _, a := range rest[:n] {
			delete(r.watching, a)
		}
		rest = rest[n:]
	}
	return out, nil
}
