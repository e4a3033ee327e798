package render

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Layout gives every object of a story one place and one size, in all of
// the story's pictures (every step, under every kernel), so that stepping
// through them moves nothing. Graphviz does the work in two passes, which
// the caller runs and feeds back:
//
//  1. [Layout.SizingDOT] lists every look any node takes; laid out with
//     "nop" to "plain", it gives each look's natural size to
//     [Layout.SetSizes]. A caller that measures the looks it knows as
//     Graphviz would (see [Layout.Looks]) has Graphviz measure only the
//     others ([Layout.SizingDOTWithout], [Layout.SetMeasuredSizes]). A
//     node's slot is the largest of its looks.
//  2. [Layout.DOT] is the union of all the pictures, each node a blank box
//     the size of its slot; laid out with "dot" to "json0", it gives the
//     positions to [Layout.SetPositions].
//
// Then [Layout.Place] writes each picture with those positions, sizes and
// edge routes, for Graphviz's "nop2" to draw as they are. A Layout does no
// I/O.
type Layout struct {
	given   []*Picture            // the pictures as given, drawn with their own names
	pics    []*Picture            // the same, each VMA under its layout name (see rename.go)
	looks   []*element            // one node per distinct look, in first-seen order
	lookOf  map[string]int        // a look's index, by its DOT text
	lookAt  map[*element]int      // a look's index, by a node of the pictures that takes it
	keys    []string              // each look's DOT text
	looksOf map[string][]int      // each node's looks
	kindOf  map[string]int        // each node's kind
	size    map[string][2]int     // each node's slot, in points
	natural [][2]int              // each look's size, in points
	pos     map[string]string     // each node's centre, "x,y" in points
	xy      map[string][2]float64 // the same, read, where it reads (see [Layout.setPos])
	boxes   map[string]clusterBox // each cluster's box
	routes  map[string]string     // each edge's spline
	// each edge's spline's box, where any of its points reads (see [Layout.fitRoutes])
	routeBoxes map[string][4]float64
	bb         [4]float64
	pieces     map[string]string // each distinct look's piece, by its DOT text (see [Layout.PiecesScenes])

	alias     map[string]string   // each node's stand-in in the skeleton, if not itself (see share.go)
	edgeAlias map[string]string   // each edge's, likewise
	skelSize  map[string][2]int   // each stand-in's size, when it stands for others
	placeName map[*element]string // an element's name in the layout, if not its own (see rename.go)
}

// NewLayout starts the layout of the pictures, which must not change
// afterwards. There must be at least one.
func NewLayout(pics []*Picture) *Layout {
	l := &Layout{lookOf: map[string]int{}, lookAt: map[*element]int{}, looksOf: map[string][]int{}, kindOf: map[string]int{}}
	l.given, l.pics = pics, l.ownNames(pics)
	for _, p := range l.pics {
		for _, n := range p.nodes {
			l.addLook(n)
		}
		for _, c := range p.clusters {
			l.addLook(clusterLabel(c))
		}
	}
	return l
}

// Pictures is how many pictures the layout lays out.
func (l *Layout) Pictures() int { return len(l.pics) }

func (l *Layout) addLook(n *element) {
	k := lookKey(n)
	i, ok := l.lookOf[k]
	if !ok {
		i = len(l.looks)
		l.looks, l.keys, l.lookOf[k] = append(l.looks, n), append(l.keys, k), i
	}
	l.lookAt[n] = i
	l.kindOf[n.name] = n.key[0]
	if !slices.Contains(l.looksOf[n.name], i) {
		l.looksOf[n.name] = append(l.looksOf[n.name], i)
	}
}

// look returns the index of node n's look: the one noted when n was
// added, for a node of the layout's pictures, else found by its DOT text.
func (l *Layout) look(n *element) int {
	if i, ok := l.lookAt[n]; ok {
		return i
	}
	return l.lookOf[lookKey(n)]
}

// lookKey is the DOT text of what decides a node's size.
func lookKey(n *element) string {
	var w writer
	w.attrLine("", sizing(n)...)
	return w.b.String()
}

// sizing returns what of a node's attributes at natural size decides
// its size: all but those that only colour or stroke it. Graphviz sizes a
// node from its shape, label, font and margins (lib/common/shapes.c,
// poly_init); its colours, pen width and style (rounded, filled, dashed)
// change how it is drawn, not how large, so looks that differ only in
// them are measured once.
func sizing(n *element) []attr {
	var out []attr
	for _, a := range natural(n) {
		switch a.key {
		case "color", "fillcolor", "fontcolor", "penwidth", "style":
		default:
			out = append(out, a)
		}
	}
	return out
}

// natural returns a node's attributes with its label at natural size.
func natural(n *element) []attr {
	if n.table == nil {
		return n.attrs
	}
	return append(slices.Clip(n.attrs), html("label", n.table.body(0, 0)))
}

// SizingDOT returns a graph of one node per look, for Graphviz to measure.
func (l *Layout) SizingDOT() []byte { return l.SizingDOTWithout(nil) }

// SetSizes reads the sizes Graphviz measured from the laid-out
// [Layout.SizingDOT] in "plain" format. Each node's slot is as high as
// its tallest look and as wide as the widest node of its kind, so that
// each column lines up.
func (l *Layout) SetSizes(plain []byte) error { return l.SetMeasuredSizes(nil, plain) }

