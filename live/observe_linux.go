package live

import (
	"fmt"
	"slices"

	"github.com/avdoc/avdoc/engine"
	"github.com/avdoc/avdoc/live/kread"
	"golang.org/x/sys/unix"
)

// Observe reads the reverse map of the story's live processes. Every agent
// is blocked between requests meanwhile, so what it reads holds still.
func (s *Session) Observe() (*Observation, error) {
	if err := s.rd.SetPids(s.Pids()); err != nil {
		return nil, err
	}
	freed, err := s.rd.Freed()
	if err != nil {
		return nil, err
	}
	s.ids.free(freed)
	raw, err := s.rd.VMAs()
	if err != nil {
		return nil, err
	}
	b := &builder{s: s, o: &Observation{Release: release()}, nodes: map[uint64]node{}}
	b.procs(raw)
	for _, p := range b.o.Procs {
		for _, id := range p.VMAs {
			if err := b.ptes(p.Pid, &b.o.VMAs[id-1]); err != nil {
				return nil, err
			}
		}
	}
	if err := b.structPages(); err != nil {
		return nil, err
	}
	b.trees()
	b.keepGone()
	s.ids.last = b.o
	if err := s.rd.Watch(s.ids.watched(s.pr != nil)); err != nil {
		return nil, err
	}
	return b.o, nil
}

// builder assembles one observation.
type builder struct {
	s     *Session
	o     *Observation
	pfns  []uint64        // of the pages seen, in page id order of first sight here
	pages []int           // their ids
	nodes map[uint64]node // interval tree nodes read, by rb_node address
	roots map[int]uint64  // anon_vma id -> its tree's root rb_node address
}

// node is an AVC's rb_node.
type node struct {
	avc int
	rb  kread.RBNode
}

// procs fills in the processes and their VMAs, chains and anon_vmas.
func (b *builder) procs(raw []kread.VMA) {
	byPid := map[int][]kread.VMA{}
	for _, v := range raw {
		byPid[v.Pid] = append(byPid[v.Pid], v)
	}
	b.roots = map[int]uint64{}
	for i, p := range b.s.procs {
		op := Proc{Name: p.name, Pid: p.a.Pid(), Parent: p.parent, Exited: p.exited, Regions: slices.Clone(p.regions)}
		if !p.exited {
			vs := byPid[p.a.Pid()]
			slices.SortFunc(vs, func(x, y kread.VMA) int { return cmpU64(x.Start, y.Start) })
			for _, v := range vs {
				// The agent's Go runtime may map memory in the story's
				// address range too: only VMAs in story regions count.
				if inRegions(p.regions, page(v.Start), page(v.End)) {
					op.VMAs = append(op.VMAs, b.vma(i+1, v))
				}
			}
		}
		b.o.Procs = append(b.o.Procs, op)
	}
}

