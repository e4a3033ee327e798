package render

import (
	"cmp"
	"slices"
)

// One layout for all of a story's steps keeps a place for every object
// any step draws, so a frame's objects sit among the rows of objects it
// does not draw. A story can instead be cut into scenes, runs of
// consecutive steps each with a layout of its own: objects keep their
// places within a scene, and move only where a new one starts. Two
// measures of the price of keeping places, in area, decide where:
//
//   - [Layout.SceneStarts] estimates it before any layout, from the sizes
//     Graphviz measured and the structure of dot's left-to-right layouts:
//     each rank is a column (VMAs, AVCs, anon_vmas, pages) whose nodes dot
//     stacks top to bottom. A frame alone is as wide as its columns and as
//     tall as its tallest stack. On a scene's layout, processes take slots
//     in the VMA column (share.go), each slot a band as tall as its VMAs
//     or the AVCs beside them, first drawn first (order.go); a node right
//     of the AVCs sits level with the middle of the nodes it links to; and
//     a frame reaches down to the lowest place it draws.
//   - [Layout.Prices] measures it on a scene's layout once laid out, which
//     the scene needs anyway, against the same estimate of each frame
//     alone.

// Dot's separations in points: nodesep and ranksep of [Picture.DOT].
const (
	sceneNodesep = 14.4
	sceneRanksep = 36
	scenePad     = 4 // the margin of a drawn frame
)

// SceneStarts cuts the layout's pictures into scenes and returns the
// first step of each, the first 0. The pictures are runs of steps steps
// each, run by run (kernels side by side share scenes): a scene grows
// step by step while every frame in it, under every kernel, stays within
// bound times the area it is estimated to take laid out alone. Call it
// after [Layout.SetSizes].
func (l *Layout) SceneStarts(steps int, bound float64) []int {
	starts := []int{0}
	if steps <= 0 || len(l.pics)%steps != 0 {
		return starts
	}
	for e := 1; e < steps; e++ {
		if l.scenePrice(starts[len(starts)-1], e+1, steps) > bound {
			starts = append(starts, e)
		}
	}
	return starts
}

// scenePrice is the largest estimated price, in area, of a frame of
// steps [from, to) on their scene's layout.
func (l *Layout) scenePrice(from, to, steps int) float64 {
	var pics []*Picture
	for r := 0; r < len(l.pics)/steps; r++ {
		pics = append(pics, l.pics[r*steps+from:r*steps+to]...)
	}
	s := l.newSceneRows(pics)
	worst := 0.0
	for _, p := range pics {
		w, h := l.aloneExtent(p)
		sw, sh := s.extent(p)
		worst = max(worst, (sw+2*scenePad)*(sh+2*scenePad)/((w+2*scenePad)*(h+2*scenePad)))
	}
	return worst
}

// aloneExtent estimates the width and height dot gives p alone: its
// columns side by side, each node at its natural size.
func (l *Layout) aloneExtent(p *Picture) (w, h float64) {
	widths, heights := map[int]float64{}, map[int]float64{}
	for _, n := range p.nodes {
		c, ok := sceneColumn(n)
		if !ok {
			continue
		}
		s := l.natural[l.look(n)]
		widths[c] = max(widths[c], float64(s[0]))
		heights[c] += float64(s[1]) + sceneNodesep
	}
	for _, c := range p.clusters { // dot's box: a margin around its label and nodes
		heights[kindVMA] += float64(l.size[topSpacer(c.id)][1]) + 2*clusterPad
	}
	for c := kindProc; c <= kindSwap; c++ { // in order, for the same sum on every run
		if v, ok := widths[c]; ok {
			w += v + sceneRanksep
		}
	}
	for _, v := range heights {
		h = max(h, v)
	}
	return max(w-sceneRanksep, 1), max(h-sceneNodesep, 1)
}

// labelHeight is the room a process's box adds to the VMA column: its
// label above its VMAs and its sliver below them.
func (l *Layout) labelHeight(c *cluster) float64 {
	return float64(l.size[topSpacer(c.id)][1]) + 1 + 2*sceneNodesep
}

// sceneColumn is the column a node is drawn in, and whether it is in
// one.
func sceneColumn(n *element) (int, bool) {
	k := column(n.key[0])
	return k, k >= kindProc
}

// sceneRows is the places of a scene's layout, as dot would stack them:
// processes in slots of the VMA column, each slot a band as tall as its
// VMAs or the AVCs beside them, whichever is taller; the other columns
// stacked alone.
type sceneRows struct {
	place  map[string]int         // each entry's place in its stack (a process's, its slot)
	bottom map[int][]float64      // each column's places' bottoms, top to bottom; the VMAs' and AVCs', the bands'
	width  map[int]float64        // each column's width
	procOf map[string]string      // each VMA's process's box
	owner  map[string]string      // each AVC's VMA
	life   map[string]lifetime    // the scene's pictures that draw each entry
	cols   map[int][]*sceneEntry  // each column's entries
	height map[string]float64     // each entry's height, with the separation below it
	entry  map[string]*sceneEntry // each entry by name

	near   map[string][]string // each node's neighbours, by the scene's edges
	column map[string]int      // each node's column
	low    map[string]float64  // each node's bottom, right of the AVCs

	bandTop     []float64            // each slot's band's top
	groupTop    map[anchor]float64   // the top of each VMA's AVCs
	groupBottom map[anchor][]float64 // the bottoms of their places
}

