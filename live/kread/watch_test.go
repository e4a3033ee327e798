package kread

import (
	"slices"
	"testing"
)

// fakeAddrs are n addresses no kernel object has (user-space ones).
func fakeAddrs(n int) []uint64 {
	out := make([]uint64, n)
	for i := range out {
		out[i] = 0x1000 + uint64(i)*8
	}
	return out
}

// TestWatchGrows: past the watched map's first size, the programs are
// replaced by ones with a larger map, which keep every address watched
// and every free seen, before and after the change, and leave the old
// programs unloaded.
func TestWatchGrows(t *testing.T) {
	r := openReader(t, base, base+1<<30)
	old, err := r.ProgramIDs()
	if err != nil {
		t.Fatal(err)
	}
	// A free counted by the first programs, before they are replaced.
	ch, vmas := forkedChild(t, r)
	av := vmas[0].AnonVMA
	must(t, r.Watch([]uint64{av}), ch.Exit())
	fakes := fakeAddrs(minWatched + 10)
	must(t, r.Watch(fakes))
	if r.p.capacity != 2*minWatched || len(r.watching) != minWatched+11 {
		t.Errorf("capacity %d, %d watched; want %d, %d", r.p.capacity, len(r.watching), 2*minWatched, minWatched+11)
	}
	for _, id := range old {
		if err := Unloaded(id); err != nil {
			t.Error(err)
		}
	}
	// The new programs count frees too, and read VMAs of the chosen pids.
	if !childAnonVMAFreedAfter(t, r, av) {
		t.Error("a free seen before or after the map grew is lost")
	}
	counts, err := dump(r.p.objs.Watched)
	if err != nil || len(counts) != minWatched+10 || counts[fakes[minWatched]] != 0 {
		t.Errorf("the watched map holds %d entries (%v); want every fake address, at 0", len(counts), err)
	}
}

// childAnonVMAFreedAfter reports whether Freed reports av (freed
// before) and a new child's anon_vma freed now, and nothing else.
func childAnonVMAFreedAfter(t *testing.T, r *Reader, av uint64) bool {
	ch, vmas := forkedChild(t, r)
	must(t, r.Watch([]uint64{vmas[0].AnonVMA}), ch.Exit())
	got, err := r.Freed()
	if err != nil {
		t.Fatal(err)
	}
	want := []uint64{av, vmas[0].AnonVMA}
	slices.Sort(want)
	return slices.Equal(got, want)
}

// TestWatchLimit: past the most objects it may watch (maxWatched; lower
// here), Watch refuses, naming the limit, and watches nothing more.
func TestWatchLimit(t *testing.T) {
	r := openReader(t, base, base+1<<30)
	r.max = 2 * minWatched
	must(t, r.Watch(fakeAddrs(10)))
	err := r.Watch(fakeAddrs(2*minWatched + 1))
	if err == nil || err.Error() != "a live run may watch at most 131072 kernel objects (struct pages, VMAs, AVCs and anon_vmas) for their frees; this step brings it to 131073" || len(r.watching) != 10 {
		t.Errorf("%v, %d watched; want the limit named, nothing watched", err, len(r.watching))
	}
}
