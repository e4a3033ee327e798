package kread

import (
	"errors"
	"fmt"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/link"
)

// StructPage is what struct page holds for an anonymous page.
type StructPage struct {
	PFN     uint64
	Mapping uint64 // page->mapping: an anon_vma's address with bit 0 set (bits 0 and 1 for KSM)
	Index   uint64 // page->index (__folio_index in 6.18)
	// Mapcount is page->_mapcount + 1. With CONFIG_PAGE_MAPCOUNT it counts
	// the page's PTEs; without, a large folio's pages may read 0.
	Mapcount int
	Refcount int
	Flags    uint64 // page->flags: PG_* bits
	OK       bool   // every field was read
}

// pgAnonExclusive is PG_anon_exclusive (PG_mappedtodisk's bit, 11 in 6.18:
// enum pageflags is in the kernel's BTF, but stable since 5.19).
const pgAnonExclusive = 1 << 11

// Anon reports whether page->mapping points at an anon_vma (PAGE_MAPPING_ANON).
func (p StructPage) Anon() bool { return p.Mapping&3 == 1 }

// AnonVMA returns the anon_vma page->mapping points at, or 0.
func (p StructPage) AnonVMA() uint64 {
	if p.Mapping&1 == 0 {
		return 0
	}
	return p.Mapping &^ 3
}

// AnonExclusive reports PG_anon_exclusive: the page may be written without
// a copy (mm/memory.c do_wp_page).
func (p StructPage) AnonExclusive() bool { return p.Anon() && p.Flags&pgAnonExclusive != 0 }

// PageReader reads struct pages with a syscall program run through
// BPF_PROG_TEST_RUN, at a vmemmap base it calibrates. Close it to unload
// its programs.
type PageReader struct {
	objs structPageObjects
	base uint64 // vmemmap base: struct page of pfn p is at base + p*size
	size uint64 // sizeof(struct page)
}

// maxPages is MAX_PAGES of page.bpf.c: struct pages read per run.
const maxPages = 64

// OpenPages probes the kernel and loads the struct page reader. It must be
// calibrated before Read.
func OpenPages() (*PageReader, error) {
	if err := Probe(); err != nil {
		return nil, err
	}
	spec, err := loadStructPage()
	if err != nil {
		return nil, fmt.Errorf("reading the embedded BPF object: %w", err)
	}
	r := &PageReader{}
	if err := spec.LoadAndAssign(&r.objs, nil); err != nil {
		return nil, refused("loading the syscall and tp_btf/mm_page_alloc programs", err)
	}
	return r, nil
}

// Close unloads the programs and maps.
func (r *PageReader) Close() error { return r.objs.Close() }

// ProgramIDs returns the kernel's ids of the loaded programs, to check
// that Close unloads them.
func (r *PageReader) ProgramIDs() ([]ebpf.ProgramID, error) {
	return programIDs(r.objs.ReadPages, r.objs.CatchAlloc)
}

// Calibrate finds the vmemmap base. fault must make process tgid fault in
// one anonymous page by a write and return its PFN (pagemap) and the index
// it must have (its address >> PAGE_SHIFT, for a fresh anonymous mapping).
// The struct pages tgid allocates meanwhile are caught (mm_page_alloc);
// the one that is that anonymous page gives the base.
func (r *PageReader) Calibrate(tgid int, fault func() (pfn, index uint64, err error)) error {
	caught, pfn, index, err := r.catch(tgid, fault)
	if err != nil {
		return err
	}
	pages, err := r.read(caught)
	if err != nil {
		return err
	}
	for i, p := range pages {
		if p.OK && p.Anon() && p.Index == index && p.Mapcount == 1 {
			r.base = caught[i] - pfn*r.size
			return nil
		}
	}
	return &UnavailableError{Reason: ProgramRefused, Detail: fmt.Sprintf(
		"calibrating the vmemmap base: none of the %d struct pages process %d allocated is its anonymous page of index %#x", len(caught), tgid, index)}
}

// catch runs fault with mm_page_alloc watched for tgid and returns the
// struct pages caught.
func (r *PageReader) catch(tgid int, fault func() (uint64, uint64, error)) (caught []uint64, pfn, index uint64, err error) {
	if err := errors.Join(r.objs.CalibTgid.Set(uint32(tgid)), r.objs.Ncaught.Set(uint32(0))); err != nil {
		return nil, 0, 0, err
	}
	l, err := link.AttachTracing(link.TracingOptions{Program: r.objs.CatchAlloc})
	if err != nil {
		return nil, 0, 0, refused("attaching the tp_btf/mm_page_alloc program", err)
	}
	pfn, index, err = fault()
	if cerr := l.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, 0, 0, err
	}
	var n uint32
	var all [32]uint64
	if err := errors.Join(r.objs.Ncaught.Get(&n), r.objs.Caught.Get(&all)); err != nil {
		return nil, 0, 0, err
	}
	return all[:min(int(n), len(all))], pfn, index, nil
}

// Addr returns the address of the struct page of pfn (0 before Calibrate).
func (r *PageReader) Addr(pfn uint64) uint64 {
	if r.base == 0 {
		return 0
	}
	return r.base + pfn*r.size
}

// Read returns the struct pages of these PFNs.
func (r *PageReader) Read(pfns []uint64) ([]StructPage, error) {
	if r.size == 0 || r.base == 0 {
		return nil, errors.New("the struct page reader is not calibrated")
	}
	addrs := make([]uint64, len(pfns))
	for i, pfn := range pfns {
		addrs[i] = r.Addr(pfn)
	}
	pages, err := r.read(addrs)
	for i := range pages {
		pages[i].PFN = pfns[i]
	}
	return pages, err
}

// read reads the struct pages at these addresses, maxPages a run.
func (r *PageReader) read(addrs []uint64) ([]StructPage, error) {
	var out []StructPage
	for len(addrs) > 0 {
		n := min(len(addrs), maxPages)
		var req [maxPages]uint64
		copy(req[:], addrs[:n])
		if err := errors.Join(r.objs.Req.Set(req), r.objs.Nreq.Set(uint32(n))); err != nil {
			return nil, err
		}
		if _, err := r.objs.ReadPages.Run(&ebpf.RunOptions{}); err != nil {
			return nil, refused("running the syscall program (BPF_PROG_TEST_RUN)", err)
		}
		var res [maxPages]structPagePageOut
		if err := errors.Join(r.objs.Out.Get(&res), r.objs.PageSize.Get(&r.size)); err != nil {
			return nil, err
		}
		for _, o := range res[:n] {
			out = append(out, StructPage{Mapping: o.Mapping, Index: o.Index, Mapcount: int(o.Mapcount),
				Refcount: int(o.Refcount), Flags: o.Flags, OK: o.Ok == 1})
		}
		addrs = addrs[n:]
	}
	return out, nil
}