// sceneEntry is a node, or in the VMA column a process, to be placed.
type sceneEntry struct {
	name   string
	anchor anchor // an AVC's place among its VMA's
}

// newSceneRows places the nodes of the scene's pictures: each, in order
// of first drawing, takes the first place of its column that no picture
// drawing it also draws, the VMA column slot by process.
func (l *Layout) newSceneRows(pics []*Picture) *sceneRows {
	s := &sceneRows{place: map[string]int{}, bottom: map[int][]float64{}, width: map[int]float64{},
		procOf: map[string]string{}, owner: map[string]string{}, life: map[string]lifetime{},
		cols: map[int][]*sceneEntry{}, height: map[string]float64{},
		entry: map[string]*sceneEntry{}, near: map[string][]string{}, column: map[string]int{}, low: map[string]float64{}}
	seen := map[[2]string]bool{}
	for i, p := range pics {
		s.addPicture(l, i, p)
		for _, e := range p.edges {
			if k := [2]string{e.from, e.to}; !seen[k] && e.from != e.to {
				seen[k] = true
				s.near[e.from], s.near[e.to] = append(s.near[e.from], e.to), append(s.near[e.to], e.from)
			}
		}
	}
	for c, col := range s.cols {
		if c != kindAVC {
			s.bottom[c] = s.stack(col)
		}
	}
	s.bands()
	for _, c := range []int{kindAnonVMA, kindPage, kindSwap} {
		for _, e := range s.cols[c] {
			s.pull(c, e.name)
		}
	}
	return s
}

// pull lowers a node right of the AVCs, of column c, towards the middle
// of its neighbours in the columns before it, as dot centres a node on
// the nodes it links to: an anon_vma that all of a thousand children's
// VMAs link to sits level with the middle child, even in the frame that
// draws only the parent.
func (s *sceneRows) pull(c int, name string) {
	h := s.height[name]
	centre := s.bottom[c][s.place[name]] - h/2
	var ys []float64
	for _, m := range s.near[name] {
		if mc, ok := s.column[m]; ok && mc < c {
			ys = append(ys, s.lowest(mc, m)-s.height[cmp.Or(s.procOf[m], m)]/2)
		}
	}
	if len(ys) > 0 {
		slices.Sort(ys)
		centre = max(centre, ys[(len(ys)-1)/2])
	}
	s.low[name] = centre + h/2
}

// addPicture adds the nodes of picture i, p.
func (s *sceneRows) addPicture(l *Layout, i int, p *Picture) {
	vmas := map[string]float64{}
	for _, n := range p.nodes {
		c, ok := sceneColumn(n)
		if !ok {
			continue
		}
		sz := l.size[n.name]
		s.width[c] = max(s.width[c], float64(sz[0]))
		s.column[n.name] = c
		if c == kindVMA && n.cluster != "" {
			s.procOf[n.name] = n.cluster
			vmas[n.cluster] += float64(sz[1]) + sceneNodesep
			continue
		}
		s.mark(c, n.name, i)
		s.height[n.name] = max(s.height[n.name], float64(sz[1])+sceneNodesep)
	}
	for _, c := range p.clusters {
		s.mark(kindVMA, c.name, i)
		s.height[c.name] = max(s.height[c.name], l.labelHeight(c)+vmas[c.name])
	}
	for _, e := range p.edges {
		if l.kindOf[e.from] == kindVMA && l.kindOf[e.to] == kindAVC && s.owner[e.to] == "" {
			s.owner[e.to] = e.from
		}
	}
}

// anchor is where a VMA's AVCs are stacked: the slot of the VMA's
// process in the VMA column, and the VMA.
type anchor struct {
	slot int
	vma  string
}

// bands makes each slot of the VMA column a band as tall as its
// processes or the AVCs of their VMAs, the AVCs of each VMA sharing
// places among themselves, and records where each band, and each VMA's
// AVCs, starts.
func (s *sceneRows) bands() {
	groups := map[anchor][]*sceneEntry{}
	var anchors []anchor
	for _, e := range s.cols[kindAVC] {
		slot := len(s.bottom[kindVMA]) // AVCs of no VMA: a band of their own, last
		if pl, ok := s.place[s.procOf[s.owner[e.name]]]; ok {
			slot = pl
		}
		e.anchor = anchor{slot, s.owner[e.name]}
		if _, ok := groups[e.anchor]; !ok {
			anchors = append(anchors, e.anchor)
		}
		groups[e.anchor] = append(groups[e.anchor], e)
	}
	tall := map[int]float64{}
	prev := 0.0
	for i, b := range s.bottom[kindVMA] {
		tall[i], prev = b-prev, b
	}
	avcs := map[int]float64{}
	s.groupTop, s.groupBottom = map[anchor]float64{}, map[anchor][]float64{}
	for _, a := range anchors {
		b := s.stack(groups[a])
		s.groupTop[a], s.groupBottom[a] = avcs[a.slot], b
		if len(b) > 0 {
			avcs[a.slot] += b[len(b)-1]
		}
	}
	sum := 0.0
	for i := 0; i < len(tall) || avcs[i] > 0; i++ {
		s.bandTop = append(s.bandTop, sum)
		sum += max(tall[i], avcs[i])
	}
	for _, a := range anchors {
		s.groupTop[a] += s.bandTop[a.slot]
	}
}

