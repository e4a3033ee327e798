package site

// term is one glossary entry. The glossary is the site's own text: trusted Markdown.
type term struct {
	ID    string   // the anchor on glossary.html
	Name  string   // Markdown, as the entry's heading
	Match []string // what narration links to it: all lower case matches any case, else exactly
	Def   string   // Markdown
}

// glossaryTerms returns the glossary, in reading order: objects first, then what the
// kernel does with them, then the models' variations.
func glossaryTerms() []term {
	return []term{
		{"vma", "VMA (`vm_area_struct`)", []string{"VMA", "VMAs", "vm_area_struct"},
			"One contiguous range of a process's address space with the same protection and backing, " +
				"described by a `struct vm_area_struct`. avdoc names a VMA after its process and region, `P:heap`; " +
				"a VMA that covers only part of its region also gets the page range, `P:heap[2..3]`. " +
				"`mmap`, `munmap` and `mprotect` create, split and merge VMAs."},
		{"pte", "PTE (page table entry)", []string{"PTE", "PTEs", "page table entry", "page table entries"},
			"One entry of a process's page table. It maps one virtual page to a physical page, read-only or writable, " +
				"or holds a swap entry, or is empty."},
		{"anon_vma", "`anon_vma`", []string{"anon_vma", "anon_vmas"},
			"The object anonymous pages are filed under for the reverse map. A page's `page->mapping` points at an anon_vma, " +
				"and the anon_vma leads to every VMA that may map the page: in 2.6.7 to 2.6.33 through a list of VMAs, " +
				"from 2.6.34 through anon_vma_chains. In a story, `av(P:heap)` is the anon_vma made for P's region `heap`."},
		{"avc", "AVC (`anon_vma_chain`)", []string{"AVC", "AVCs", "anon_vma_chain", "anon_vma_chains"},
			"From 2.6.34, a small object that links one VMA to one anon_vma. Each AVC is on two lists at once: " +
				"the VMA's same_vma list and the anon_vma's same_anon_vma list (an interval tree from 3.7). " +
				"A forked VMA gets an AVC for its own anon_vma and one for each anon_vma of its ancestors."},
		{"same_vma", "`same_vma` list (a VMA's chain)", []string{"same_vma", "same_vma list"},
			"`vma->anon_vma_chain`: a VMA's AVCs, one for each anon_vma the VMA is linked to. " +
				"Stories call the anon_vmas on it the VMA's chain, `chain(P:heap:0)`. " +
				"Its head is the VMA's own anon_vma and, when the chain is in order, its tail is the family's root."},
		{"same_anon_vma", "`same_anon_vma` list", []string{"same_anon_vma", "same_anon_vma list"},
			"An anon_vma's AVCs, one for each VMA that may map its pages: what an rmap walk goes through. " +
				"In 2.6.7 to 2.6.33 the anon_vma listed the VMAs themselves; 3.7 replaced the list with an interval tree."},
		{"page-mapping", "`page->mapping`", []string{"page->mapping"},
			"For an anonymous page, the pointer to its anon_vma (with a low bit set, to tell it from a file). " +
				"It is set when the page is first mapped and, from 2.6.9, left in place when the page is unmapped or swapped out, " +
				"so it can outlive the anon_vma it points at. That dangling pointer is what 2.6.34-rc3 tripped over."},
		{"page-index", "`page->index`", []string{"page->index"},
			"The page's offset, in the units of `vm_pgoff`. From it, a VMA's start and the VMA's `vm_pgoff`, " +
				"an rmap walk computes the address where that VMA would map the page."},
		{"mapcount", "mapcount", []string{"mapcount", "_mapcount"},
			"How many page table entries map a page (the kernel keeps it minus one in `page->_mapcount`). " +
				"An rmap walk may stop once it has found that many."},
		{"rmap", "reverse map, rmap walk", []string{"rmap walk", "rmap walks", "reverse map", "reverse mapping", "rmap"},
			"Finding, from a physical page, every page table entry that maps it: the opposite of a page table lookup. " +
				"Reclaim, aging, migration and KSM need it. An rmap walk of an anonymous page reads `page->mapping`, " +
				"locks that anon_vma and visits each VMA it leads to, at the address `page->index` gives."},
		{"cow", "COW (copy on write)", []string{"COW", "copy-on-write", "copy on write"},
			"After a fork, parent and child map the same anonymous pages read-only. The first write by either faults: " +
				"if someone else still maps the page the writer gets a copy, otherwise the page is reused in place " +
				"(from 2.6.34 moved to the writer's own anon_vma by `page_move_anon_rmap()`)."},
		{"zero-page", "zero page", []string{"zero page", "zero_page"},
			"One shared page of zeros. Reading a never-written anonymous page maps it read-only instead of allocating memory; " +
				"it has no anon_vma, and the first write replaces it with a fresh page."},
		{"swap-entry", "swap entry, swap slot", []string{"swap entry", "swap entries", "swap slot", "swap slots"},
			"Swapping a page out gives it a slot on the swap device and replaces each PTE that mapped it with a swap entry " +
				"naming the slot. The slot counts the swap entries that still hold it."},
		{"swap-cache", "swap cache", []string{"swap cache"},
			"Pages on their way to or from swap, found by swap slot. A swapped-out page stays there, `page->mapping` and all, " +
				"until it is evicted; a fault on a swap entry that finds it maps it again without reading the disk."},
		{"root", "root (`anon_vma->root`)", []string{"anon_vma->root", "root", "roots"},
			"The oldest anon_vma of a fork family: the one made in the process that first mapped the pages. " +
				"From 2.6.36 every anon_vma points at its root, takes the root's lock, and holds a reference that keeps it alive. " +
				"On a VMA's chain the root comes last."},
		{"interval-tree", "interval tree", []string{"interval tree", "interval trees"},
			"From 3.7 an anon_vma files its AVCs in a tree keyed by each VMA's range of page offsets, " +
				"so an rmap walk visits only the VMAs that can hold the page instead of every VMA of the family."},
		{"degree", "`degree`", []string{"degree"},
			"3.19's count on an anon_vma: the VMAs that use it plus its child anon_vmas. " +
				"A fork may reuse an anon_vma whose degree is below 2 instead of making a new one, " +
				"so a long line of forks no longer grows a long chain."},
		{"num_children", "`num_children`, `num_active_vmas`", []string{"num_children", "num_active_vmas"},
			"6.0 split `degree` in two: `num_children` counts child anon_vmas, `num_active_vmas` the VMAs whose " +
				"`vma->anon_vma` it is. A fork may reuse an anon_vma with no active VMA and fewer than two children."},
		{"pte_chain", "`pte_chain`", []string{"pte_chain", "pte_chains"},
			"The reverse map of anonymous pages up to 2.6.6: each page mapped more than once kept a chain of pointers " +
				"to the PTEs that map it (a page mapped once kept its one pointer in `struct page`). " +
				"Exact, but it cost memory for every mapping, and 2.6.7 replaced it with the anon_vma."},
		{"anon_vma_prepare", "`anon_vma_prepare()`", []string{"anon_vma_prepare"},
			"Runs at a VMA's first anonymous fault: gives the VMA an anon_vma, a neighbour's if the two could merge, " +
				"otherwise a new one."},
		{"anon_vma_fork", "`anon_vma_fork()`", []string{"anon_vma_fork"},
			"Runs for each VMA at fork, from 2.6.34: copies the parent VMA's chain to the child's (`anon_vma_clone()`), " +
				"then gives the child VMA an anon_vma of its own (or, from 3.19, reuses one) at the head of its chain."},
		{"anon_vma_clone", "`anon_vma_clone()`", []string{"anon_vma_clone"},
			"Copies one VMA's chain to another, one new AVC per anon_vma; used at fork and when a VMA is split. " +
				"2.6.34-rc3 copied the chain in reverse order."},
		{"vma_adjust", "`vma_adjust()`", []string{"vma_adjust"},
			"Moves VMA boundaries when VMAs are split or merged. When pages pass from one VMA (the exporter) to another " +
				"(the importer), the importer must be linked to their anon_vmas too."},
		{"page_referenced", "`page_referenced()`", []string{"page_referenced"},
			"Reclaim's \"has this page been used lately?\": an rmap walk that looks at every mapping of the page. " +
				"A story's `walk` event makes this walk."},
		{"try_to_unmap", "`try_to_unmap()`", []string{"try_to_unmap"},
			"Reclaim's rmap walk that replaces every PTE of a page with a swap entry, so that the page can be swapped out."},
		{"hibernation", "hibernation", []string{"hibernation", "hibernate"},
			"Suspend to disk. Before writing its image the kernel frees memory by swapping out nearly every anonymous page; " +
				"after resume, processes fault their pages back in, in whatever order they run."},
		{"ksm", "KSM", []string{"KSM"},
			"Kernel samepage merging: it merges identical anonymous pages of different processes into one. " +
				"With CONFIG_KSM, 2.6.33 to 2.6.35 copy a swapped-in page whose anon_vma is not the faulting VMA's own."},
		{"oops", "oops", []string{"oops", "oopses"},
			"The kernel's report of a fault it trapped in itself; here, an rmap walk reading freed memory. " +
				"avdoc records what such a walk found instead of crashing."},
		{"invariant", "invariant", []string{"invariant", "invariants"},
			"A rule the reverse map must keep after every operation, such as I1 (every AVC is on both its lists) " +
				"or R1 (every PTE of a mapped page is found from `page->mapping`). avdoc checks every one that applies " +
				"after every step, and a story must say so when one breaks."},
	}
}
