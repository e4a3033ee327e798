package render

import (
	"cmp"
	"math"
	"math/bits"
	"slices"
	"strconv"
)

// A frame is cropped at its right and bottom to what it shows, and at
// its left and top to what the whole story shows, so that stepping moves
// nothing. What a story draws first should then take the top of each
// column, and what comes later the bottom: the VMA column is in the
// order of its slots, which the processes take in the order they are
// made (see share.go), and the columns right of it follow it.

// orderColumns puts each column right of the VMAs in the order of the
// columns before it, and keeps it so with a chain of invisible edges:
// each node goes as high as the highest node of an earlier column it
// is linked to (an AVC by its VMA, an anon_vma by its AVCs and VMAs, a
// page by its anon_vma), nodes as high by the first picture that draws
// them, and nodes linked to none of those last. The VMA column must be
// in place, top to bottom. The top of each column is held level with
// the top of the one before it.
func (p *Picture) orderColumns(life map[string]lifetime) {
	kind, near := map[string]int{}, map[string][]string{}
	for _, n := range p.nodes {
		kind[n.name] = column(n.key[0])
	}
	for _, e := range p.edges {
		near[e.from], near[e.to] = append(near[e.from], e.to), append(near[e.to], e.from)
	}
	height := map[string]float64{} // a node's place: the row of the VMA it follows
	var head []*element            // the nodes left of the columns ordered here
	cols := map[int][]*element{}
	for _, n := range p.nodes {
		if k := kind[n.name]; k > kindVMA {
			cols[k] = append(cols[k], n)
			continue
		}
		if n.key[0] == kindVMA {
			height[n.name] = float64(len(height))
		}
		head = append(head, n)
	}
	p.nodes = head
	prev := ""
	if i := slices.IndexFunc(head, func(n *element) bool { return n.key[0] == kindVMA }); i >= 0 {
		prev = head[i].name
	}
	for _, k := range []int{kindAVC, kindAnonVMA, kindPage, kindSwap} {
		col := cols[k]
		sortColumn(col, k, kind, near, height, life)
		p.nodes = append(p.nodes, col...)
		p.chain(col)
		if prev != "" && len(col) > 0 {
			p.topEdge(prev, col[0].name)
			prev = col[0].name
		}
	}
}

// sortColumn sorts a column of kind k by height, the height of each
// node that of the highest of its neighbours in earlier columns, then by
// the first picture that draws it; it records the heights.
func sortColumn(col []*element, k int, kind map[string]int, near map[string][]string, height map[string]float64, life map[string]lifetime) {
	for _, n := range col {
		h := math.Inf(1)
		for _, m := range near[n.name] {
			if v, ok := height[m]; ok && kind[m] < k {
				h = min(h, v)
			}
		}
		height[n.name] = h
	}
	slices.SortStableFunc(col, func(a, b *element) int {
		return cmp.Or(cmp.Compare(height[a.name], height[b.name]),
			cmp.Compare(life["n "+a.name].first(), life["n "+b.name].first()))
	})
}

// topPull is how hard dot holds the top of a column level with the top
// of the column before it.
const topPull = 5

// topEdge holds the top of a column, to, level with the top of the one
// before it, from: dot would otherwise centre a short column on the
// objects it links to, most of which only later pictures draw, and even
// the first frame, cropped to what it shows, would reach down to it.
func (p *Picture) topEdge(from, to string) {
	p.edges = append(p.edges, &element{name: "top-" + from + "-" + to, from: from, to: to, class: "rank",
		attrs: []attr{str("style", "invis"), str("constraint", "true"), str("weight", strconv.Itoa(topPull))}})
}

// column is the column a kind of node is drawn in: a marker's is the
// pages'.
func column(kind int) int {
	if kind == kindMarker {
		return kindPage
	}
	return kind
}

// chain keeps nodes in their order, top to bottom, with invisible edges.
func (p *Picture) chain(nodes []*element) {
	for i := 1; i < len(nodes); i++ {
		a, b := nodes[i-1].name, nodes[i].name
		p.edges = append(p.edges, &element{name: "order-" + a + "-" + b, from: a, to: b,
			class: "rank", attrs: []attr{str("style", "invis"), str("constraint", "true")}})
	}
}

// first is the first picture of a lifetime, or MaxInt if it has none.
func (t lifetime) first() int {
	for i, w := range t {
		if w != 0 {
			return 64*i + bits.TrailingZeros64(w)
		}
	}
	return math.MaxInt
}
