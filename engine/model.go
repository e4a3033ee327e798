package engine

import (
	"fmt"
	"slices"
	"strings"
)

// Design is the family of reverse-mapping data structures a model uses.
type Design int

// The designs of kernel-rmap-spec §3–§9.
const (
	DesignPTEChain     Design = iota + 1 // 2.6.6: per-page chains of PTE pointers
	DesignAnonVMAList                    // 2.6.7–2.6.33: one anon_vma per fork family, a list of VMAs
	DesignAnonVMAChain                   // 2.6.34+: anon_vma_chain
)

// String names the design: "pte_chain", "anon_vma with a list of VMAs"
// or "anon_vma_chain".
func (d Design) String() string {
	switch d {
	case DesignPTEChain:
		return "pte_chain"
	case DesignAnonVMAList:
		return "anon_vma with a list of VMAs"
	case DesignAnonVMAChain:
		return "anon_vma_chain"
	}
	return fmt.Sprintf("Design(%d)", int(d))
}

// Fix is one of the fixes made to anon_vma_chain during the 2.6.34 cycle
// (kernel-rmap-spec §6.1 and §11.4); a model holds a set of them.
type Fix uint

// The fixes of the 2.6.34 cycle, in the order they were merged.
const (
	FixReuseSingular   Fix = 1 << iota // d0e9fe1758f2: anon_vma_prepare reuses a neighbour's anon_vma only if its chain is singular
	FixAdjustExporter                  // 287d97ac0321: vma_adjust clones the importer's chain from the exporter
	FixCloneReverse                    // 646d87b481da: anon_vma_clone keeps the chain's order
	FixOldest                          // ea90002b0fa7: a page's first mapping picks the oldest anon_vma
	FixExclusiveNewest                 // e8a03feb54ca: but brand-new pages go to the newest
	FixForkUnwind                      // 4946d54cb55e: anon_vma_fork unlinks its clone on failure
)

// FixInfo describes a fix for `avdoc models` and the site.
type FixInfo struct {
	Fix    Fix
	Name   string // the name stories use in `fixes:`
	Commit string
	Title  string
}

// Fixes returns every fix of the 2.6.34 cycle, in merge order.
func Fixes() []FixInfo {
	return []FixInfo{
		{FixReuseSingular, "reuse-singular", "d0e9fe1758f2", "Simplify and comment on anon_vma re-use for anon_vma_prepare()"},
		{FixAdjustExporter, "adjust-exporter", "287d97ac0321", "vma_adjust: fix the copying of anon_vma chains"},
		{FixCloneReverse, "clone-order", "646d87b481da", "anon_vma: clone the anon_vma chain in the right order"},
		{FixOldest, "oldest-anon-vma", "ea90002b0fa7", "anonvma: when setting up page->mapping, we need to pick the _oldest_ anonvma"},
		{FixExclusiveNewest, "exclusive-newest", "e8a03feb54ca", "rmap: add exclusively owned pages to the newest anon_vma"},
		{FixForkUnwind, "fork-unwind", "4946d54cb55e", "rmap: fix anon_vma_fork() memory leak"},
	}
}

