package render

import "github.com/avdoc/avdoc/engine"

// rankEdges writes the invisible edges that lay the drawing out in
// columns, following each object's own pointers: avc->vma (VMA left of
// AVC), avc->anon_vma (AVC left of anon_vma) and page->mapping (anon_vma
// left of page).
func (d *drawing) rankEdges() {
	for i, c := range d.st.AVCs {
		if !d.sc.avc[i] {
			continue
		}
		if d.drawnVMA(c.VMA) {
			d.rankEdge(vmaName(c.VMA), avcName(c.ID))
		}
		if d.drawnAV(c.AnonVMA) {
			d.rankEdge(avcName(c.ID), avName(c.AnonVMA))
		}
	}
	for i, pg := range d.st.Pages {
		if d.sc.page[i] && d.drawnAV(pg.Mapping) {
			d.rankEdge(avName(pg.Mapping), pageName(pg.ID))
		}
	}
	for i := range d.st.VMAs {
		if d.sc.vma[i] {
			d.rankOlderDesigns(&d.st.VMAs[i])
		}
	}
}

// rankOlderDesigns orders the columns of the designs without AVCs: a VMA
// left of its anon_vma (2.6.7-2.6.33), or of the pages it maps (2.6.6).
func (d *drawing) rankOlderDesigns(v *engine.VMA) {
	switch design(d.st) {
	case engine.DesignAnonVMAList:
		if d.drawnAV(v.AnonVMA) {
			d.rankEdge(vmaName(v.ID), avName(v.AnonVMA))
		}
	case engine.DesignPTEChain:
		seen := map[engine.PageID]bool{}
		for _, pte := range v.PTEs {
			if pte.Kind == engine.PTEPage && !seen[pte.Page] && d.sc.page[pte.Page-1] {
				seen[pte.Page] = true
				d.rankEdge(vmaName(v.ID), pageName(pte.Page))
			}
		}
	}
}

func (d *drawing) rankEdge(from, to string) {
	d.edge("rank-"+from+"-"+to, from, to, "rank", str("style", "invis"), str("constraint", "true"))
}

// sameVMAEdges draws each VMA's same_vma list in red: the VMA, then its
// AVCs in list order.
func (d *drawing) sameVMAEdges() {
	for i, v := range d.st.VMAs {
		if d.sc.vma[i] {
			d.list(vmaName(v.ID), "sv", "same_vma", colSameVMA, v.Chain)
		}
	}
}

// sameAnonVMAEdges draws each anon_vma's same_anon_vma list in blue.
func (d *drawing) sameAnonVMAEdges() {
	for i, a := range d.st.AnonVMAs {
		if d.sc.av[i] {
			d.list(avName(a.ID), "sav", "same_anon_vma", colSameAV, a.Head)
			d.vmaList(&d.st.AnonVMAs[i])
		}
	}
}

// vmaList draws the list of VMAs an anon_vma heads in 2.6.7-2.6.33, from
// the anon_vma through each drawn VMA in list order.
func (d *drawing) vmaList(a *engine.AnonVMA) {
	prev, skipped := avName(a.ID), false
	for _, id := range a.VMAs {
		if !valid(int(id), len(d.sc.vma)) || !d.sc.vma[id-1] {
			skipped = true
			continue
		}
		as, class := []attr{str("color", colSameAV)}, "anon_vma_list"
		if skipped {
			as, class = append(as, str("style", "dashed")), class+" elided"
		}
		d.edge("avl-"+prev+"-"+vmaName(id), prev, vmaName(id), class, as...)
		prev, skipped = vmaName(id), false
	}
}

// list draws a list from its head through the drawn AVCs on it. Where
// AVCs that are not drawn were skipped, the edge is dashed and has class
// "elided".
func (d *drawing) list(head, idPrefix, class string, color string, avcs []engine.AVCID) {
	prev, skipped := head, false
	for _, id := range avcs {
		if !d.drawnAVC(id) {
			skipped = true
			continue
		}
		as := []attr{str("color", color)}
		c := class
		if skipped {
			as, c = append(as, str("style", "dashed")), class+" elided"
		}
		d.edge(idPrefix+"-"+prev+"-"+avcName(id), prev, avcName(id), c, as...)
		prev, skipped = avcName(id), false
	}
}

// anonVMAPointers draws vma->anon_vma as a thin dashed arrow.
func (d *drawing) anonVMAPointers() {
	for i, v := range d.st.VMAs {
		if d.sc.vma[i] && d.drawnAV(v.AnonVMA) {
			d.edge(vmaName(v.ID)+"-"+avName(v.AnonVMA), vmaName(v.ID), avName(v.AnonVMA), "anon_vma_ptr",
				str("style", "dashed"), str("color", colPointer), str("penwidth", "0.8"), str("constraint", "true"))
		}
	}
}

// mappingEdges draws page->mapping in gray.
func (d *drawing) mappingEdges() {
	for i, pg := range d.st.Pages {
		if d.sc.page[i] && d.drawnAV(pg.Mapping) {
			class := "mapping"
			if d.st.AnonVMA(pg.Mapping).Freed {
				class = "mapping dangling"
			}
			d.edge(pageName(pg.ID)+"-"+avName(pg.Mapping), pageName(pg.ID), avName(pg.Mapping), class,
				str("color", colMapping))
		}
	}
}

// pteEdges draws, when asked, one green edge from a VMA to each page it
// maps (dotted for a swap entry whose page is in the swap cache) and to
// the zero page.
func (d *drawing) pteEdges() {
	if !d.opt.PTEs {
		return
	}
	for i := range d.st.VMAs {
		if d.sc.vma[i] {
			d.vmaPTEs(&d.st.VMAs[i])
		}
	}
}

func (d *drawing) vmaPTEs(v *engine.VMA) {
	seen := map[string]bool{} // one edge per target, however many PTEs lead there
	for _, pte := range v.PTEs {
		to, class, style := d.pteTarget(pte)
		if to == "" || seen[to+class] {
			continue
		}
		seen[to+class] = true
		id := vmaName(v.ID) + "-" + to
		if pte.Kind == engine.PTESwap {
			id = vmaName(v.ID) + "-swap-" + to
		}
		as := []attr{str("color", colPTE)}
		if style != "" {
			as = append(as, str("style", style))
		}
		d.edge(id, vmaName(v.ID), to, class, as...)
	}
}

// pteTarget names the node a PTE leads to, with the edge's class and
// style ("" for solid).
func (d *drawing) pteTarget(pte engine.PTE) (to, class, style string) {
	switch pte.Kind {
	case engine.PTEZero:
		return "zero", "pte zero", ""
	case engine.PTEPage, engine.PTESwap:
		id := ptePage(d.st, pte)
		if id == 0 || !d.sc.page[id-1] {
			return "", "", ""
		}
		if pte.Kind == engine.PTESwap {
			return pageName(id), "pte swap", "dotted"
		}
		return pageName(id), "pte", ""
	}
	return "", "", ""
}

func (d *drawing) drawnVMA(id engine.VMAID) bool {
	return valid(int(id), len(d.st.VMAs)) && d.sc.vma[id-1]
}

func (d *drawing) drawnAV(id engine.AVID) bool {
	return valid(int(id), len(d.st.AnonVMAs)) && d.sc.av[id-1]
}

func (d *drawing) drawnAVC(id engine.AVCID) bool {
	return valid(int(id), len(d.st.AVCs)) && d.sc.avc[id-1]
}

func (d *drawing) drawnPage(id engine.PageID) bool {
	return valid(int(id), len(d.st.Pages)) && d.sc.page[id-1]
}
