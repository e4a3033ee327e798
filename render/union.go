package render

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
)

// The skeleton draws no clusters: dot would order them as it likes. Each
// process is a run of the VMA column instead, between two spacer nodes:
// its label above its VMAs, and a sliver below them. Its box is then
// drawn around that run, clusterPad points wider than the column.
const clusterPad = 8

func topSpacer(id string) string    { return "cltop_" + id }
func bottomSpacer(id string) string { return "clbot_" + id }

// clusterLabel is the spacer that holds a process's label in the
// skeleton, sorted before its VMAs.
func clusterLabel(c *cluster) *element {
	return &element{name: topSpacer(c.id), shape: "plaintext", key: order{kindVMA, c.key[1], -2},
		attrs: []attr{str("shape", "plaintext"), str("fontsize", "12"), str("margin", "0.08,0"),
			str("label", attrValue(c.attrs, "label"))}}
}

// DOT returns the union of the pictures, each node a blank box of its
// slot's size, for dot to lay out. Call it after [Layout.SetSizes].
func (l *Layout) DOT() []byte {
	w := writer{lay: l, skel: true}
	w.picture(l.union())
	return w.b.Bytes()
}

// union merges the pictures: each node, cluster and edge once, nodes
// and clusters sorted by kind and number (as in the last picture that
// draws them: a VMA's place in its process is its last address), edges
// in first-seen order.
func (l *Layout) union() *Picture {
	u := &Picture{pal: l.pics[0].pal, graph: l.pics[0].graph}
	seen := map[string]bool{"n legend": true} // the legend is placed apart
	last := map[string]order{}
	for _, p := range l.pics {
		for _, c := range p.clusters {
			if !seen["c "+c.name] {
				seen["c "+c.name] = true
				u.clusters = append(u.clusters, c)
				u.nodes = append(u.nodes, clusterLabel(c),
					&element{name: bottomSpacer(c.id), shape: "box", key: order{kindVMA, c.key[1], math.MaxInt}})
			}
		}
		for _, n := range p.nodes {
			last[n.name] = n.key
		}
		u.nodes = appendNew(u.nodes, p.nodes, seen, "n ")
		u.edges = appendNew(u.edges, p.edges, seen, "e ")
	}
	slices.SortStableFunc(u.nodes, func(a, b *element) int {
		ka, kb := cmp.Or(last[a.name], a.key), cmp.Or(last[b.name], b.key)
		return cmp.Or(slices.Compare(ka[:], kb[:]), cmp.Compare(a.name, b.name))
	})
	life := l.lifetimes()
	alias, column := l.places(u, life)
	l.alias = alias
	l.slotSizes(alias)
	u.nodes = standIns(u.nodes, column, alias)
	u.edges = l.shareEdges(u.edges, alias, life)
	u.orderColumns(life)
	u.setColumns()
	u.orderColumn(kindVMA)
	return u
}

func appendNew(to, from []*element, seen map[string]bool, kind string) []*element {
	for _, e := range from {
		if !seen[kind+e.name] {
			seen[kind+e.name] = true
			to = append(to, e)
		}
	}
	return to
}

// orderColumn keeps a column in the nodes' order, top to bottom, with a
// chain of invisible edges: the VMAs (with the processes' spacers) by
// process and address. The other columns order themselves around it.
func (p *Picture) orderColumn(kind int) {
	var col []string
	for _, n := range p.nodes {
		if n.key[0] == kind {
			col = append(col, n.name)
		}
	}
	for i := 1; i < len(col); i++ {
		p.edges = append(p.edges, &element{name: "order-" + col[i-1] + "-" + col[i], from: col[i-1], to: col[i],
			class: "rank", attrs: []attr{str("style", "invis"), str("constraint", "true")}})
	}
	if kind == kindVMA && len(col) > 1 {
		p.ranks = append(p.ranks, col)
	}
}

// skeleton returns a node's attributes in [Layout.DOT]: a blank box of
// the node's shape and its slot's size.
func (l *Layout) skeleton(n *element) []attr {
	s, ok := l.skelSize[n.name]
	if !ok {
		s, ok = l.size[n.name]
	}
	if !ok {
		s = [2]int{1, 1}
	}
	shape := n.shape
	if shape == "" || shape == "plaintext" {
		shape = "box"
	}
	return []attr{str("id", n.name), str("shape", shape), str("fixedsize", "true"),
		str("width", inches(s[0])), str("height", inches(s[1])), str("label", blankLabel)}
}

// blankLabel labels a node whose label Graphviz never draws or measures:
// one of fixed size, or invisible. It is not "": go-graphviz gives every
// node labelled "" its name as a label, one more call into WebAssembly
// for each (about 11 µs; a story's layouts and pieces hold hundreds).
const blankLabel = " "