// Model is one kernel's reverse-mapping design: the data and the small
// policy choices that differ between kernels. The engine is one machine
// over all models; a model never carries code of its own beyond these
// choices.
type Model struct {
	Name    string // "2.6.34", or a story's own name for a custom model
	Base    string // the model this one was derived from, or ""
	Release string // the release the behaviour shipped in
	Summary string // one sentence: what this kernel does differently
	Commits []string
	Design  Design
	Fixes   Fix  // the 2.6.34-cycle fixes this model has
	KSM     bool // CONFIG_KSM

	// Root: anon_vma->root, the root's lock for the whole family, and a
	// child anon_vma pinning its root (5c341ee1dfc8, 012f18004da3,
	// 76545066c852; 2.6.36).
	Root bool
	// PrepareTail: anon_vma_prepare appends its AVC at the tail of the
	// anon_vma's list, like every other link (26ba0cb63cb8; 2.6.36).
	PrepareTail bool
	// KeepAnon: a page that already has an anon_vma keeps it when mapped
	// again; a fresh one goes to the VMA's own anon_vma if exclusive, else
	// to the root (288468c334e9, ad8c2ee801ad; 2.6.36).
	KeepAnon bool
	// MergeSingular: is_mergeable_anon_vma refuses a merge that would put a
	// VMA with no anon_vma together with one whose chain is not singular
	// (965f55dea0e3; 3.0).
	MergeSingular bool
	// IntervalTree: an anon_vma's AVCs are kept in an interval tree keyed
	// by page offset, so a walk visits only the VMAs that can hold the page
	// (bf181b9f9d8d; 3.7).
	IntervalTree bool
	// Reuse: how anon_vma_fork may reuse an existing anon_vma.
	Reuse ReuseRule

	// ListHead: 2.6.7 added VMAs at the head of an anon_vma's list; from
	// 2.6.18 (0697212a411c) they go at the tail.
	ListHead bool
	// ClearMapping: 2.6.7 and 2.6.8 cleared page->mapping at a page's last
	// unmap (clear_page_anon); from 2.6.9 it stays (88942e3f69).
	ClearMapping bool
	// NoImporter: 2.6.7's vma_adjust did not link a VMA that takes over
	// another's pages to their anon_vma; 2.6.8 did (d84672c45e).
	NoImporter bool
	// CopyEveryVMA: copy_page_range copies the PTEs of every VMA at fork,
	// zero-page PTEs included, also of a VMA without an anon_vma (mm/memory.c
	// copy_page_range, 2.6.6 and 2.6.7: no anon_vma test). Later kernels
	// ("Lazy page table copies in fork()", Nick Piggin, 2.6.14) skip such a
	// VMA: `if (!vma->anon_vma) return 0;` (mm/memory.c, 2.6.33).
	CopyEveryVMA bool
	// KeepSwapCache: a write fault that reuses a page in place leaves it in
	// the swap cache: do_wp_page and do_swap_page only ask
	// can_share_swap_page, which tests and deletes nothing (mm/memory.c,
	// mm/swapfile.c, 2.6.6 and 2.6.7). reuse_swap_page, which also does
	// delete_from_swap_cache, replaced it before 2.6.33 ("mm:
	// reuse_swap_page replaces can_share_swap_page", Hugh Dickins, posted
	// November 2008 for 2.6.29; mm/swapfile.c reuse_swap_page, 2.6.33).
	KeepSwapCache bool

	// AnonExclusive: PG_anon_exclusive marks a page that one PTE alone
	// maps; a write fault reuses it without page_move_anon_rmap, and
	// try_to_unmap_one keeps the mark in the swap PTE
	// (pte_swp_mkexclusive), which fork clears (copy_nonpresent_pte);
	// do_swap_page maps a page read back under such an entry as exclusive
	// (6c287605fd56, 1493a1913e34; 5.19).
	AnonExclusive bool
	// ChangeWritable: what mprotect may map writable at once
	// (MM_CP_TRY_CHANGE_WRITABLE, can_change_pte_writable).
	ChangeWritable WritableRule
	// SwapInWritable: do_swap_page maps an exclusive page writable even on
	// a read fault, so no write fault follows (c18160dba5ff "mm: swap:
	// reuse exclusive folio directly instead of wp page faults", 6.11).
	SwapInWritable bool
	// SkipSwapCache: do_swap_page reads a page from a synchronous device
	// (SWP_SYNCHRONOUS_IO, zram) whose entry has one user straight into a
	// fresh exclusive page, bypassing the swap cache (0bcac06f27d7; 4.15).
	SkipSwapCache bool
	// Pageout: MADV_PAGEOUT exists (1a4e58cce84e; 5.4).
	Pageout bool
	// MergeUncowed: is_mergeable_anon_vma asks the VMA that owns the
	// anon_vma whether it has uncowed parents (vma_had_uncowed_parents,
	// 879bca0a2c4f; 6.16), so a faulted VMA with a singular chain merges
	// into an unfaulted neighbour; and a VMA mremap copies from must not be
	// a fork child either (vmg->copied_from, "mm/vma: enforce VMA fork
	// limit on unfaulted,faulted mremap merge too", 6.18.y).
	MergeUncowed bool
	// MremapMulti: mremap may move, without resizing, a range that spans
	// several VMAs, one after the other ("mm/mremap: permit mremap() move
	// of multiple VMAs", 6.17); before, such a range fails with EFAULT.
	MremapMulti bool
	// MergeKeepsNext: vma_merge's case 8 (a whole VMA whose range merges
	// into the VMA after it) keeps next, which grows down over the range,
	// and frees the VMA the range was (e86f15ee64d8 "mm: vma_merge: fix
	// vm_page_prot SMP race condition against rmap_walk", 4.9: remove_next
	// = 3 in __vma_adjust; mm/vma.c vma_merge_existing_range, 6.18:
	// vmg->target = next). Before, the range's VMA absorbed next.
	MergeKeepsNext bool
	// MremapExtendMerge: mremap growing a VMA in place goes through
	// vma_merge, so the grown VMA also absorbs a compatible VMA that now
	// starts right at its end ("mm: add merging after mremap resize", 6.1;
	// vma_merge_extend in mm/vma.c, 6.18). 6.0 only moves vm_end
	// (mm/mremap.c mremap: vma_adjust, 6.0.1).
	MremapExtendMerge bool
	// MunmapKeepsNew: munmap's splits leave the new VMA mapped and unmap
	// the old one (vms_gather_munmap_vmas; 6.1's maple tree on).
	MunmapKeepsNew bool
	// UnaccountRO: mprotect read-only of an anonymous VMA without an
	// anon_vma drops VM_ACCOUNT ("mm/mprotect: allow unfaulted VMAs to be
	// unaccounted on mprotect()", 6.7).
	UnaccountRO bool
	// MprotectPrevOnly: 2.6.6's mprotect has no vma_merge. mprotect_fixup
	// merges a range that starts at its VMA's start into prev
	// (mprotect_attempt_merge), never into next; only when the range ends
	// at a VMA's end does sys_mprotect then merge the VMA after it into
	// the last one changed (mm/mprotect.c, v2.6.6). vma_merge replaced
	// both in 2.6.7.
	MprotectPrevOnly bool
	// PgoffBlindMerge: 2.6.6's vma_merge never compares vm_pgoff for
	// anonymous memory (mm/mmap.c can_vma_merge_after/_before, v2.6.6: `if
	// (!file) return 1;` before the pgoff test), so a region mremap moves,
	// which keeps its old vm_pgoff (move_vma), merges with its new
	// neighbours. 2.6.7 set an anonymous VMA's pgoff from its address
	// ("Set pgoff according to addr for anon_vma") and compared it.
	PgoffBlindMerge bool
	// Folio: the kernel log uses the folio-era names of the rmap
	// functions (folio_add_new_anon_rmap, folio_move_anon_rmap, ...).
	// Every folio is small: mTHP is off by default (every
	// /sys/kernel/mm/transparent_hugepage/hugepages-*kB/enabled "never").
	Folio bool

	// Swap is the swap device of the machine: a story's setting, not a
	// kernel's (see [SwapDevice]).
	Swap SwapDevice
}

