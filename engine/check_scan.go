package engine

// scanPTEs passes once over every PTE of every live VMA, in VMA order, and
// reports whether no mapped page breaks R1 to R5: the common case, which
// it decides without grouping the mappings by page, in a buffer of four
// bytes a page rather than sixteen a mapping plus eight a page. It also
// counts the swap entries holding each slot for R6 (c.held). If it finds
// a page that may break one, run falls back to collectMappings and the
// per-page checks, which name each violation in page order.
//
// A PTE passes when, as page and pageRoot check:
//   - its page is within the page array;
//   - (2.6.7+) page->mapping is a live anon_vma (R2) whose list holds the
//     PTE's VMA (R1), and page->index leads to the PTE's address (R1);
//     then every mapping of the page computes page->index, so R4 holds;
//   - (2.6.36+) page->mapping's root is that of the VMA's anon_vma (R3).
//
// and a page passes R5 when no more PTEs map it than its mapcount: the
// count is checked as it grows, in the same pass, rather than in a second
// pass over every page.
func (c *checker) scanPTEs() bool {
	s := c.s
	n := len(s.Pages)
	c.count = int32s(c.count, n)
	c.held = ints(c.held, len(s.Swap))
	pages := s.Model.Design != DesignPTEChain
	roots := s.Model.Root // else sameRoot holds: no call for it
	ok := true
	for i := range s.VMAs {
		v := &s.VMAs[i]
		if v.Gone {
			continue
		}
		var last AVID // the anon_vma whose list was last found to hold v
		for j, pte := range v.PTEs {
			switch {
			case pte.Kind == PTESwap:
				c.held[pte.Swap-1]++
			case pte.Kind != PTEPage:
			case pte.Page < 1 || int(pte.Page) > n:
				ok = false
			default:
				pg := &s.Pages[pte.Page-1]
				c.count[pte.Page-1]++
				if pages && int(c.count[pte.Page-1]) > pg.Mapcount {
					ok = false // R5, counted as the PTEs come
				}
				addr := v.Start + uint64(j)
				if (pages && !mapsLast(pg, v, addr, last) && !c.mapsRight(pg, v, addr, &last)) || (roots && !c.sameRoot(pg, v)) {
					ok = false
				}
			}
		}
	}
	return ok
}

// mapsRight reports whether pg's page->mapping is a live anon_vma whose
// list holds v, and page->index leads to addr in v. last is the anon_vma
// last found to list v, which the VMA's other pages mostly share (0 for
// none yet): scanPTEs asks mapsLast first, which inlines.
func (c *checker) mapsRight(pg *Page, v *VMA, addr uint64, last *AVID) bool {
	if !indexLeads(pg, v, addr) || !c.isAnonVMA(pg.Mapping) {
		return false
	}
	if pg.Mapping == *last {
		return true
	}
	av := c.s.AnonVMA(pg.Mapping)
	if av.Freed || !c.isListed(av, v.ID) {
		return false
	}
	*last = av.ID
	return true
}

// mapsLast reports whether mapsRight holds for pg because its
// page->mapping is last, an anon_vma already found to list v.
func mapsLast(pg *Page, v *VMA, addr uint64, last AVID) bool {
	return last != 0 && pg.Mapping == last && indexLeads(pg, v, addr)
}

// indexLeads reports whether pg's page->index leads to addr in v.
func indexLeads(pg *Page, v *VMA, addr uint64) bool {
	return pg.Index >= v.Pgoff && v.Start+(pg.Index-v.Pgoff) == addr
}

// sameRoot reports whether R3 holds for pg mapped by v (2.6.36+).
func (c *checker) sameRoot(pg *Page, v *VMA) bool {
	s := c.s
	if !s.Model.Root || pg.Mapping == 0 || v.AnonVMA == 0 {
		return true
	}
	if !c.isAnonVMA(pg.Mapping) || !c.isAnonVMA(v.AnonVMA) {
		return false
	}
	return s.AnonVMA(pg.Mapping).Root == s.AnonVMA(v.AnonVMA).Root
}

// int32s is ints for 32-bit counts.
func int32s(buf []int32, n int) []int32 {
	if cap(buf) < n {
		return make([]int32, n)
	}
	buf = buf[:n]
	clear(buf)
	return buf
}
