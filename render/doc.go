// Package render draws an engine [engine.State] as a Graphviz DOT graph
// and describes it in plain English.
//
// [DOT] is pure: it does no I/O, keeps no package-level state and returns
// the same bytes for the same state and options. Turning DOT into SVG is
// the job of the leaf package render/gv, the only one in avdoc that links
// Graphviz.
//
// The visual language follows the classic anon_vma_chain diagrams: each
// live process is a cluster of VMA boxes, AVCs sit in a column between the
// VMAs and the anon_vmas, pages in a column after them; the same_vma list
// is red, the same_anon_vma list blue, vma->anon_vma a thin dashed arrow,
// page->mapping a gray one, and a freed object a dashed red box.
//
// Every element carries an id derived from the object it draws, never
// from Graphviz's counters, so that the same object has the same id in
// every step, and a class naming its kind, for CSS and scripts. With
// [Options.ID] set, each id starts with that prefix.
//
//	element                   id                 class
//	whole graph               graph              avdoc
//	process cluster           p1                 process
//	process without VMAs      p1_empty           empty
//	VMA                       vma3               vma (walk)
//	AVC                       avc4               avc (freed, walk)
//	anon_vma                  av2                anon_vma (freed, oops)
//	page, zero page           page7, zero        page (zero, walk)
//	same_vma list edge        sv-vma3-avc4       same_vma (elided)
//	same_anon_vma list edge   sav-av2-avc4       same_anon_vma (elided)
//	vma->anon_vma             vma3-av2           anon_vma_ptr
//	page->mapping             page7-av2          mapping (dangling)
//	PTE                       vma3-page7         pte
//	PTE to the zero page      vma3-zero          pte zero
//	swap PTE, swap-cache page vma3-swap-page7    pte swap
//	walk: page to anon_vma    walk-page7-av2     walk (oops)
//	walk: visit n             walk1-avc4-vma3    walk visit
//	oops marker, its edge     oops, oops-av2     oops
//	legend                    legend             legend
//
// An "elided" list edge skips AVCs that are not drawn (see [Options.Only]);
// a "dangling" page->mapping points at a freed anon_vma. Invisible layout
// edges (class rank) do not appear in the SVG.
package render
