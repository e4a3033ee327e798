package engine

import (
	"fmt"
	"math"
	"slices"
)

// Object ids are small positive integers handed out from counters held in the
// machine, in order of creation, and never reused: the same story always
// gives the same ids, and an id names one object for the whole story. Zero
// means "none" (a NULL pointer).
type (
	ProcID int   // a process (an mm)
	VMAID  int   // a vm_area_struct
	AVID   int   // a struct anon_vma
	AVCID  int   // a struct anon_vma_chain
	PageID int32 // a struct page holding anonymous data (see maxObjects)
	SwapID int32 // a swap slot (see maxObjects)
)

// Pages and swap slots are the objects a story makes by the million: their
// ids take 4 bytes, so that a page takes 40 bytes and a PTE 16. An event
// that could make more than maxObjects of either is refused.
const maxObjects = math.MaxInt32

// State is a snapshot of the simulated kernel after a step. A State returned
// by [Machine.Step] is never modified by the machine afterwards; callers
// must treat it, and every slice reachable from it, as read-only.
//
// Objects live in slices indexed by id-1. Objects that the kernel freed stay
// in place, marked Freed (or Exited, Gone), so ids stay valid and a dangling
// pointer can be followed and reported.
type State struct {
	Model    *Model
	Procs    []Process
	VMAs     []VMA
	AnonVMAs []AnonVMA
	AVCs     []AVC
	Pages    []Page
	Swap     []SwapSlot
	// rmap finds the PTEs that map a page without looking at the others
	// (see pteIndex); nil where Mappers must scan.
	rmap *pteIndex
}

// Process is an mm_struct with its owner's name.
type Process struct {
	ID      ProcID
	Name    string
	Parent  ProcID // 0 for a spawned process
	Exited  bool
	VMAs    []VMAID  // the mm's VMAs in address order (the kernel's mmap list)
	Regions []Region // named address ranges made by mmap, in creation order
}

// Region is the address range one mmap created. It keeps its name when the
// VMAs covering it are split or merged; page indexes in events count from
// Start.
type Region struct {
	Name  string
	Start uint64 // first page number
	Pages int
}

// End returns the page number just past the region.
func (r Region) End() uint64 { return r.Start + uint64(r.Pages) }

// VMA is a vm_area_struct of an anonymous private mapping. Start and End
// are page numbers (End exclusive); Pgoff is vm_pgoff, which for anonymous
// mappings starts out equal to Start.
type VMA struct {
	ID       VMAID
	Proc     ProcID
	Region   string // the region its first page lies in
	Start    uint64
	End      uint64
	Pgoff    uint64
	Writable bool
	// Accounted is VM_ACCOUNT: a private mapping gets it once it is
	// writable and keeps it; VMAs that differ in it do not merge.
	Accounted bool
	AnonVMA   AVID    // vma->anon_vma: where the VMA's new pages go
	Chain     []AVCID // vma->anon_vma_chain, the same_vma list, head first
	PTEs      []PTE   // the page table entries of [Start, End), in order
	Gone      bool    // unmapped: no longer in its mm
}

// Pages returns the number of pages the VMA covers.
func (v *VMA) Pages() int { return int(v.End - v.Start) }

// AnonVMA is a struct anon_vma.
type AnonVMA struct {
	ID   AVID
	Name string  // the story name, e.g. "P:heap" or "P:heap#2"
	Head []AVCID // anon_vma->head, the same_anon_vma list, head first
	// VMAs is anon_vma->head in 2.6.7-2.6.33, which listed VMAs (through
	// vma->anon_vma_node) rather than AVCs, head first.
	VMAs  []VMAID
	Freed bool
	// Parent is the anon_vma of the VMA this one's VMA was forked from, or
	// 0 for one that anon_vma_prepare made. Kernels store it only from
	// 3.19 on (a root is its own parent there); the simulator always does,
	// to check chain order (I5).
	Parent AVID
	// Root is anon_vma->root (2.6.36+): the oldest anon_vma of the family,
	// itself for a root; 0 in models without it.
	Root AVID
	// Refcount counts the references that keep a freed-list anon_vma alive:
	// each live child anon_vma pins its root (2.6.36+).
	Refcount int
	// Degree is anon_vma->degree (3.19): VMAs using it as their anon_vma,
	// plus anon_vmas forked from it, plus one for a root's self link.
	Degree int
	// NumChildren and NumActiveVMAs replace Degree in 6.0: anon_vmas whose
	// parent this is (a root counts itself), and VMAs using it.
	NumChildren   int
	NumActiveVMAs int
	// ReusedBy is the anon_vma later allocated in this one's memory, after
	// it was freed: anon_vma_cachep is SLAB_DESTROY_BY_RCU, so the memory
	// stays an anon_vma, and the slab hands out the last freed object first.
	ReusedBy AVID
}

