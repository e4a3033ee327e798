package render

import (
	"github.com/avdoc/avdoc/engine"
)

// rankEdges adds the invisible edges that lay the drawing out in columns,
// following each object's own pointers: avc->vma (VMA left of AVC),
// avc->anon_vma (AVC left of anon_vma), page->mapping (anon_vma left of
// page) and the swap cache (page left of its swap slot).
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
	for i := range d.sc.page.all() {
		if pg := &d.st.Pages[i]; d.drawnAV(pg.Mapping) {
			d.rankEdge(avName(pg.Mapping), pageName(pg.ID))
		}
	}
	for i := range d.st.VMAs {
		if d.sc.vma[i] {
			d.rankOlderDesigns(&d.st.VMAs[i])
		}
	}
	d.rankSlots()
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
			if pte.Kind != engine.PTEPage {
				continue
			}
			if id := d.sc.shownPage(pte.Page); id != 0 && !seen[id] {
				seen[id] = true
				d.rankEdge(vmaName(v.ID), pageName(id))
			}
		}
	}
}

// rankSlots puts each drawn swap slot right of its cached page, or of a
// VMA holding an entry of it once evicted.
func (d *drawing) rankSlots() {
	for i, sl := range d.st.Swap {
		if !d.sc.slot[i] {
			continue
		}
		if id := d.sc.shownPage(sl.Page); id != 0 {
			d.rankEdge(pageName(id), slotName(sl.ID))
		} else if v := d.slotHolder(sl.ID); v != 0 {
			d.rankEdge(vmaName(v), slotName(sl.ID))
		}
	}
}

// slotHolder returns the first drawn VMA holding a swap entry of slot id.
func (d *drawing) slotHolder(id engine.SwapID) engine.VMAID {
	for i, v := range d.st.VMAs {
		if !d.sc.vma[i] {
			continue
		}
		for _, pte := range v.PTEs {
			if pte.Kind == engine.PTESwap && pte.Swap == id {
				return v.ID
			}
		}
	}
	return 0
}

func (d *drawing) rankEdge(from, to string) {
	d.link("rank-"+from+"-"+to, from, to, "rank", str("style", "invis"), str("constraint", "true"))
}

// sameVMAEdges draws each VMA's same_vma list in red: the VMA, then its
// AVCs in list order.
func (d *drawing) sameVMAEdges() {
	for i, v := range d.st.VMAs {
		if d.sc.vma[i] {
			d.list(vmaName(v.ID), "sv", "same_vma", d.c(cSameVMA), v.Chain)
		}
	}
}

// sameAnonVMAEdges draws each anon_vma's same_anon_vma list in blue: in
// list order, or from 3.7 in the interval tree's order, by page offset.
func (d *drawing) sameAnonVMAEdges() {
	for i, a := range d.st.AnonVMAs {
		if !d.sc.av[i] {
			continue
		}
		if d.intervalTree() {
			d.list(avName(a.ID), "sav", "same_anon_vma itree", d.c(cSameAV), treeOrder(d.st, a.Head))
		} else {
			d.list(avName(a.ID), "sav", "same_anon_vma", d.c(cSameAV), a.Head)
		}
		d.vmaList(&d.st.AnonVMAs[i])
	}
}

// vmaList draws the list of VMAs an anon_vma heads in 2.6.7-2.6.33, from
// the anon_vma through each drawn VMA in list order.
func (d *drawing) vmaList(a *engine.AnonVMA) {
	prev, skipped := avName(a.ID), false
	for _, id := range a.VMAs {
		if !d.drawnVMA(id) {
			skipped = true
			continue
		}
		as, class := []attr{str("color", d.c(cSameAV))}, "anon_vma_list"
		if skipped {
			as, class = append(as, str("style", "dashed")), class+" elided"
		}
		d.link("avl-"+prev+"-"+vmaName(id), prev, vmaName(id), class, as...)
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
		d.link(idPrefix+"-"+prev+"-"+avcName(id), prev, avcName(id), c, as...)
		prev, skipped = avcName(id), false
	}
}

// anonVMAPointers draws vma->anon_vma as a thin dashed arrow.
func (d *drawing) anonVMAPointers() {
	for i, v := range d.st.VMAs {
		if d.sc.vma[i] && d.drawnAV(v.AnonVMA) {
			e := d.link(vmaName(v.ID)+"-"+avName(v.AnonVMA), vmaName(v.ID), avName(v.AnonVMA), "anon_vma_ptr",
				str("style", "dashed"), str("color", d.c(cPointer)), str("penwidth", "0.8"), str("constraint", "true"))
			e.slot = "anon_vma " + vmaName(v.ID)
		}
	}
}

// rootPointers draws anon_vma->root (2.6.36+) as a dotted purple arrow,
// for each anon_vma that is not its own root.
func (d *drawing) rootPointers() {
	if !d.hasRoot() {
		return
	}
	for i, a := range d.st.AnonVMAs {
		if d.sc.av[i] && a.Root != a.ID && d.drawnAV(a.Root) {
			e := d.link(avName(a.ID)+"-root-"+avName(a.Root), avName(a.ID), avName(a.Root), "root",
				str("style", "dotted"), str("color", d.c(cRoot)), str("penwidth", "1.6"))
			e.slot = "root " + avName(a.ID)
		}
	}
}

// mappingEdges draws page->mapping in gray; one pointing at a freed
// anon_vma is "dangling".
func (d *drawing) mappingEdges() {
	for i := range d.sc.page.all() {
		if pg := &d.st.Pages[i]; d.drawnAV(pg.Mapping) {
			class := "mapping"
			if d.st.AnonVMA(pg.Mapping).Freed {
				class = "mapping dangling freed"
			}
			e := d.link(pageName(pg.ID)+"-"+avName(pg.Mapping), pageName(pg.ID), avName(pg.Mapping), class,
				str("color", d.c(cMapping)))
			e.slot = "mapping " + pageName(pg.ID)
		}
	}
}

// swapEdges joins each drawn page in the swap cache to its swap slot.
func (d *drawing) swapEdges() {
	for i := range d.sc.page.all() {
		if pg := &d.st.Pages[i]; valid(int(pg.Swap), len(d.sc.slot)) && d.sc.slot[pg.Swap-1] {
			d.link(pageName(pg.ID)+"-"+slotName(pg.Swap), pageName(pg.ID), slotName(pg.Swap), "swapcache",
				str("color", d.c(cMapping)), str("style", "dotted"), str("arrowhead", "none"))
		}
	}
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
	return valid(int(id), len(d.st.Pages)) && d.sc.page.has(int(id)-1)
}
