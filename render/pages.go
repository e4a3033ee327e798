package render

import (
	"fmt"
	"slices"
	"strings"

	"github.com/avdoc/avdoc/engine"
)

func (d *drawing) pageNodes() {
	for i := range d.sc.page.all() {
		d.pageNode(&d.st.Pages[i])
	}
	if d.sc.zero {
		d.add(&element{name: "zero", class: "page zero", shape: "note", key: order{kindPage, 0},
			attrs: []attr{str("shape", "note"), str("fontsize", "10"), str("style", "filled"),
				str("fillcolor", d.c(cZeroFill)), str("label", "zero page")},
			title: "the shared zero page", sig: "zero"})
	}
}

// pageNode draws a page with its index and how often it is mapped, or a
// run of alike pages as one stack.
func (d *drawing) pageNode(pg *engine.Page) {
	lines, title := d.pageLines(pg)
	sig := fmt.Sprint(lines)
	// The addresses go on their own lines after the first, and not into
	// sig: who maps a page is not the page's content.
	lines = slices.Insert(lines, 1, escapeLines(d.pageAddrLines(pg))...)
	owner := d.pageOwner(pg)
	if n := d.sc.stackSize(owner); n > 1 {
		lines = append(lines, fmt.Sprintf("x %d", n))
		title += fmt.Sprintf(", in each of %d alike processes", n)
	}
	as := []attr{str("shape", "note"), str("fontsize", "10"), str("style", "filled"), str("fillcolor", d.c(cPageFill))}
	class := "page"
	if _, run := d.sc.pageRunOf(pg.ID); run || d.sc.stackSize(owner) > 1 {
		class = "page stack"
		as = append(as, str("peripheries", "2"))
	}
	if d.walk.onPage(pg.ID) {
		class = "page walk"
		as = append(as, str("color", d.c(cWalk)), str("penwidth", "2"))
	}
	span := [2]int{int(pg.ID), int(pg.ID)}
	if r, ok := d.sc.pageRunOf(pg.ID); ok {
		span[1] = int(r.last)
	}
	d.add(&element{name: pageName(pg.ID), class: class, shape: "note", attrs: append(as, html("label", strings.Join(lines, "<BR/>"))),
		key: order{kindPage, int(pg.ID)}, title: title, sig: sig, span: span})
}

// pageLines are a page's label lines, but its addresses, and its title:
// "page 3 (P:heap:0), index 0x100, mapped once", or for a run "pages
// 5..16 (12) (P:heap:0..11), index 0x100..0x10b, mapped once each".
func (d *drawing) pageLines(pg *engine.Page) ([]string, string) {
	state := "mapped " + times(pg.Mapcount)
	if pg.Swap != 0 {
		state += ", swap cache"
	}
	if r, ok := d.sc.pageRunOf(pg.ID); ok {
		count := int(r.last-r.first) + 1
		last := d.st.Page(r.last)
		head := fmt.Sprintf("pages %d..%d (%d)", r.first, r.last, count)
		idx := fmt.Sprintf("index %#x..%#x", pg.Index, last.Index)
		return []string{head, idx, state + " each"}, named(head, d.runAddrs(r)) + ", " + idx + ", " + state + " each"
	}
	lines := []string{fmt.Sprintf("page %d", pg.ID), fmt.Sprintf("index %#x", pg.Index), "mapped " + times(pg.Mapcount)}
	if pg.Swap != 0 {
		lines = append(lines, "swap cache")
	}
	if c := d.chain(pg); c != "" {
		lines, state = append(lines, c), state+", "+c
	}
	return lines, fmt.Sprintf("%s, index %#x, %s", d.pageName(pg.ID), pg.Index, state)
}

// addrs returns the addresses of the drawn pages and swap slots, found
// when first needed.
func (d *drawing) addrs() *pageAddrs {
	if d.names == nil {
		named := append(pageSet(nil), d.sc.page...)
		for _, r := range d.sc.pageRuns {
			if valid(int(r.last), len(d.st.Pages)) {
				named.add(int(r.last) - 1) // a run is named by its first and last pages
			}
		}
		d.names = findAddrs(d.st, named, d.sc.slot)
	}
	return d.names
}

// pageName is a drawn page's name: "page 3 (C2:heap:2)".
func (d *drawing) pageName(id engine.PageID) string {
	return named(fmt.Sprintf("page %d", id), d.addrs().page(id))
}