// AVC is a struct anon_vma_chain: one link between a VMA and an anon_vma,
// on the VMA's same_vma list and on the anon_vma's same_anon_vma list.
type AVC struct {
	ID      AVCID
	VMA     VMAID
	AnonVMA AVID
	Freed   bool
	// First and Last are the page-offset interval the AVC is filed under
	// in its anon_vma's interval tree (3.7+): its VMA's
	// [vm_pgoff, vm_pgoff + pages - 1] when it was last (re)inserted.
	First, Last uint64
}

// Page is a struct page holding anonymous data (the shared zero page is not
// one: it is a [PTE] of kind [PTEZero]).
type Page struct {
	ID       PageID
	Swap     SwapID // the swap slot while the page is in the swap cache
	Index    uint64 // page->index, set at first attach and never changed
	Mapping  AVID   // page->mapping: the anon_vma it points at, or 0
	Mapcount int    // PTEs mapping the page (the kernel's _mapcount + 1)
	// The 4-byte ids come in pairs and the flags last: a page takes 40
	// bytes rather than 48.
	Freed bool
	// Chained is 2.6.6's !PG_direct: the page's PTE pointers live in
	// pte_chain blocks. A second mapping moves them there; page_referenced
	// moves a lone one back into struct page, lazily.
	Chained bool
	// Exclusive is PG_anon_exclusive (5.19+): one PTE alone maps the page
	// and no swap entry or other process can reach it.
	Exclusive bool
	// ChainLen is 2.6.6's count of PTEs on the page's pte_chain: each
	// PTE's ChainPos is its place, ChainLen the newest's.
	ChainLen uint32
}

// SwapSlot is a slot on the swap device.
type SwapSlot struct {
	ID    SwapID
	Count int    // swap PTEs holding the entry
	Page  PageID // the page in the swap cache, or 0 once evicted
	Index uint64 // page->index of the data, for a swap-in that reads it fresh
	Freed bool
}

// PTEKind says what a page table entry holds.
type PTEKind uint8

// The kinds of PTE.
const (
	PTENone PTEKind = iota // nothing mapped yet
	PTEPage                // maps an anonymous page
	PTEZero                // maps the shared zero page, read-only
	PTESwap                // a swap entry
)

// PTE is one page table entry.
type PTE struct {
	// Kind comes after the ids: a PTE takes 16 bytes rather than 20.
	Page     PageID // for PTEPage
	Swap     SwapID // for PTESwap
	Kind     PTEKind
	Writable bool
	// Dirty is the PTE's dirty bit (set by a write; fork and mprotect
	// keep it).
	Dirty bool
	// SwpExclusive is a swap entry's exclusive marker (5.19+:
	// pte_swp_mkexclusive): the page was PG_anon_exclusive when
	// try_to_unmap_one took it away.
	SwpExclusive bool
	// ChainPos is 2.6.6's place of the PTE on its page's pte_chain,
	// counted from the oldest (1); the walk starts from the newest.
	ChainPos uint32
}

// Proc returns the process with the given id.
func (s *State) Proc(id ProcID) *Process { return &s.Procs[id-1] }

// VMA returns the VMA with the given id.
func (s *State) VMA(id VMAID) *VMA { return &s.VMAs[id-1] }

// AnonVMA returns the anon_vma with the given id.
func (s *State) AnonVMA(id AVID) *AnonVMA { return &s.AnonVMAs[id-1] }

// AVC returns the anon_vma_chain with the given id.
func (s *State) AVC(id AVCID) *AVC { return &s.AVCs[id-1] }

// Page returns the page with the given id.
func (s *State) Page(id PageID) *Page { return &s.Pages[id-1] }

// Slot returns the swap slot with the given id.
func (s *State) Slot(id SwapID) *SwapSlot { return &s.Swap[id-1] }

// ProcByName returns the live process with that name, or nil.
func (s *State) ProcByName(name string) *Process {
	for i := range s.Procs {
		if p := &s.Procs[i]; p.Name == name && !p.Exited {
			return p
		}
	}
	return nil
}

// Region returns the region of p with that name, or false.
func (p *Process) Region(name string) (Region, bool) {
	for _, r := range p.Regions {
		if r.Name == name {
			return r, true
		}
	}
	return Region{}, false
}

// VMAAt returns p's VMA covering page number addr, or nil.
func (s *State) VMAAt(p *Process, addr uint64) *VMA {
	for _, id := range p.VMAs {
		if v := s.VMA(id); v.Start <= addr && addr < v.End {
			return v
		}
	}
	return nil
}

// PTEAt returns the PTE of p at page number addr and the VMA holding it.
func (s *State) PTEAt(p *Process, addr uint64) (*PTE, *VMA) {
	v := s.VMAAt(p, addr)
	if v == nil {
		return nil, nil
	}
	return &v.PTEs[addr-v.Start], v
}

