package live

import "github.com/avdoc/avdoc/engine"

// State returns the observation as the engine's State, for the renderer and
// the expectation evaluator, labelled with model (which may be nil).
//
// What the live reader does not see is left at its zero value: a PTE's
// write bit (pagemap does not give it), a swap slot's page in the swap
// cache and its index, a swap entry's exclusive marker, and anon_vma->degree
// (replaced by the 6.0 counters); page->mapping too where struct page
// cannot be read (page->index is then derived from the first mapping
// VMA's pgoff). An anon_vma's Head is its interval tree in order.
func (o *Observation) State(model *engine.Model) engine.State {
	st := engine.State{Model: model}
	for i, p := range o.Procs {
		st.Procs = append(st.Procs, engine.Process{ID: engine.ProcID(i + 1), Name: p.Name, Parent: engine.ProcID(p.Parent),
			Exited: p.Exited, VMAs: convertIDs[engine.VMAID](p.VMAs), Regions: p.Regions})
	}
	for _, v := range o.VMAs {
		st.VMAs = append(st.VMAs, o.vmaState(v))
	}
	for _, c := range o.AVCs {
		st.AVCs = append(st.AVCs, engine.AVC{ID: engine.AVCID(c.ID), VMA: engine.VMAID(c.VMA), AnonVMA: engine.AVID(c.AnonVMA),
			Freed: c.Freed || c.Gone, First: c.First, Last: c.Last})
	}
	for _, a := range o.AnonVMAs {
		parent := a.Parent
		if parent == a.ID { // the kernel's root is its own parent; the engine's has none
			parent = 0
		}
		st.AnonVMAs = append(st.AnonVMAs, engine.AnonVMA{ID: engine.AVID(a.ID), Name: a.Name, Head: convertIDs[engine.AVCID](a.Tree),
			Freed: a.Freed, Parent: engine.AVID(parent), Root: engine.AVID(a.Root), Refcount: a.Refcount,
			NumChildren: a.NumChildren, NumActiveVMAs: a.NumActiveVMAs})
	}
	for i, sl := range o.Swap {
		st.Swap = append(st.Swap, engine.SwapSlot{ID: engine.SwapID(i + 1), Count: sl.Count})
	}
	for _, pg := range o.Pages {
		index := pg.Index
		if !o.StructPages {
			index = o.pageIndex(pg.ID)
		}
		st.Pages = append(st.Pages, engine.Page{ID: engine.PageID(pg.ID), Mapcount: pg.Mapcount, Freed: pg.Gone,
			Mapping: engine.AVID(pg.Mapping), Index: index})
	}
	return st
}

func (o *Observation) vmaState(v VMA) engine.VMA {
	ev := engine.VMA{ID: engine.VMAID(v.ID), Proc: engine.ProcID(v.Proc), Start: v.Start, End: v.End, Pgoff: v.Pgoff,
		Writable: v.Writable, Accounted: v.Accounted, AnonVMA: engine.AVID(v.AnonVMA), Chain: convertIDs[engine.AVCID](v.Chain),
		Gone: v.Gone}
	if v.Proc > 0 {
		ev.Region = regionAt(o.Procs[v.Proc-1].Regions, v.Start)
	}
	for _, p := range v.PTEs {
		ev.PTEs = append(ev.PTEs, engine.PTE{Kind: p.Kind, Page: engine.PageID(p.Page), Swap: engine.SwapID(p.Swap)})
	}
	return ev
}

// pageIndex returns the page offset of the first live PTE mapping page
// id: what page->index holds unless the page was mapped elsewhere first
// (mremap moves VMAs, not page->index).
func (o *Observation) pageIndex(id int) uint64 {
	for _, v := range o.VMAs {
		for i, p := range v.PTEs {
			if !v.Gone && p.Kind == engine.PTEPage && p.Page == id {
				return v.Pgoff + uint64(i)
			}
		}
	}
	return 0
}

func convertIDs[T ~int](ids []int) []T {
	if ids == nil {
		return nil
	}
	out := make([]T, len(ids))
	for i, id := range ids {
		out[i] = T(id)
	}
	return out
}

// regionAt returns the name of the region holding page number pg, or "".
func regionAt(regions []engine.Region, pg uint64) string {
	for _, r := range regions {
		if r.Start <= pg && pg < r.End() {
			return r.Name
		}
	}
	return ""
}