// walkedPageName names the page a walk walked: as its label does if it
// is drawn, else by its id.
func (d *drawing) walkedPageName(id engine.PageID) string {
	if !valid(int(id), len(d.st.Pages)) || !d.sc.page.has(int(id)-1) {
		return fmt.Sprintf("page %d", id)
	}
	return d.pageName(id)
}

// pageAddrLines are the label lines of a drawn page's addresses, or of a
// run's.
func (d *drawing) pageAddrLines(pg *engine.Page) []string {
	if r, ok := d.sc.pageRunOf(pg.ID); ok {
		return addrLines(d.runAddrs(r))
	}
	return addrLines(d.addrs().page(pg.ID))
}

// runAddrs names the addresses of a run of alike pages by the first
// address of its first and last pages, "P:heap:0..11" when they are of
// one region, and "+N more each" when each page has more than one.
func (d *drawing) runAddrs(r pageRun) []string {
	a := d.addrs()
	first, last := a.pages[r.first], a.pages[r.last]
	if first == nil || last == nil {
		return nil
	}
	lo, hi := a.addrName(first.first[0]), a.addrName(last.first[0])
	span := lo + ".." + hi
	if i := strings.LastIndexByte(lo, ':'); i >= 0 && strings.HasPrefix(hi, lo[:i+1]) {
		span = lo + ".." + hi[i+1:]
	}
	if first.n > 1 {
		return []string{span, fmt.Sprintf("+%d more each", first.n-1)}
	}
	return []string{span}
}

func escapeLines(lines []string) []string {
	for i, l := range lines {
		lines[i] = escapeHTMLLabel(l)
	}
	return lines
}

// chain says where 2.6.6 keeps a mapped page's PTE pointers: in struct
// page itself (PG_direct) or in a pte_chain.
func (d *drawing) chain(pg *engine.Page) string {
	switch {
	case design(d.st) != engine.DesignPTEChain || pg.Mapcount == 0:
		return ""
	case pg.Chained:
		return fmt.Sprintf("pte_chain: %d PTEs", pg.Mapcount)
	}
	return "PG_direct"
}

// pageOwner is the process of the first drawn VMA mapping the page.
func (d *drawing) pageOwner(pg *engine.Page) engine.ProcID {
	if id := d.sc.mapperOf(int(pg.ID) - 1); id != 0 {
		return d.st.VMA(id).Proc
	}
	return 0
}

// times says how many times something happened: "once", "2 times".
func times(n int) string {
	if n == 1 {
		return "once"
	}
	return fmt.Sprintf("%d times", n)
}

// swapNodes draws the drawn swap slots: how many swap entries hold each,
// and whether its data is still in the swap cache.
func (d *drawing) swapNodes() {
	for i := range d.st.Swap {
		if d.sc.slot[i] {
			d.swapNode(&d.st.Swap[i])
		}
	}
}

func (d *drawing) swapNode(sl *engine.SwapSlot) {
	lines, title := d.swapLines(sl)
	d.add(&element{name: slotName(sl.ID), class: "swap", shape: "cylinder", key: order{kindSwap, int(sl.ID)},
		attrs: []attr{str("shape", "cylinder"), str("fontsize", "10"), str("style", "filled"),
			str("fillcolor", d.c(cSwapFill)), str("label", strings.Join(slices.Insert(lines, 1, addrLines(d.addrs().slot(sl.ID))...), "\n"))},
		title: title, sig: fmt.Sprint(lines)})
}

func entries(n int) string {
	if n == 1 {
		return "1 entry"
	}
	return fmt.Sprintf("%d entries", n)
}

// swapLines are a swap slot's label lines, but its addresses, and its
// title.
func (d *drawing) swapLines(sl *engine.SwapSlot) ([]string, string) {
	lines := []string{fmt.Sprintf("swap slot %d", sl.ID), fmt.Sprintf("%s in page tables", entries(sl.Count))}
	title := fmt.Sprintf("%s, %s in page tables", named(fmt.Sprintf("swap slot %d", sl.ID), d.addrs().slot(sl.ID)), entries(sl.Count))
	if sl.Page == 0 {
		lines = append(lines, "not in swap cache")
		title += ", evicted from the swap cache"
	}
	return lines, title
}
