package render

// setColumns puts all AVCs in one rank, all anon_vmas in the next, all
// pages (with the zero page and an oops marker) in the next and all swap
// slots in the last, so that each kind of object lines up whatever links
// it.
func (p *Picture) setColumns() {
	cols := map[int][]string{}
	for _, n := range p.nodes {
		switch k := n.key[0]; k {
		case kindAVC, kindAnonVMA, kindPage, kindSwap:
			cols[k] = append(cols[k], n.name)
		case kindMarker:
			cols[kindPage] = append(cols[kindPage], n.name)
		}
	}
	p.ranks = nil
	for _, k := range []int{kindAVC, kindAnonVMA, kindPage, kindSwap} {
		if len(cols[k]) > 1 {
			p.ranks = append(p.ranks, cols[k])
		}
	}
}

// Columns says which columns the picture draws objects in: bit k is set
// when it draws a node of kind k (a process's VMAs, AVCs, anon_vmas,
// pages, swap slots). Kernels whose pictures differ in it keep different
// objects, 2.6.6's PTE chains against AVCs, and gain nothing from one
// layout.
func (p *Picture) Columns() uint {
	var c uint
	for _, n := range p.nodes {
		if k := column(n.key[0]); k >= kindVMA && k <= kindSwap {
			c |= 1 << k
		}
	}
	return c
}
