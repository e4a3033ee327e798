package kread

import (
	"testing"
)

func openPages(t *testing.T) *PageReader {
	t.Helper()
	r, err := OpenPages()
	needReadable(t, err)
	ids, err := r.ProgramIDs()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := r.Close(); err != nil {
			t.Error(err)
		}
		for _, id := range ids {
			if err := Unloaded(id); err != nil {
				t.Error(err)
			}
		}
	})
	return r
}

// pfnOf returns the PFN of a present page of pid.
func pfnOf(t *testing.T, pid int, addr uint64) uint64 {
	t.Helper()
	ptes, err := PTEs(pid, addr, 1)
	if err != nil || !ptes[0].Present {
		t.Fatalf("page %#x of %d: %+v, %v; want present", addr, pid, ptes, err)
	}
	return ptes[0].PFN
}

// TestStructPageAfterForkAndWrite calibrates the vmemmap base and checks
// page->mapping and PG_anon_exclusive through a fork and a child's write:
// the parent's page, shared by fork, is filed under the parent's anon_vma
// and not exclusive; the child's copy goes to the child's own anon_vma,
// exclusive (mm/memory.c wp_page_copy, folio_add_new_anon_rmap).
func TestStructPageAfterForkAndWrite(t *testing.T) {
	pr := openPages(t)
	vr := openReader(t, base, base+1<<30)
	p := spawnAgent(t)
	must(t, p.Mmap(base, 2, true))
	err := pr.Calibrate(p.Pid(), func() (uint64, uint64, error) {
		if err := p.Touch(base, 1, true); err != nil {
			return 0, 0, err
		}
		return pfnOf(t, p.Pid(), base), base / pageSize, nil
	})
	must(t, err)
	ch, err := p.Fork()
	must(t, err, ch.Touch(base, 1, true))
	must(t, vr.SetPids([]int{p.Pid(), ch.Pid()}))
	vmas, err := vr.VMAs()
	if err != nil || len(vmas) != 2 {
		t.Fatalf("VMAs: %+v, %v; want 2", vmas, err)
	}
	pages, err := pr.Read([]uint64{pfnOf(t, p.Pid(), base), pfnOf(t, ch.Pid(), base)})
	must(t, err)
	for i, want := range []struct {
		av   uint64
		excl bool
	}{{vmas[0].AnonVMA, false}, {vmas[1].AnonVMA, true}} {
		pg := pages[i]
		if !pg.OK || pg.AnonVMA() != want.av || pg.Index != base/pageSize || pg.Mapcount != 1 || pg.AnonExclusive() != want.excl {
			t.Errorf("page %d: %+v (anon_vma %#x, exclusive %v); want anon_vma %#x, index %#x, mapcount 1, exclusive %v",
				i, pg, pg.AnonVMA(), pg.AnonExclusive(), want.av, uint64(base/pageSize), want.excl)
		}
	}
}
