package render

import (
	"cmp"
	"slices"

	"github.com/avdoc/avdoc/engine"
)

// pteEdges draws, when asked, one green edge from a VMA to each page it
// maps (dotted for a swap entry) and to the zero page. With swap slots
// drawn, a swap entry leads to its slot, else to the page in the swap
// cache, if any.
func (d *drawing) pteEdges() {
	if !d.opt.PTEs && !d.opt.Swap {
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
		if pte.Kind == engine.PTESwap && to != slotName(pte.Swap) {
			id = vmaName(v.ID) + "-swap-" + to
		}
		as := []attr{str("color", d.c(cPTE))}
		if style != "" {
			as = append(as, str("style", style))
		}
		d.link(id, vmaName(v.ID), to, class, as...)
	}
}

// pteTarget names the node a PTE leads to, with the edge's class and
// style ("" for solid). Only swap entries are drawn without PTEs shown.
func (d *drawing) pteTarget(pte engine.PTE) (to, class, style string) {
	switch {
	case pte.Kind == engine.PTESwap && d.opt.Swap && valid(int(pte.Swap), len(d.sc.slot)) && d.sc.slot[pte.Swap-1]:
		return slotName(pte.Swap), "pte swap", "dotted"
	case !d.opt.PTEs:
		return "", "", ""
	case pte.Kind == engine.PTEZero:
		return "zero", "pte zero", ""
	case pte.Kind == engine.PTEPage, pte.Kind == engine.PTESwap:
		id := d.sc.shownPage(ptePage(d.st, pte))
		if id == 0 {
			return "", "", ""
		}
		if pte.Kind == engine.PTESwap {
			return pageName(id), "pte swap", "dotted"
		}
		return pageName(id), "pte", ""
	}
	return "", "", ""
}

// treeOrder returns the AVCs of an anon_vma in interval-tree order: by
// the first page offset they are filed under, then the last, then id.
func treeOrder(st *engine.State, avcs []engine.AVCID) []engine.AVCID {
	out := slices.Clone(avcs)
	slices.SortStableFunc(out, func(a, b engine.AVCID) int {
		if !valid(int(a), len(st.AVCs)) || !valid(int(b), len(st.AVCs)) {
			return cmp.Compare(a, b)
		}
		x, y := st.AVC(a), st.AVC(b)
		return cmp.Or(cmp.Compare(x.First, y.First), cmp.Compare(x.Last, y.Last), cmp.Compare(a, b))
	})
	return out
}
