package render

import (
	"fmt"
	"strings"

	"github.com/avdoc/avdoc/engine"
)

// anonVMAs writes each drawn anon_vma with its pointers, counters and
// list.
func (t *textFigure) anonVMAs() {
	t.w.blank()
	for i := range t.d.st.AnonVMAs {
		if t.d.sc.av[i] {
			t.anonVMA(&t.d.st.AnonVMAs[i])
		}
	}
}

// anonVMA writes "anon_vma av(C:heap)  root av(P:heap)  degree 2", then
// its list: the same_anon_vma list or interval tree of AVCs (2.6.34+),
// or the list of VMAs (2.6.7-2.6.33).
func (t *textFigure) anonVMA(a *engine.AnonVMA) {
	d, name := t.d, avName(a.ID)
	head := []string{"anon_vma " + avRef(d.st, a.ID)}
	if d.hasRoot() {
		head = append(head, "root "+avRef(d.st, a.Root))
	}
	if d.st.Model != nil && d.st.Model.Reuse != engine.ReuseNone {
		parent := a.Parent
		if parent == 0 { // the kernel makes a new anon_vma its own parent
			parent = a.ID
		}
		head = append(head, "parent "+avRef(d.st, parent))
	}
	head = append(head, d.counters(a)...)
	if n := d.sc.stackSize(d.avOwner(a.ID)); n > 1 {
		head = append(head, fmt.Sprintf("one in each of %d alike processes", n))
	}
	if d.walk.oopsOn(a.ID) {
		head = append(head, "OOPS: the rmap walk reached it")
	}
	t.line(t.mark(name, "root "+name), 0, 4, strings.Join(head, ", "))
	switch {
	case design(d.st) == engine.DesignAnonVMAList:
		t.vmaList(a)
	case d.intervalTree():
		t.avcList(a, "interval tree: ", treeOrder(d.st, a.Head))
	default:
		t.avcList(a, "same_anon_vma: ", a.Head)
	}
}

// avcList writes an anon_vma's drawn AVCs, one a line, each with the VMA
// it links; in the interval tree with the page offsets it is filed
// under.
func (t *textFigure) avcList(a *engine.AnonVMA, head string, avcs []engine.AVCID) {
	var items, names []string
	for _, id := range avcs {
		if !t.d.drawnAVC(id) {
			continue
		}
		c := t.d.st.AVC(id)
		s := avcRef(t.d.st, id)
		if t.d.intervalTree() {
			s += " pgoff " + offRange(c.First, c.Last)
		}
		items, names = append(items, s+" -> VMA "+vmaRef(t.d.st, c.VMA)), append(names, avcName(id))
	}
	if skipped := len(avcs) - len(items); skipped > 0 {
		items, names = append(items, fmt.Sprintf("and %d more, hidden or stacked", skipped)), append(names, "")
	}
	t.list(head, "same_anon_vma to ", avName(a.ID), items, names)
}

// vmaList writes 2.6.7-2.6.33's list of the anon_vma's VMAs, in order.
func (t *textFigure) vmaList(a *engine.AnonVMA) {
	var items, names []string
	for _, id := range a.VMAs {
		if t.d.drawnVMA(id) {
			items, names = append(items, vmaRef(t.d.st, id)), append(names, vmaName(id))
		}
	}
	if skipped := len(a.VMAs) - len(items); skipped > 0 {
		items, names = append(items, fmt.Sprintf("and %d more, hidden or stacked", skipped)), append(names, "")
	}
	t.list("VMAs: ", "anon_vma_list to ", avName(a.ID), items, names)
}

// list writes a list of an anon_vma, one item a line under head; an
// item's mark is its node's, or "~" if its list edge changed. A name ""
// is a note, never marked.
func (t *textFigure) list(head, edge, owner string, items, names []string) {
	if len(items) == 0 {
		t.line(t.mark("", edge[:strings.Index(edge, " ")+1]+owner), 2, 2, head+"empty")
		return
	}
	for i, s := range items {
		indent := 2 + len(head)
		if i == 0 {
			indent, s = 2, head+s
		}
		t.line(t.mark(names[i], edge+names[i]), indent, 4, s)
	}
}

// pages writes each drawn page, or run of alike pages, with
// page->mapping, then the zero page and the swap slots if drawn.
func (t *textFigure) pages() {
	d := t.d
	t.w.blank()
	for i := range d.sc.page.all() {
		pg := &d.st.Pages[i]
		_, title := d.pageLines(pg)
		title = quoteText(title) // it holds story names
		if pg.Swap != 0 {
			title += fmt.Sprintf(" (slot %d)", pg.Swap)
		}
		if n := d.sc.stackSize(d.pageOwner(pg)); n > 1 {
			title += fmt.Sprintf(", in each of %d alike processes", n)
		}
		if design(d.st) != engine.DesignPTEChain {
			title += ", mapping " + avRef(d.st, pg.Mapping)
		}
		if valid(int(pg.Mapping), len(d.st.AnonVMAs)) && d.st.AnonVMA(pg.Mapping).Freed {
			title += ": dangling"
		}
		t.line(t.mark(pageName(pg.ID), "mapping "+pageName(pg.ID)), 0, 4, title)
	}
	if d.sc.zero {
		t.line(t.mark("zero"), 0, 4, "zero page, shared, read-only")
	}
	for i := range d.st.Swap {
		if d.sc.slot[i] {
			_, title := d.swapLines(&d.st.Swap[i])
			t.line(t.mark(slotName(d.st.Swap[i].ID)), 0, 4, quoteText(title))
		}
	}
}

// walk writes what the step's rmap walk did, one visit a line.
func (t *textFigure) walk() {
	w := t.d.opt.Walk
	if w == nil {
		return
	}
	t.w.blank()
	t.line(' ', 0, 4, "rmap walk: "+quoteText(t.d.walk.summary(t.d.walkedPageName)))
	for i, v := range w.Visits {
		from := avRef(t.d.st, w.AnonVMA)
		switch {
		case v.AVC != 0:
			from = avcRef(t.d.st, v.AVC)
		case design(t.d.st) == engine.DesignPTEChain:
			from = "pte_chain"
		}
		t.line(' ', 2, 4, fmt.Sprintf("visit %d: %s -> VMA %s: %s", i+1, from, vmaRef(t.d.st, v.VMA), visitOutcome(v)))
	}
	if w.Oops != nil && w.Oops.Msg != "" {
		t.line(' ', 2, 4, "oops: "+quoteText(w.Oops.Msg))
	}
}