// WritableRule is which PTEs mprotect may make writable without a write
// fault.
type WritableRule int

// The rules of change_pte_range.
const (
	WritableNever     WritableRule = iota // every PTE of a private mapping stays read-only until a write fault
	WritableDirtyExcl                     // 6.0: dirty PTEs of exclusive anonymous pages (64fe24a3e05e)
	WritableExcl                          // 6.2+: every PTE of an exclusive anonymous page (6a56ccbcf6c6)
)

// SwapDevice is the kind of swap device a story swaps to.
type SwapDevice int

// The swap devices.
const (
	SwapFile SwapDevice = iota // a swap file or partition: every swap-in goes through the swap cache
	SwapZram                   // zram: SWP_SYNCHRONOUS_IO, swap-in may skip the swap cache
)

// String names the device as stories do: "file" or "zram".
func (d SwapDevice) String() string {
	if d == SwapZram {
		return "zram"
	}
	return "file"
}

// SwapDevices returns the names of the swap devices, default first.
func SwapDevices() []string { return []string{SwapFile.String(), SwapZram.String()} }

// ReuseRule is how a model's anon_vma_fork may reuse an anon_vma instead
// of allocating one.
type ReuseRule int

// The reuse rules of kernel-rmap-spec §9.
const (
	ReuseNone     ReuseRule = iota // every fork allocates
	ReuseDegree                    // 3.19: an anon_vma with degree < 2 (7a3ef208e662, b800c91a0517)
	ReuseCounters                  // 6.0: num_children < 2 and num_active_vmas == 0 (2555283eb40d)
)

