package render

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/avdoc/avdoc/engine"
)

// A page is named by the story addresses at which the expectation
// `page(ADDR)` finds it: the PTEs that map it and the swap entries whose
// slot still holds it in the swap cache, in process and address order.
// So "page 3 (C2:heap:2)" is the page C2 maps at index 2 of its region
// heap, and the reader can match a page of a diagram, its description,
// the text figure and the kernel log with the story's addresses. A swap
// slot is named by the swap entries that hold it. A name lists at most
// two addresses: "page 1 (P:heap:0, C:heap:0)", or the first and a count,
// "page 1 (P:heap:0 +1000 more)". A page no address leads to (in the
// swap cache alone, or freed) has no addresses: "page 3".

// maxAddrsListed is how many addresses a name lists.
const maxAddrsListed = 2

// place is one address: a process and a page number.
type place struct {
	proc engine.ProcID
	addr uint64
}

// addrsOf is the addresses of one page or slot: the first few, and how
// many in all.
type addrsOf struct {
	first []place
	n     int
}

// pageAddrs holds the addresses of some pages and swap slots of a state.
type pageAddrs struct {
	st    *engine.State
	pages map[engine.PageID]*addrsOf
	slots map[engine.SwapID]*addrsOf
}

// findAddrs finds the addresses of the pages in pages (by index, id-1)
// and of the slots slots holds (by index; nil for none), in one pass over
// every live process's PTEs; it keeps only theirs, so that a state of a
// million pages costs one read of its page tables and the memory of the
// few pages asked about.
func findAddrs(st *engine.State, pages pageSet, slots []bool) *pageAddrs {
	a := &pageAddrs{st: st, pages: map[engine.PageID]*addrsOf{}, slots: map[engine.SwapID]*addrsOf{}}
	for i := range st.Procs {
		p := &st.Procs[i]
		if p.Exited {
			continue
		}
		for _, vid := range p.VMAs {
			if valid(int(vid), len(st.VMAs)) {
				a.scan(p.ID, st.VMA(vid), pages, slots)
			}
		}
	}
	return a
}

// scan notes the addresses of v, a VMA of proc, that lead to pages or
// hold a swap entry of slots. It reads each PTE once and looks up only a
// swap entry's slot: the pages it leads to are [ptePage]'s.
func (a *pageAddrs) scan(proc engine.ProcID, v *engine.VMA, pages pageSet, slots []bool) {
	swaps := a.st.Swap
	for j := range v.PTEs {
		pte := &v.PTEs[j]
		switch pte.Kind {
		case engine.PTEPage:
			if pages.has(int(pte.Page) - 1) {
				note(a.pages, pte.Page, place{proc, v.Start + uint64(j)})
			}
		case engine.PTESwap:
			if !valid(int(pte.Swap), len(swaps)) {
				continue
			}
			if id := swaps[pte.Swap-1].Page; pages.has(int(id) - 1) {
				note(a.pages, id, place{proc, v.Start + uint64(j)})
			}
			if pte.Swap <= engine.SwapID(len(slots)) && slots[pte.Swap-1] {
				note(a.slots, pte.Swap, place{proc, v.Start + uint64(j)})
			}
		}
	}
}

func note[K comparable](m map[K]*addrsOf, k K, at place) {
	x := m[k]
	if x == nil {
		x = &addrsOf{}
		m[k] = x
	}
	if x.n < maxAddrsListed {
		x.first = append(x.first, at)
	}
	x.n++
}

// parts returns the words of a list of addresses: the addresses, or the
// first one and "+N more" when there are more than maxAddrsListed.
func (a *pageAddrs) parts(x *addrsOf) []string {
	if x == nil || x.n == 0 {
		return nil
	}
	if x.n > maxAddrsListed {
		return []string{a.addrName(x.first[0]), fmt.Sprintf("+%d more", x.n-1)}
	}
	out := make([]string, len(x.first))
	for i, at := range x.first {
		out[i] = a.addrName(at)
	}
	return out
}

// text joins parts: "P:heap:0, C:heap:0", "P:heap:0 +999 more".
func joinAddrs(parts []string) string {
	if len(parts) == 2 && strings.HasPrefix(parts[1], "+") {
		return parts[0] + " " + parts[1]
	}
	return strings.Join(parts, ", ")
}

