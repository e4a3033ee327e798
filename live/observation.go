package live

import "github.com/avdoc/avdoc/engine"

// Observation is the reverse map the live kernel holds after a step, for
// the story's processes and regions, as plain data. Objects are named by
// ids given in order of first sight and kept for the whole run: the same
// kernel object has the same id in every observation of a session. Ids
// start at 1; 0 means none (NULL). Like the engine's State, each slice is
// indexed by id-1 and holds every object seen in the run: one not seen in
// this observation is marked Gone and keeps what was last seen of it.
// Page numbers count from [Base].
type Observation struct {
	Release  string    // the kernel's release (uname -r)
	Procs    []Proc    // every story process, in creation order; index+1 is its id
	VMAs     []VMA     // the live processes' VMAs in the story's range
	AVCs     []AVC     // the AVCs on those VMAs' chains
	AnonVMAs []AnonVMA // the anon_vmas those AVCs link (and their roots and parents)
	Pages    []Page    // the pages the VMAs map (not the zero page)
	// Swap is the swap entries the VMAs hold, by slot id; a slot that no
	// PTE holds now has Count 0.
	Swap []SwapSlot
	// StructPages says whether struct page was read: Mapping, Index and
	// AnonExclusive of the pages are known (see Session.PagesErr if not).
	StructPages bool
	// LargeFolios is set when a story page is part of a large folio: its
	// mapcount is then the folio's, and page-for-page comparison fails.
	LargeFolios bool
}

// Proc is a story process.
type Proc struct {
	Name    string
	Pid     int
	Parent  int // process id, 0 for a spawned one
	Exited  bool
	VMAs    []int           // VMA ids, address order
	Regions []engine.Region // the regions its mmap events made (and forks copied)
}

// VMA is a vm_area_struct.
type VMA struct {
	Gone      bool // not seen in this observation
	Freed     bool // the kernel freed it (kmem_cache_free); one Gone but not Freed may live on, unseen
	ID        int
	Proc      int    // process id
	Start     uint64 // page number
	End       uint64 // page number, exclusive
	Pgoff     uint64 // vm_pgoff, counted like Start (from Base)
	Flags     uint64 // vm_flags
	Writable  bool   // VM_WRITE
	Accounted bool   // VM_ACCOUNT
	AnonVMA   int    // vma->anon_vma
	Chain     []int  // AVC ids of vma->anon_vma_chain, head first
	ChainCut  bool   // the chain was longer than the reader reads
	PTEs      []PTE  // [Start, End), in order
}

// The vm_flags bits read (include/linux/mm.h).
const (
	VMWrite   = 0x2
	VMAccount = 0x100000
)

// AVC is a struct anon_vma_chain.
type AVC struct {
	Gone    bool // not seen in this observation
	Freed   bool // the kernel freed it (kmem_cache_free); one Gone but not Freed may live on, unseen
	ID      int
	VMA     int
	AnonVMA int
	// First and Last are the pgoff interval its VMA covers now, which is
	// where the interval tree files it.
	First, Last uint64
}

// AnonVMA is a struct anon_vma.
type AnonVMA struct {
	Gone   bool // not seen in this observation
	Freed  bool // the kernel freed it (kmem_cache_free); one Gone but not Freed may live on, unseen
	ID     int
	Root   int // anon_vma->root (itself for a root)
	Parent int // anon_vma->parent (itself for a root)
	// Name is the story's name for it: the process and region of the first
	// VMA seen using it ("C:heap"), "#2" and on added for a later one with
	// the same name; "" while no VMA has been seen using it.
	Name          string
	Refcount      int
	NumChildren   int
	NumActiveVMAs int
	// Tree is the AVC ids of the interval tree in order (by start pgoff,
	// ties in insertion order): the order rmap_walk_anon visits them.
	Tree []int
	// TreeComplete is false when a tree node is not one of the AVCs read
	// (a VMA outside the story's range links this anon_vma).
	TreeComplete bool
}

// PTE is one page table entry of a VMA.
type PTE struct {
	Kind engine.PTEKind // none, page, zero page, swap
	Page int            // for a page
	Swap int            // for a swap entry: its slot id
}

// SwapSlot is a swap entry: a slot on a swap device, as pagemap gives it
// (bits 0-4 the device's type, 5-54 the offset). Whether the page is
// still in the swap cache cannot be seen from pagemap.
type SwapSlot struct {
	ID     int
	Type   uint64 // the swap device's index (swap_info)
	Offset uint64 // the slot on it
	Count  int    // the story's PTEs that hold it
}

// Page is an anonymous page mapped in the story's range.
type Page struct {
	Gone     bool // not seen in this observation
	Freed    bool // the kernel freed it (mm_page_free); known only where struct page is read
	ID       int
	PFN      uint64
	Mapcount int // /proc/kpagecount
	// Mapping is the anon_vma page->mapping points at (0 if not anonymous,
	// or not read); Index is page->index, counted like VMA.Pgoff.
	Mapping       int
	Index         uint64
	AnonExclusive bool // PG_anon_exclusive
	KSM           bool
	Large         bool // part of a large folio
}

// WalkOrder returns the AVCs an rmap walk of the anon_vma visits for a page
// of pgoff pgoff, in order: the tree's AVCs whose interval holds it.
func (o *Observation) WalkOrder(av int, pgoff uint64) []int {
	var out []int
	for _, id := range o.AnonVMAs[av-1].Tree {
		if c := o.AVCs[id-1]; c.First <= pgoff && pgoff <= c.Last {
			out = append(out, id)
		}
	}
	return out
}