// Has reports whether the model has fix f.
func (m *Model) Has(f Fix) bool { return m.Fixes&f == f }

// allFixes is the fix set of 2.6.34 final.
const allFixes = FixReuseSingular | FixAdjustExporter | FixCloneReverse | FixOldest | FixExclusiveNewest | FixForkUnwind

// builtin returns the models avdoc knows by name. Simulated reports
// whether the engine runs it yet.
func builtin() []modelEntry {
	return []modelEntry{
		{Model{Name: "2.6.6", Release: "2.6.6", Design: DesignPTEChain, CopyEveryVMA: true, KeepSwapCache: true, MprotectPrevOnly: true, PgoffBlindMerge: true,
			Summary: "pte_chain reverse mapping: every mapped page keeps a chain of pointers to the PTEs that map it"}, true},
		{Model{Name: "2.6.7", Release: "2.6.7", Design: DesignAnonVMAList, ListHead: true, ClearMapping: true, NoImporter: true,
			CopyEveryVMA: true, KeepSwapCache: true,
			Commits: []string{"b2e0caa9a0", "33252891ef"},
			Summary: "the original anon_vma: one per fork family, a list of VMAs, new VMAs at the head"}, true},
		{Model{Name: "2.6.33", Release: "2.6.33", Design: DesignAnonVMAList, Commits: []string{"d84672c45e", "88942e3f69", "0697212a411c", "db114b83ab60"},
			Summary: "the original anon_vma, new VMAs appended at the tail"}, true},
		{Model{Name: "2.6.34-rc3", Release: "2.6.34-rc3", Design: DesignAnonVMAChain, Commits: []string{"5beb49305251"},
			Summary: "anon_vma_chain as first merged, with the bugs that oopsed after hibernation"}, true},
		{Model{Name: "2.6.34", Release: "2.6.34", Design: DesignAnonVMAChain, Fixes: allFixes,
			Commits: []string{"5beb49305251", "d0e9fe1758f2", "287d97ac0321", "646d87b481da", "ea90002b0fa7", "e8a03feb54ca", "4946d54cb55e"},
			Summary: "anon_vma_chain fixed: one anon_vma per process and VMA, linked to its ancestors' through AVCs"}, true},
		{Model{Name: "2.6.36", Release: "2.6.36", Design: DesignAnonVMAChain, Fixes: allFixes, Root: true, PrepareTail: true, KeepAnon: true,
			Commits: []string{"5c341ee1dfc8", "012f18004da3", "76545066c852", "26ba0cb63cb8", "288468c334e9", "ad8c2ee801ad", "ba6f0ff3981e"},
			Summary: "anon_vma->root: every anon_vma knows the oldest one of its family, whose lock they share"}, true},
		{Model{Name: "3.7", Release: "3.7", Design: DesignAnonVMAChain, Fixes: allFixes, Root: true, PrepareTail: true, KeepAnon: true,
			MergeSingular: true, IntervalTree: true, Commits: []string{"965f55dea0e3", "bf181b9f9d8d"},
			Summary: "the same_anon_vma list becomes an interval tree keyed by page offset"}, true},
		{Model{Name: "3.19", Release: "3.19", Design: DesignAnonVMAChain, Fixes: allFixes, Root: true, PrepareTail: true, KeepAnon: true,
			MergeSingular: true, IntervalTree: true, Reuse: ReuseDegree, Commits: []string{"7a3ef208e662", "b800c91a0517"},
			Summary: "fork reuses an anon_vma with degree < 2, bounding the fork chain"}, true},
		{Model{Name: "6.0", Release: "6.0", Design: DesignAnonVMAChain, Fixes: allFixes, Root: true, PrepareTail: true, KeepAnon: true,
			MergeSingular: true, IntervalTree: true, Reuse: ReuseCounters, AnonExclusive: true, ChangeWritable: WritableDirtyExcl,
			SkipSwapCache: true, Pageout: true, MergeKeepsNext: true,
			Commits: []string{"2555283eb40d", "6c287605fd56", "1493a1913e34", "64fe24a3e05e", "0bcac06f27d7", "1a4e58cce84e"},
			Summary: "degree split into num_children and num_active_vmas; pages and swap entries remember that one process owns them"}, true},
		{Model{Name: "6.18", Release: "6.18", Design: DesignAnonVMAChain, Fixes: allFixes, Root: true, PrepareTail: true, KeepAnon: true,
			MergeSingular: true, IntervalTree: true, Reuse: ReuseCounters, AnonExclusive: true, ChangeWritable: WritableExcl,
			SkipSwapCache: true, Pageout: true, MergeUncowed: true, UnaccountRO: true, Folio: true, MremapMulti: true, SwapInWritable: true, MunmapKeepsNew: true,
			MergeKeepsNext: true, MremapExtendMerge: true,
			Commits: []string{"6a56ccbcf6c6", "c18160dba5ff", "879bca0a2c4f"},
			Summary: "the kernel of 2025: a faulted VMA merges into an unfaulted neighbour, mprotect read-only unaccounts an unfaulted VMA, mremap moves several VMAs at once, folio names; small folios only (mTHP off by default)"}, true},
	}
}