// VMAName names a VMA as stories do: "P:heap", the process and the region
// its first page lies in; a VMA that covers only part of its region gets
// the page range too, "P:heap[2..3]".
func (s *State) VMAName(id VMAID) string {
	v := s.VMA(id)
	p := s.Proc(v.Proc)
	r, ok := p.Region(v.Region)
	if !ok || (v.Start == r.Start && v.End >= r.End()) {
		return p.Name + ":" + v.Region
	}
	return fmt.Sprintf("%s:%s[%d..%d]", p.Name, r.Name, v.Start-r.Start, v.End-1-r.Start)
}

func (s *State) addrName(p *Process, addr uint64) string {
	for _, r := range p.Regions {
		if r.Start <= addr && addr < r.End() {
			return fmt.Sprintf("%s:%s:%d", p.Name, r.Name, addr-r.Start)
		}
	}
	return fmt.Sprintf("%s:%#x", p.Name, addr)
}

// LiveProcs returns the processes that have not exited, in creation order.
func (s *State) LiveProcs() []*Process {
	var out []*Process
	for i := range s.Procs {
		if !s.Procs[i].Exited {
			out = append(out, &s.Procs[i])
		}
	}
	return out
}

// Mappers returns where the page is mapped: each (VMA, page number) whose
// PTE maps it, in process and address order. This is mapped_in(p) of
// kernel-rmap-spec §11.
//
// In a snapshot it costs one pass over every PTE, the first time it is
// asked (of any page), and then the page's mappings only.
func (s *State) Mappers(id PageID) []Mapping {
	var out []Mapping
	for mp := range s.mappers(id) {
		out = append(out, mp)
	}
	return out
}

// Mapping is one PTE that maps a page: the VMA and the page number.
type Mapping struct {
	VMA  VMAID
	Addr uint64
}

// clone returns a deep copy of s, which shares no slice with it.
func (s *State) clone() State { return s.snapshot(nil) }

// snapshot returns a copy of s that shares no slice with s. Where prev, an
// earlier snapshot (or nil), holds a slice with the same contents as s's,
// at the same place (the same object id), the copy takes prev's slice
// instead of a new one: snapshots are never modified, so they may share,
// and a step that leaves a million pages alone does not copy them again.
//
// Every slice of the copy is therefore either new or a snapshot's, never
// the machine's own, whatever prev is.
func (s *State) snapshot(prev *State) State { return s.copyOf(prev, share[Page], share[PTE]) }

// copyOf is snapshot with the page array and each VMA's page table taken
// by pages and ptes, given prev's at the same place (or nil) and s's.
func (s *State) copyOf(prev *State, pages func(old, cur []Page) []Page, ptes func(old, cur []PTE) []PTE) State {
	if prev == nil {
		prev = &State{}
	}
	c := State{
		Model:    s.Model,
		Procs:    slices.Clone(s.Procs),
		VMAs:     slices.Clone(s.VMAs),
		AnonVMAs: slices.Clone(s.AnonVMAs),
		AVCs:     share(prev.AVCs, s.AVCs),
		Pages:    pages(prev.Pages, s.Pages),
		Swap:     share(prev.Swap, s.Swap),
	}
	for i := range c.Procs {
		p, old := &c.Procs[i], at(prev.Procs, i)
		p.VMAs = share(old.VMAs, p.VMAs)
		p.Regions = share(old.Regions, p.Regions)
	}
	for i := range c.VMAs {
		v, old := &c.VMAs[i], at(prev.VMAs, i)
		v.Chain = share(old.Chain, v.Chain)
		v.PTEs = ptes(old.PTEs, v.PTEs)
	}
	for i := range c.AnonVMAs {
		a, old := &c.AnonVMAs[i], at(prev.AnonVMAs, i)
		a.Head = share(old.Head, a.Head)
		a.VMAs = share(old.VMAs, a.VMAs)
	}
	c.rmap = snapshotIndex(&c, prev)
	return c
}

// at returns s[i], or the zero object past the end of s.
func at[E any](s []E, i int) E {
	if i < len(s) {
		return s[i]
	}
	var zero E
	return zero
}

// share returns old if it holds the same elements as cur (and is nil
// exactly when cur is), else a copy of cur. The comparison allocates
// nothing, and costs less than the copy it saves.
func share[E comparable](old, cur []E) []E {
	if (old == nil) == (cur == nil) && slices.Equal(old, cur) {
		return old
	}
	return slices.Clone(cur)
}

// PTEChainEntries counts the pte_chain entries 2.6.6 keeps for its pages:
// one per PTE of each page whose pointers are in a chain. A page mapped
// once keeps its PTE pointer directly in struct page (PG_direct) until a
// second mapping moves both into a chain; the chain goes back to direct
// only when page_referenced finds a single mapping left. It is 0 in models
// without pte_chains.
func (s *State) PTEChainEntries() int {
	if s.Model == nil || s.Model.Design != DesignPTEChain {
		return 0
	}
	n := 0
	for i := range s.Pages {
		if pg := &s.Pages[i]; !pg.Freed && pg.Chained {
			n += pg.Mapcount
		}
	}
	return n
}
