// Package render draws an engine [engine.State] as a Graphviz DOT graph
// and describes it in plain English. The state may be simulated by a
// model or observed on a real kernel: render reads only the state. The
// illustrate package calls it for every step of a story, and its output
// becomes the site's diagrams.
//
// Everything here is pure: no I/O, no package-level state, the same bytes
// for the same input. Turning DOT into SVG or a layout is the job of the
// leaf package render/gv, the only one in avdoc that links Graphviz; the
// caller passes Graphviz's output back (see [Layout]), and package figure
// composes every frame from the pieces Graphviz drew and those it draws
// itself from the layout: the edges, the clusters, the boxes and notes
// of fixed size with lines of text, plain or HTML-like, and the tables of
// one column (see [Layout.PiecesScenes], [DrawnEdge], [DrawnCluster],
// [DrawnNode], [DrawnTable]).
//
// [Draw] makes a [Picture] of one state: [DOT] writes it for dot alone.
// A story's pictures share a [Layout] instead, so that every object keeps
// its place and size in every step and every kernel's column, and every
// picture has one size. With [Options.Prev] a picture marks what changed
// since the step before. [Strip] lays a story's steps side by side.
//
// The visual language follows the classic anon_vma_chain diagrams: each
// live process is a cluster of VMA boxes, AVCs sit in a column between the
// VMAs and the anon_vmas, pages in a column after them and swap slots
// last; the same_vma list is red, the same_anon_vma list (from 3.7 the
// interval tree, in page-offset order) blue, vma->anon_vma a thin dashed
// arrow, anon_vma->root a dotted purple one, page->mapping a gray one,
// and a freed object a dashed red box. A run of alike processes, or of
// alike pages, is one stack: a double outline and a count.
//
// Every element carries an id derived from the object it draws, never
// from Graphviz's counters, so that the same object has the same id in
// every step, and classes naming its kind and state, for CSS and scripts.
// With [Options.ID] set, each id starts with that prefix.
//
//	element                   id                 class
//	whole graph               graph              avdoc
//	process cluster           p1                 process (stack)
//	process without VMAs      p1_empty           empty
//	VMA                       vma3               vma (walk, stack)
//	AVC                       avc4               avc (freed, walk, stack)
//	anon_vma                  av2                anon_vma (freed, oops, stack)
//	page, zero page           page7, zero        page (zero, walk, stack)
//	swap slot                 swap3              swap
//	same_vma list edge        sv-vma3-avc4       same_vma (elided)
//	same_anon_vma list edge   sav-av2-avc4       same_anon_vma (itree, elided)
//	2.6.7's list of VMAs      avl-av2-vma3       anon_vma_list (elided)
//	vma->anon_vma             vma3-av2           anon_vma_ptr
//	anon_vma->root            av2-root-av1       root
//	page->mapping             page7-av2          mapping (dangling freed)
//	PTE                       vma3-page7         pte
//	PTE to the zero page      vma3-zero          pte zero
//	swap PTE, swap-cache page vma3-swap-page7    pte swap
//	swap PTE, swap slot       vma3-swap3         pte swap
//	page in the swap cache    page7-swap3        swapcache
//	walk: page to anon_vma    walk-page7-av2     walk (oops)
//	walk: visit n             walk1-avc4-vma3    walk visit
//	oops marker, its edge     oops, oops-av2     oops
//	legend                    legend             legend
//
// An "elided" list edge skips AVCs (or VMAs) that are not drawn (see
// [Options.Only] and [Options.Collapse]); a "dangling" page->mapping
// points at a freed anon_vma. The change marks are classes too: "added"
// (new in this step), "changed" (an object whose content changed, a
// pointer that moved) and "removed" (gone in this step, drawn once more,
// ghosted). Invisible layout edges (class rank) and a placed picture's
// corner points do not appear in the SVG.
package render