type modelEntry struct {
	model     Model
	simulated bool
}

// ModelNames returns the names of every model of story-format v1, oldest
// first, whether or not the engine simulates it yet.
func ModelNames() []string {
	var out []string
	for _, e := range builtin() {
		out = append(out, e.model.Name)
	}
	return out
}

// Models returns the models the engine simulates, oldest first.
func Models() []Model {
	var out []Model
	for _, e := range builtin() {
		if e.simulated {
			out = append(out, e.model)
		}
	}
	return out
}

// Lookup returns the model with that name. It fails for names it does not
// know and for models the engine does not simulate yet.
func Lookup(name string) (Model, error) {
	for _, e := range builtin() {
		if e.model.Name != name {
			continue
		}
		if !e.simulated {
			return Model{}, fmt.Errorf("kernel model %s is not simulated yet (simulated: %s)", name, strings.Join(simulatedNames(), ", "))
		}
		return e.model, nil
	}
	return Model{}, fmt.Errorf("unknown kernel model %q (known: %s)", name, strings.Join(ModelNames(), ", "))
}

func simulatedNames() []string {
	var out []string
	for _, m := range Models() {
		out = append(out, m.Name)
	}
	return out
}

// Derive returns a custom model: base with CONFIG_KSM set to ksm and, if
// fixes is not nil, its fix set replaced by those fixes (named as in
// [Fixes]); a nil fixes keeps base's.
func Derive(name string, base Model, fixes []string, ksm bool) (Model, error) {
	m := base
	m.Name, m.Base, m.KSM = name, base.Name, ksm
	m.Commits = slices.Clone(base.Commits)
	if fixes == nil {
		return m, nil
	}
	m.Fixes = 0
	for _, f := range fixes {
		i := slices.IndexFunc(Fixes(), func(fi FixInfo) bool { return fi.Name == f })
		if i < 0 {
			return Model{}, fmt.Errorf("unknown fix %q", f)
		}
		m.Fixes |= Fixes()[i].Fix
	}
	return m, nil
}
