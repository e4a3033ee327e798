package render

import "fmt"

// DefaultMaxNodes is the most objects [DOT] draws when Options.MaxNodes is
// zero, once runs of alike processes and pages are stacked. Past a few
// hundred nodes a diagram is no longer legible, and dot's layout time
// grows steeply.
const DefaultMaxNodes = 400

// count returns how many objects a scene draws.
func (s *scene) count() int {
	n := s.page.len()
	for _, set := range [][]bool{s.proc, s.vma, s.av, s.avc, s.slot} {
		n += countTrue(set)
	}
	return n
}

// tooBig reports whether the scene exceeds the options' node limit.
func (d *drawing) tooBig() bool {
	max := d.opt.MaxNodes
	if max == 0 {
		max = DefaultMaxNodes
	}
	return max > 0 && d.sc.count() > max
}

// summary draws, instead of the state, one note saying what it holds and
// how to draw less of it.
func (d *drawing) summary() {
	text := fmt.Sprintf("%d objects are too many to draw legibly:\n%s\nDraw fewer with show: {only: [P, C1], collapse: [C2..C9], pages: false}.",
		d.sc.count(), d.inventory())
	d.add(&element{name: "summary", class: "summary", shape: "note", key: order{kindLegend, 1},
		attrs: []attr{str("shape", "note"), str("style", "filled"), str("fillcolor", d.c(cPageFill)), str("label", text)},
		title: "too many objects to draw"})
	d.p.desc = fmt.Sprintf("Too many objects to describe one by one: %s.", d.inventory())
	d.p.title = d.p.desc
}

func (d *drawing) inventory() string {
	return fmt.Sprintf("%d processes, %d VMAs, %d AVCs, %d anon_vmas, %d pages",
		countTrue(d.sc.proc), countTrue(d.sc.vma), countTrue(d.sc.avc), countTrue(d.sc.av), d.sc.page.len())
}

func countTrue(set []bool) int {
	n := 0
	for _, on := range set {
		if on {
			n++
		}
	}
	return n
}