// SetPositions reads the positions, cluster boxes and edge routes from
// the laid-out [Layout.DOT] in "json0" format.
func (l *Layout) SetPositions(json0 []byte) error {
	g, err := parseGraphJSON(json0)
	if err != nil {
		return err
	}
	l.bb, _ = parseBox(g.BB)
	l.pos, l.xy, l.routes = map[string]string{}, map[string][2]float64{}, map[string]string{}
	for _, o := range g.Objects {
		if o.Pos != "" {
			l.setPos(o.Name, o.Pos)
		}
	}
	for _, e := range g.Edges {
		if e.ID != "" && e.Pos != "" {
			l.routes[e.ID] = e.Pos
		}
	}
	l.sharePlaces()
	for name := range l.size {
		if _, ok := l.pos[name]; !ok && name != "legend" {
			return fmt.Errorf("node %s has no position in Graphviz's layout", name)
		}
	}
	if err := l.clusterBoxes(); err != nil {
		return err
	}
	l.fitRoutes()
	l.fitPeripheries()
	l.placeLegend()
	return nil
}

// clusterBoxes draws each process's box around its run of the VMA
// column, from the top of its label to the bottom of its sliver.
func (l *Layout) clusterBoxes() error {
	l.boxes = map[string]clusterBox{}
	for _, p := range l.pics {
		for _, c := range p.clusters {
			x, top, err := l.point(topSpacer(c.id))
			if err != nil {
				return err
			}
			_, bottom, err := l.point(bottomSpacer(c.id))
			if err != nil {
				return err
			}
			w, h := float64(l.size[topSpacer(c.id)][0]), float64(l.size[topSpacer(c.id)][1])
			box := [4]float64{x - w/2 - clusterPad, bottom - 1, x + w/2 + clusterPad, top + h/2}
			l.bb = [4]float64{min(l.bb[0], box[0]), min(l.bb[1], box[1]), max(l.bb[2], box[2]), max(l.bb[3], box[3])}
			l.boxes[c.name] = clusterBox{bb: box, lp: [2]float64{x, top}}
		}
	}
	return nil
}

// setPos sets a node's position, pos as Graphviz writes it, "x,y", and
// notes it read as numbers for [Layout.point] unless it does not read.
func (l *Layout) setPos(name, pos string) {
	l.pos[name] = pos
	if x, y, err := parsePoint(pos); err == nil {
		l.xy[name] = [2]float64{x, y}
	} else {
		delete(l.xy, name)
	}
}

// point returns a node's position.
func (l *Layout) point(name string) (x, y float64, err error) {
	p, ok := l.xy[name]
	if !ok {
		return 0, 0, fmt.Errorf("%s has no position in Graphviz's layout", name)
	}
	return p[0], p[1], nil
}

// fitRoutes grows the bounding box to hold every edge's control points:
// dot's box may leave out part of a curve, which nop2 would then draw
// outside, growing that one picture. It notes each route's box for
// [Layout.Prices].
func (l *Layout) fitRoutes() {
	l.routeBoxes = map[string][4]float64{}
	for e, r := range l.routes {
		b, ok := splineBox(r)
		if !ok {
			continue
		}
		l.routeBoxes[e] = b
		l.bb = [4]float64{min(l.bb[0], b[0]), min(l.bb[1], b[1]), max(l.bb[2], b[2]), max(l.bb[3], b[3])}
	}
}

// peripheryGap is the room Graphviz leaves between a node's outlines
// when it draws more than one.
const peripheryGap = 4

// fitPeripheries grows the bounding box to hold the outer outlines of
// the nodes drawn with more than one (a stack): Graphviz draws them
// outside the node's size, and the picture that draws such a node at the
// edge of the layout would otherwise be larger than the others.
func (l *Layout) fitPeripheries() {
	for _, p := range l.pics {
		for _, n := range p.nodes {
			k, err := strconv.Atoi(attrValue(n.attrs, "peripheries"))
			if err != nil || k < 2 {
				continue
			}
			x, y, err := l.point(n.name)
			if err != nil {
				continue
			}
			s := l.size[n.name]
			w, h := float64(s[0])/2+float64(peripheryGap*(k-1)), float64(s[1])/2+float64(peripheryGap*(k-1))
			l.bb = [4]float64{min(l.bb[0], x-w), min(l.bb[1], y-h), max(l.bb[2], x+w), max(l.bb[3], y+h)}
		}
	}
}

// legendGap is the space between the drawing and the legend above it.
const legendGap = 12

// placeLegend puts the legend above the drawing, at its left edge,
// where a reader starts.
func (l *Layout) placeLegend() {
	s, ok := l.size["legend"]
	if !ok {
		return
	}
	w, h := float64(s[0]), float64(s[1])
	y := l.bb[3] + legendGap + h/2
	l.setPos("legend", fmt.Sprintf("%g,%g", l.bb[0]+w/2, y))
	l.bb[3] = y + h/2
	l.bb[2] = max(l.bb[2], l.bb[0]+w)
}
