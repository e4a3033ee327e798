package kread

import (
	"encoding/binary"
	"fmt"
	"os"
)

// PTE is what /proc says of one page of a process: the pagemap entry and,
// for a present page, its mapcount and flags (/proc/kpagecount,
// /proc/kpageflags).
type PTE struct {
	Addr    uint64
	Present bool
	Swapped bool
	// SwapType and SwapOffset name a swapped page's swap entry (pagemap
	// bits 0-4 and 5-54): the device and the slot on it.
	SwapType, SwapOffset uint64
	// MappedOnce is pagemap bit 56 (PM_MMAP_EXCLUSIVE): the page is mapped
	// by this PTE alone. It is not PG_anon_exclusive.
	MappedOnce bool
	PFN        uint64
	Mapcount   int    // /proc/kpagecount: exact with CONFIG_PAGE_MAPCOUNT
	Flags      uint64 // /proc/kpageflags
}

// The kpageflags bits the reader uses (include/uapi/linux/kernel-page-flags.h).
const (
	KPFCompoundHead = 1 << 15
	KPFCompoundTail = 1 << 16
	KPFAnon         = 1 << 12
	KPFKSM          = 1 << 21
	KPFTHP          = 1 << 22
	KPFZeroPage     = 1 << 24
)

// Zero reports whether the PTE maps the shared zero page.
func (p PTE) Zero() bool { return p.Present && p.Flags&KPFZeroPage != 0 }

// Large reports whether the page is part of a large folio (its mapcount is
// then the folio's, not the page's).
func (p PTE) Large() bool { return p.Flags&(KPFCompoundHead|KPFCompoundTail) != 0 }

// PTEs reads n pages of process pid from addr.
func PTEs(pid int, addr uint64, n int) ([]PTE, error) {
	pm, err := os.Open(fmt.Sprintf("/proc/%d/pagemap", pid))
	if err != nil {
		return nil, err
	}
	defer pm.Close()
	buf := make([]byte, 8*n)
	if _, err := pm.ReadAt(buf, int64(addr/pageSize*8)); err != nil {
		return nil, fmt.Errorf("reading pagemap of %d: %w", pid, err)
	}
	out := make([]PTE, n)
	for i := range out {
		e := binary.NativeEndian.Uint64(buf[8*i:])
		out[i] = PTE{Addr: addr + uint64(i)*pageSize, Present: e>>63&1 == 1, Swapped: e>>62&1 == 1, MappedOnce: e>>56&1 == 1}
		switch {
		case out[i].Present:
			out[i].PFN = e & (1<<55 - 1)
		case out[i].Swapped:
			out[i].SwapType, out[i].SwapOffset = e&0x1f, e>>5&(1<<50-1)
		}
	}
	return out, kpages(out)
}

// pageSize is the base page size of the machines avdoc reads (x86-64,
// arm64 with 4 KiB pages).
const pageSize = 4096

// kpages fills in the mapcount and flags of the present pages.
func kpages(ptes []PTE) error {
	count, err := os.Open("/proc/kpagecount")
	if err != nil {
		return err
	}
	defer count.Close()
	flags, err := os.Open("/proc/kpageflags")
	if err != nil {
		return err
	}
	defer flags.Close()
	var b [8]byte
	for i := range ptes {
		p := &ptes[i]
		if !p.Present {
			continue
		}
		if _, err := count.ReadAt(b[:], int64(p.PFN*8)); err != nil {
			return fmt.Errorf("kpagecount of pfn %#x: %w", p.PFN, err)
		}
		p.Mapcount = int(binary.NativeEndian.Uint64(b[:]))
		if _, err := flags.ReadAt(b[:], int64(p.PFN*8)); err != nil {
			return fmt.Errorf("kpageflags of pfn %#x: %w", p.PFN, err)
		}
		p.Flags = binary.NativeEndian.Uint64(b[:])
	}
	return nil
}
