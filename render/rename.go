package render

import (
	"cmp"
	"fmt"
)

// A story's pictures name objects by the engine's numbers, and each
// kernel a story runs on numbers its own objects: once two kernels part
// (one merges two VMAs, the other keeps them apart) the same name can
// stand for VMAs of different processes, "vma4" P's in one column and
// Q's in the other. Laid out as one node, such a VMA would sit in one
// process's run of the VMA column and be drawn outside the other's box.
// The layout therefore gives a VMA that a picture draws in another
// process than the first picture that draws its name did a name of its
// own, and so the edges at it; the pictures keep their names.

// ownNames returns copies of the pictures in which each VMA named by
// several processes bears, in all but the first process to draw it, its
// process's own name, and records each renamed element's layout name.
func (l *Layout) ownNames(pics []*Picture) []*Picture {
	l.placeName = map[*element]string{}
	proc := map[string]int{} // each VMA name's first process
	out := make([]*Picture, len(pics))
	for i, p := range pics {
		renamed := map[string]string{}
		for _, n := range p.nodes {
			if n.key[0] != kindVMA {
				continue
			}
			if first, ok := proc[n.name]; !ok {
				proc[n.name] = n.key[1]
			} else if first != n.key[1] {
				renamed[n.name] = fmt.Sprintf("%s_p%d", n.name, n.key[1])
			}
		}
		out[i] = p
		if len(renamed) > 0 {
			out[i] = l.renamed(p, renamed)
		}
	}
	return out
}

// renamed returns a copy of p with the nodes of renamed, and the edges
// at them, under their layout names.
func (l *Layout) renamed(p *Picture, renamed map[string]string) *Picture {
	c := *p
	c.nodes, c.edges = nil, nil
	for _, n := range p.nodes {
		if to, ok := renamed[n.name]; ok {
			m := *n
			m.name, l.placeName[n] = to, to
			n = &m
		}
		c.nodes = append(c.nodes, n)
	}
	for _, e := range p.edges {
		from, fok := renamed[e.from]
		to, tok := renamed[e.to]
		if fok || tok {
			m := *e
			m.from, m.to = cmp.Or(from, e.from), cmp.Or(to, e.to)
			m.name = e.name + "_" + m.from + "_" + m.to
			l.placeName[e] = m.name
			e = &m
		}
		c.edges = append(c.edges, e)
	}
	return &c
}

// nameOf is an element's name in the layout: its own, unless the layout
// renamed it.
func (l *Layout) nameOf(e *element) string {
	if to, ok := l.placeName[e]; ok {
		return to
	}
	return e.name
}