// SizesFrom takes the sizes Graphviz measured for layout o, whose
// pictures include all of l's: a scene's layout (see
// [Layout.SceneStarts]) needs no measuring of its own.
func (l *Layout) SizesFrom(o *Layout) error {
	sizes := make([][2]int, len(l.looks))
	for i, n := range l.looks {
		j, ok := o.lookOf[l.keys[i]]
		if !ok || j >= len(o.natural) {
			return fmt.Errorf("sizing node looks: %s was not measured", n.name)
		}
		sizes[i] = o.natural[j]
	}
	l.setSizes(sizes)
	return nil
}

// setSizes sets each look's natural size and each node's slot.
func (l *Layout) setSizes(sizes [][2]int) {
	l.natural, l.size = sizes, map[string][2]int{}
	widest := map[int]int{}
	for name, looks := range l.looksOf {
		for _, i := range looks {
			s := l.size[name]
			l.size[name] = [2]int{max(s[0], sizes[i][0]), max(s[1], sizes[i][1])}
		}
		widest[l.kindOf[name]] = max(widest[l.kindOf[name]], l.size[name][0])
	}
	for name, s := range l.size {
		if k := l.kindOf[name]; k != kindLegend && k != kindMarker {
			l.size[name] = [2]int{widest[k], s[1]}
		}
	}
}

// lookSizes reads each look's size but those measured already from
// Graphviz's measurements in "plain" format, whose node lines begin
// "node NAME X Y WIDTH HEIGHT", in inches.
func (l *Layout) lookSizes(plain []byte, measured map[int]LookSize) ([][2]int, error) {
	sizes := make([][2]int, len(l.looks))
	found := 0
	for line := range strings.Lines(string(plain)) {
		f := strings.Fields(line)
		if len(f) < 6 || f[0] != "node" {
			continue
		}
		num, ok := strings.CutPrefix(f[1], "look")
		i, err := strconv.Atoi(num)
		if _, done := measured[i]; !ok || err != nil || i < 0 || i >= len(sizes) || done {
			continue
		}
		w, h, err := points(f[1], f[4], f[5])
		if err != nil {
			return nil, err
		}
		sizes[i] = [2]int{w, h}
		found++
	}
	if found+len(measured) != len(l.looks) {
		return nil, fmt.Errorf("sizing node looks: Graphviz measured %d of %d", found, len(l.looks)-len(measured))
	}
	return sizes, nil
}

// Place returns picture p, one of the layout's, as DOT with every node,
// cluster and edge where the layout put it, and as large as the whole
// layout, for Graphviz's "nop2" to draw. Call it after
// [Layout.SetPositions].
func (l *Layout) Place(p *Picture) []byte {
	w := writer{id: p.opt.ID, lay: l}
	w.picture(p)
	return w.b.Bytes()
}

// nodeAttrs returns a placed node's position and size; a table label is
// sized by the returned width and height instead. The legend alone keeps
// its own size, its top left corner where the layout put the slot's.
func (l *Layout) nodeAttrs(n *element) (as []attr, w, h int) {
	s, pos := l.size[l.nameOf(n)], l.pos[l.nameOf(n)]
	if n.name == "legend" {
		s = l.natural[l.look(n)]
		pos = fmt.Sprintf("%g,%g", l.bb[0]+float64(s[0])/2, l.bb[3]-float64(s[1])/2)
	}
	as = []attr{str("pos", pos)}
	if n.table != nil {
		return as, s[0], s[1]
	}
	return append(as, str("width", inches(s[0])), str("height", inches(s[1])), str("fixedsize", "true")), 0, 0
}

// clusterBox is a process's box in the layout, in points: its bounding
// box and its label's position.
type clusterBox struct {
	bb [4]float64
	lp [2]float64
}

// clusterAttrs returns a process's box in picture p as Graphviz's bb and
// lp attributes (see [Layout.clusterBB]).
func (l *Layout) clusterAttrs(p *Picture, c *cluster) []attr {
	bb, ok := l.clusterBB(p, c)
	if !ok {
		return nil
	}
	lp := l.boxes[c.name].lp
	return []attr{str("bb", fmt.Sprintf("%g,%g,%g,%g", bb[0], bb[1], bb[2], bb[3])),
		str("lp", fmt.Sprintf("%g,%g", lp[0], lp[1]))}
}

// clusterBB returns a process's box in picture p, if the layout has
// one: the story's box, its bottom raised to just under the lowest VMA
// p draws of it, so that a frame does not keep the room of VMAs the
// process maps only in others.
func (l *Layout) clusterBB(p *Picture, c *cluster) ([4]float64, bool) {
	box, ok := l.boxes[c.name]
	if !ok {
		return box.bb, false
	}
	bb := box.bb
	lowest, any := bb[3], false
	for _, n := range p.nodes {
		if n.cluster != c.name {
			continue
		}
		if _, y, err := l.point(l.nameOf(n)); err == nil {
			lowest, any = min(lowest, y-float64(l.size[l.nameOf(n)][1])/2), true
		}
	}
	if any && lowest-clusterPad > bb[1] {
		bb[1] = lowest - clusterPad
	}
	return bb, true
}

func (l *Layout) edgeAttrs(e *element) []attr {
	if r, ok := l.routes[l.nameOf(e)]; ok {
		return []attr{str("pos", r)}
	}
	return nil
}

// cornerPoints returns the corners of the layout's bounding box.
func (l *Layout) cornerPoints() []string {
	return []string{fmt.Sprintf("%g,%g", l.bb[0], l.bb[1]), fmt.Sprintf("%g,%g", l.bb[2], l.bb[3])}
}

func inches(pt int) string { return fmt.Sprintf("%.4f", float64(pt)/72) }