// mark records that picture i draws entry name of column c.
func (s *sceneRows) mark(c int, name string, i int) {
	t, ok := s.life[name]
	if !ok {
		s.entry[name] = &sceneEntry{name: name}
		s.cols[c] = append(s.cols[c], s.entry[name])
	}
	t.set(i)
	s.life[name] = t
}

// stack shares places among entries never drawn together, in order of
// first drawing, and returns each place's bottom.
func (s *sceneRows) stack(col []*sceneEntry) []float64 {
	slices.SortStableFunc(col, func(a, b *sceneEntry) int {
		return cmp.Compare(s.life[a.name].first(), s.life[b.name].first())
	})
	ts := make([]lifetime, len(col))
	for k, e := range col {
		ts[k] = s.life[e.name]
	}
	var tall []float64
	for k, i := range firstFit(ts) {
		if i == len(tall) {
			tall = append(tall, 0)
		}
		tall[i] = max(tall[i], s.height[col[k].name])
		s.place[col[k].name] = i
	}
	bottoms := make([]float64, len(tall))
	sum := 0.0
	for i, v := range tall {
		sum += v
		bottoms[i] = sum
	}
	return bottoms
}

// extent estimates the width and height of picture p, one of the
// scene's, cropped to what it shows on the scene's layout: every column
// up to its rightmost, and down to the lowest place it draws.
func (s *sceneRows) extent(p *Picture) (w, h float64) {
	right := -1
	for _, n := range p.nodes {
		c, ok := sceneColumn(n)
		if !ok {
			continue
		}
		right = max(right, c)
		h = max(h, s.lowest(c, n.name))
	}
	for c := kindProc; c <= right; c++ { // in order, for the same sum on every run
		if v, ok := s.width[c]; ok {
			w += v + sceneRanksep
		}
	}
	return max(w-sceneRanksep, 1), max(h-sceneNodesep, 1)
}

// lowest is the bottom of the place of node name, of column c: a VMA's,
// its process's in its band; an AVC's, its own among its VMA's.
func (s *sceneRows) lowest(c int, name string) float64 {
	switch c {
	case kindVMA:
		proc := cmp.Or(s.procOf[name], name)
		if pl, ok := s.place[proc]; ok && pl < len(s.bandTop) {
			return s.bandTop[pl] + s.height[proc]
		}
	case kindAVC:
		e := s.entry[name]
		if b := s.groupBottom[e.anchor]; e != nil && s.place[name] < len(b) {
			return s.groupTop[e.anchor] + b[s.place[name]]
		}
	default:
		if y, ok := s.low[name]; ok {
			return y
		}
		if pl, ok := s.place[name]; ok && pl < len(s.bottom[c]) {
			return s.bottom[c][pl]
		}
	}
	return 0
}

// Prices is, for each of the layout's pictures, the price of its places
// in area, measured on the laid-out layout: the box of its nodes and
// process boxes and the control points of its edges, from the layout's
// top left corner (below the legend), against the
// estimate of the picture alone. Call it after [Layout.SetPositions].
func (l *Layout) Prices() []float64 {
	out := make([]float64, len(l.pics))
	top := l.bb[3]
	if s, ok := l.size["legend"]; ok { // placed apart, above the rest
		top -= float64(s[1] + legendGap)
	}
	for i, p := range l.pics {
		right, bottom := l.bb[0], top
		for _, n := range p.nodes {
			x, y, err := l.point(n.name)
			if err != nil || n.name == "legend" {
				continue
			}
			s := l.size[n.name]
			right, bottom = max(right, x+float64(s[0])/2), min(bottom, y-float64(s[1])/2)
		}
		for _, e := range p.edges {
			if b, ok := l.routeBoxes[l.nameOf(e)]; ok {
				right, bottom = max(right, b[2]), min(bottom, b[1])
			}
		}
		for _, c := range p.clusters {
			if bb, ok := l.clusterBB(p, c); ok {
				right, bottom = max(right, bb[2]), min(bottom, bb[1])
			}
		}
		w, h := l.aloneExtent(p)
		out[i] = (right - l.bb[0] + 2*scenePad) * (top - bottom + 2*scenePad) / ((w + 2*scenePad) * (h + 2*scenePad))
	}
	return out
}
