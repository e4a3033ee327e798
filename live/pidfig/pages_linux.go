package pidfig

import (
	"github.com/avdoc/avdoc/engine"
	"github.com/avdoc/avdoc/live"
	"github.com/avdoc/avdoc/live/kread"
)

// readPTEs reads the page table of VMA v (named name) of process t, as
// far as the limit on page table entries lets it. A VMA that cannot be
// read (PROT_NONE: a reservation, a guard) maps no page: it is skipped,
// so that a large reservation does not use up the limit.
func (b *builder) readPTEs(t task, name string, v *live.VMA) {
	if v.Flags&vmRead == 0 {
		return
	}
	n := int(v.End - v.Start)
	if left := max(b.lim.Pages-b.ptes, 0); n > left {
		if b.unread == 0 {
			b.firstCut = name
		}
		b.unread, b.cutPTEs = b.unread+n-left, b.cutPTEs+1
		n = left
	}
	if n == 0 {
		return
	}
	b.ptes += n
	raw, err := kread.PTEs(t.pid, v.Start*pageSize, n)
	if err != nil {
		b.note("%s: its pages could not be read (%v)", name, err)
		return
	}
	v.PTEs = make([]live.PTE, n)
	for i, r := range raw {
		v.PTEs[i] = b.pte(r)
	}
}

// vmRead is VM_READ (include/linux/mm.h).
const vmRead = 0x1

// pte converts one pagemap entry, recording the page or swap slot.
func (b *builder) pte(r kread.PTE) live.PTE {
	switch {
	case r.Swapped:
		id := b.swap.id(r.SwapType<<50 | r.SwapOffset + 1)
		sl := at(&b.o.Swap, id)
		*sl = live.SwapSlot{ID: id, Type: r.SwapType, Offset: r.SwapOffset, Count: sl.Count + 1}
		return live.PTE{Kind: engine.PTESwap, Swap: id}
	case r.Zero():
		return live.PTE{Kind: engine.PTEZero}
	case r.Present:
		id := b.page.id(r.PFN)
		if id > len(b.pfns) {
			b.pfns = append(b.pfns, r.PFN)
		}
		*at(&b.o.Pages, id) = live.Page{ID: id, PFN: r.PFN, Mapcount: r.Mapcount, KSM: r.Flags&kread.KPFKSM != 0, Large: r.Large()}
		b.o.LargeFolios = b.o.LargeFolios || r.Large()
		return live.PTE{Kind: engine.PTEPage, Page: id}
	}
	return live.PTE{}
}

// structPages reads page->mapping, index and PG_anon_exclusive.
func (b *builder) structPages(pr *kread.PageReader) error {
	sp, err := pr.Read(b.pfns)
	if err != nil {
		return err
	}
	for i, p := range sp {
		pg := &b.o.Pages[i]
		if p.OK && p.Anon() {
			pg.Mapping = b.av.id(p.AnonVMA())
			pg.Index = p.Index
			pg.AnonExclusive = p.AnonExclusive()
		}
	}
	b.o.StructPages = true
	return nil
}