// addrName names an address as a story writes it, PROC:REGION:INDEX, or
// PROC:0xADDR outside every region.
func (a *pageAddrs) addrName(at place) string {
	p := a.st.Proc(at.proc)
	for _, r := range p.Regions {
		if r.Start <= at.addr && at.addr < r.End() {
			return p.Name + ":" + r.Name + ":" + strconv.FormatUint(at.addr-r.Start, 10)
		}
	}
	return fmt.Sprintf("%s:%#x", p.Name, at.addr)
}

// page returns page id's addresses as words, or nil.
func (a *pageAddrs) page(id engine.PageID) []string { return a.parts(a.pages[id]) }

// slot returns slot id's addresses as words, or nil.
func (a *pageAddrs) slot(id engine.SwapID) []string { return a.parts(a.slots[id]) }

// named adds addresses to a name: "page 3 (C2:heap:2)"; the name alone
// when there are none.
func named(name string, parts []string) string {
	if len(parts) == 0 {
		return name
	}
	return name + " (" + joinAddrs(parts) + ")"
}

// labelWidth is the widest line of addresses a label takes before it puts
// each on a line of its own: about as wide as the widest of a page's
// other lines ("index 0x100..0x10b").
const labelWidth = 18

// addrLines are the label lines of a list of addresses: one line when it
// is short, else one line per word, so that a page column grows down
// rather than wide.
func addrLines(parts []string) []string {
	if len(parts) == 0 {
		return nil
	}
	if s := joinAddrs(parts); utf8.RuneCountInString(s) <= labelWidth {
		return []string{s}
	}
	return parts
}

// pageMention is a page a kernel log line names by its id: "page 3",
// "new page 3", "page 3->mapping", or 6.18's "folio 3".
var pageMention = regexp.MustCompile(`\b(?:page|folio) ([0-9]{1,9})\b`)

// mentionsPage reports whether line may hold a [pageMention]: most log
// lines hold none, and a look for the words it needs is cheaper than the
// regexp.
func mentionsPage(line string) bool {
	return strings.Contains(line, "page ") || strings.Contains(line, "folio ")
}

// NamePages returns lines, kernel log lines (or violations, oopses)
// that name pages by id, with the first mention of each page in a line
// named as the diagrams name it: "page 3 (C2:heap:2)", by its addresses
// in now, the state after the step. A page no address reaches now, freed
// or unmapped by the step, is named by its addresses in before, the state
// before the step (nil for none): "page 3 (was C2:heap:2)". Lines that
// name no page come back as they are.
func NamePages(lines []string, now, before *engine.State) []string {
	ids := map[engine.PageID]bool{}
	for _, l := range lines {
		if !mentionsPage(l) {
			continue
		}
		for _, m := range pageMention.FindAllStringSubmatch(l, -1) {
			if id, err := strconv.Atoi(m[1]); err == nil {
				ids[engine.PageID(id)] = true
			}
		}
	}
	if len(ids) == 0 {
		return lines
	}
	nowAddrs := findAddrs(now, pagesOf(ids, len(now.Pages), nil), nil)
	var was *pageAddrs
	if before != nil && len(nowAddrs.pages) < len(ids) {
		was = findAddrs(before, pagesOf(ids, len(before.Pages), nowAddrs.pages), nil)
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = nameMentions(l, nowAddrs, was)
	}
	return out
}

// pagesOf is the set of the pages of ids that a state of n pages has,
// but those found holds.
func pagesOf(ids map[engine.PageID]bool, n int, found map[engine.PageID]*addrsOf) pageSet {
	s := newPageSet(n)
	for id := range ids {
		if valid(int(id), n) && found[id] == nil {
			s.add(int(id) - 1)
		}
	}
	return s
}

// nameMentions names the first mention of each page in line.
func nameMentions(line string, now, was *pageAddrs) string {
	if !mentionsPage(line) {
		return line
	}
	seen := map[string]bool{}
	return pageMention.ReplaceAllStringFunc(line, func(m string) string {
		num := m[strings.LastIndexByte(m, ' ')+1:]
		if seen[num] {
			return m
		}
		seen[num] = true
		id, _ := strconv.Atoi(num)
		if parts := now.page(engine.PageID(id)); parts != nil {
			return named(m, parts)
		}
		if was != nil {
			if parts := was.page(engine.PageID(id)); parts != nil {
				return m + " (was " + joinAddrs(parts) + ")"
			}
		}
		return m
	})
}