func cmpU64(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// inRegions reports whether pages [start, end) overlap a story region.
func inRegions(regions []engine.Region, start, end uint64) bool {
	for _, r := range regions {
		if start < r.End() && r.Start < end {
			return true
		}
	}
	return false
}

// page converts an address in the story's range to a page number.
func page(addr uint64) uint64 { return (addr - Base) / pageSize }

// vma records a VMA and its chain and returns its id.
func (b *builder) vma(proc int, v kread.VMA) int {
	id := b.s.ids.vma.id(v.Ptr)
	ov := VMA{ID: id, Proc: proc, Start: page(v.Start), End: page(v.End), Pgoff: v.Pgoff - Base/pageSize,
		Flags: v.Flags, Writable: v.Flags&VMWrite != 0, Accounted: v.Flags&VMAccount != 0,
		AnonVMA: b.s.ids.av.id(v.AnonVMA), ChainCut: v.Cut}
	for _, c := range v.Chain {
		ov.Chain = append(ov.Chain, b.avc(id, ov, c))
	}
	*at(&b.o.VMAs, id) = ov
	if ov.AnonVMA != 0 {
		p := b.s.procs[proc-1]
		at(&b.o.AnonVMAs, ov.AnonVMA).Name = b.s.ids.avName(ov.AnonVMA, p.name+":"+regionAt(p.regions, ov.Start))
	}
	return id
}

// avc records an AVC of VMA v (id vid) and its anon_vma.
func (b *builder) avc(vid int, v VMA, c kread.AVC) int {
	id := b.s.ids.avc.id(c.Ptr)
	av := b.s.ids.av.id(c.AnonVMA.Ptr)
	*at(&b.o.AVCs, id) = AVC{ID: id, VMA: vid, AnonVMA: av, First: v.Pgoff, Last: v.Pgoff + v.End - v.Start - 1}
	a := c.AnonVMA
	*at(&b.o.AnonVMAs, av) = AnonVMA{ID: av, Name: b.s.ids.avNames[av], Root: b.s.ids.av.id(a.Root), Parent: b.s.ids.av.id(a.Parent),
		Refcount: a.Refcount, NumChildren: int(a.NumChildren), NumActiveVMAs: int(a.NumActiveVMAs)}
	b.nodes[c.Node.Addr] = node{avc: id, rb: c.Node}
	b.roots[av] = a.TreeRoot
	return id
}

// at returns a pointer to s[id-1], growing s as needed.
func at[E any](s *[]E, id int) *E {
	for len(*s) < id {
		var zero E
		*s = append(*s, zero)
	}
	return &(*s)[id-1]
}

// ptes reads the page table entries of a VMA and the pages they map.
func (b *builder) ptes(pid int, v *VMA) error {
	raw, err := kread.PTEs(pid, Base+v.Start*pageSize, int(v.End-v.Start))
	if err != nil {
		return fmt.Errorf("reading the pages of process %d: %w", pid, err)
	}
	v.PTEs = make([]PTE, len(raw))
	for i, r := range raw {
		switch {
		case r.Swapped:
			id := b.s.ids.swap.id(r.SwapType<<50 | r.SwapOffset + 1)
			v.PTEs[i] = PTE{Kind: engine.PTESwap, Swap: id}
			*at(&b.o.Swap, id) = SwapSlot{ID: id, Type: r.SwapType, Offset: r.SwapOffset, Count: at(&b.o.Swap, id).Count + 1}
		case r.Zero():
			v.PTEs[i].Kind = engine.PTEZero
		case r.Present:
			id := b.s.ids.page.id(b.pageKey(r.PFN))
			v.PTEs[i] = PTE{Kind: engine.PTEPage, Page: id}
			if at(&b.o.Pages, id).ID == 0 {
				b.pfns, b.pages = append(b.pfns, r.PFN), append(b.pages, id)
			}
			*at(&b.o.Pages, id) = Page{ID: id, PFN: r.PFN, Mapcount: r.Mapcount, KSM: r.Flags&kread.KPFKSM != 0, Large: r.Large()}
			b.o.LargeFolios = b.o.LargeFolios || r.Large()
		}
	}
	return nil
}

// pageKey is what names a page: its struct page's address, whose free the
// reader watches, or else its PFN (a PFN freed and reused then keeps its id).
func (b *builder) pageKey(pfn uint64) uint64 {
	if b.s.pr != nil {
		return b.s.pr.Addr(pfn)
	}
	return pfn
}

// structPages reads page->mapping, index and PG_anon_exclusive of the
// pages seen, when struct page can be read here.
func (b *builder) structPages() error {
	if b.s.pr == nil {
		return nil
	}
	sp, err := b.s.pr.Read(b.pfns)
	if err != nil {
		return err
	}
	for i, p := range sp {
		pg := &b.o.Pages[b.pages[i]-1]
		if p.OK && p.Anon() {
			pg.Mapping = b.s.ids.av.id(p.AnonVMA())
			pg.Index = p.Index - Base/pageSize
			pg.AnonExclusive = p.AnonExclusive()
		}
	}
	b.o.StructPages = true
	return nil
}

// trees orders each anon_vma's AVCs as its interval tree does: an in-order
// walk from the root node, through the nodes read.
func (b *builder) trees() {
	for av, root := range b.roots {
		a := &b.o.AnonVMAs[av-1]
		a.TreeComplete = true
		seen := map[uint64]bool{}
		var walk func(addr uint64)
		walk = func(addr uint64) {
			if addr == 0 || !a.TreeComplete {
				return
			}
			n, ok := b.nodes[addr]
			if !ok || seen[addr] {
				a.TreeComplete = false
				return
			}
			seen[addr] = true
			walk(n.rb.Left)
			a.Tree = append(a.Tree, n.avc)
			walk(n.rb.Right)
		}
		walk(root)
	}
}

// keepGone fills in, from the last observation, the objects not seen in
// this one, marked Gone.
func (b *builder) keepGone() {
	last, o := b.s.ids.last, b.o
	x := b.s.ids
	fill(&o.VMAs, last.VMAs, x.vma.n, func(v *VMA) *int { return &v.ID }, func(v *VMA) { v.Gone, v.Freed = true, x.vma.freed[v.ID] })
	fill(&o.AVCs, last.AVCs, x.avc.n, func(c *AVC) *int { return &c.ID }, func(c *AVC) { c.Gone, c.Freed = true, x.avc.freed[c.ID] })
	fill(&o.AnonVMAs, last.AnonVMAs, x.av.n, func(a *AnonVMA) *int { return &a.ID }, func(a *AnonVMA) { a.Gone, a.Freed = true, x.av.freed[a.ID] })
	fill(&o.Pages, last.Pages, x.page.n, func(p *Page) *int { return &p.ID }, func(p *Page) { p.Gone, p.Freed = true, x.page.freed[p.ID] })
}

// fill makes cur hold n objects: one not seen now (id 0) is the last
// observation's, marked gone, or a bare one with only its id (an anon_vma
// known only as another's root or parent).
func fill[E any](cur *[]E, last []E, n int, id func(*E) *int, gone func(*E)) {
	for i := 1; i <= n; i++ {
		e := at(cur, i)
		if *id(e) != 0 {
			continue
		}
		if i <= len(last) {
			*e = last[i-1]
		}
		*id(e) = i
		gone(e)
	}
}

// release returns the running kernel's release, as uname -r prints it.
func release() string {
	var u unix.Utsname
	if unix.Uname(&u) != nil {
		return "unknown"
	}
	return unix.ByteSliceToString(u.Release[:])
}

// Release returns the running kernel's release (uname -r), which labels
// the live kernel where a story shows it.
func (s *Session) Release() string { return release() }

// KernelRelease returns the running kernel's release (uname -r).
func KernelRelease() string { return release() }
