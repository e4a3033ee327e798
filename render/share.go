package render

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// The union of a story's pictures keeps a place for every object that
// ever lived; objects never drawn in the same picture can share one.
// Processes whose lifetimes (the pictures that draw them) never meet
// share a slot, a run of the VMA column: the j-th VMA of each in the
// j-th place. An AVC shares the place of another of its VMA's place, an
// anon_vma, page or swap slot that of another of its column, whenever
// the two are never drawn together. The skeleton then lays out one
// stand-in per place, and every object is drawn where its stand-in is.

// lifetime is the set of pictures that draw an object, by index.
type lifetime []uint64

func (t lifetime) meets(o lifetime) bool {
	for i := range min(len(t), len(o)) {
		if t[i]&o[i] != 0 {
			return true
		}
	}
	return false
}

func (t lifetime) with(o lifetime) lifetime {
	out := slices.Clone(t)
	for len(out) < len(o) {
		out = append(out, 0)
	}
	for i, w := range o {
		out[i] |= w
	}
	return out
}

func (t *lifetime) set(i int) {
	for len(*t) <= i/64 {
		*t = append(*t, 0)
	}
	(*t)[i/64] |= 1 << (i % 64)
}

// lifetimes returns the pictures that draw each cluster ("c "+name),
// node ("n "+name) and edge ("e "+name).
func (l *Layout) lifetimes() map[string]lifetime {
	life := map[string]lifetime{}
	mark := func(key string, i int) {
		t := life[key]
		t.set(i)
		life[key] = t
	}
	for i, p := range l.pics {
		for _, c := range p.clusters {
			mark("c "+c.name, i)
		}
		for _, n := range p.nodes {
			mark("n "+n.name, i)
		}
		for _, e := range p.edges {
			mark("e "+e.name, i)
		}
	}
	return life
}

// places shares places among the union's objects: it returns each
// node's stand-in, if not itself, and the VMA column in its order,
// top to bottom, stand-ins only.
func (l *Layout) places(u *Picture, life map[string]lifetime) (map[string]string, []*element) {
	alias := map[string]string{}
	column := l.shareSlots(u, life, alias)
	owner := map[string]string{} // an AVC's VMA
	for _, e := range u.edges {
		if _, ok := owner[e.to]; !ok && l.kindOf[e.from] == kindVMA && l.kindOf[e.to] == kindAVC {
			owner[e.to] = e.from
		}
	}
	groups := map[string][]*element{}
	var anchors []string
	for _, n := range u.nodes {
		var anchor string
		switch k := n.key[0]; k {
		case kindAVC:
			anchor = "avc " + cmp.Or(alias[owner[n.name]], owner[n.name])
		case kindAnonVMA, kindPage, kindSwap:
			anchor = string(rune('0' + k))
		default:
			continue
		}
		if _, ok := groups[anchor]; !ok {
			anchors = append(anchors, anchor)
		}
		groups[anchor] = append(groups[anchor], n)
	}
	for _, a := range anchors {
		share(groups[a], life, alias)
	}
	return alias, column
}

// share gives each of nodes, in order, the place of the first before it
// whose place no picture that draws it also draws.
func share(nodes []*element, life map[string]lifetime, alias map[string]string) {
	ts := make([]lifetime, len(nodes))
	for k, n := range nodes {
		ts[k] = life["n "+n.name]
	}
	var reps []string
	for k, i := range firstFit(ts) {
		if i == len(reps) {
			reps = append(reps, nodes[k].name)
		} else {
			alias[nodes[k].name] = reps[i]
		}
	}
}

// firstFit gives each of the lifetimes, in order, the first place that no
// picture of it already uses, a new place if none, and returns each one's
// place: places are numbered as they are first used.
func firstFit(ts []lifetime) []int {
	var used []lifetime
	places := make([]int, len(ts))
	for k, t := range ts {
		i := slices.IndexFunc(used, func(u lifetime) bool { return !u.meets(t) })
		if i < 0 {
			used, i = append(used, nil), len(used)
		}
		used[i], places[k] = used[i].with(t), i
	}
	return places
}

// shareSlots puts processes whose lifetimes never meet in one slot, each
// the first process's label and sliver around places for the most VMAs
// any of them draws, and returns the VMA column: the slots in order.
func (l *Layout) shareSlots(u *Picture, life map[string]lifetime, alias map[string]string) []*element {
	runs := map[int][]*element{} // each process's run: its label, VMAs, sliver
	var procs []int
	for _, n := range u.nodes {
		if n.key[0] != kindVMA {
			continue
		}
		if _, ok := runs[n.key[1]]; !ok {
			procs = append(procs, n.key[1])
		}
		runs[n.key[1]] = append(runs[n.key[1]], n)
	}
	type slot struct {
		life lifetime
		runs [][]*element
	}
	var slots []*slot
	var odd []*element // a run without its spacers keeps its own places
	for _, p := range procs {
		if r := runs[p]; len(r) < 3 || r[0].name != topSpacer(fmt.Sprint("p", p)) || r[len(r)-1].name != bottomSpacer(fmt.Sprint("p", p)) {
			odd = append(odd, r...)
			continue
		}
		var t lifetime
		for _, n := range runs[p] {
			t = t.with(life["n "+n.name]).with(life["c "+n.cluster])
		}
		i := slices.IndexFunc(slots, func(s *slot) bool { return !s.life.meets(t) })
		if i < 0 {
			slots, i = append(slots, &slot{}), len(slots)
		}
		slots[i].life, slots[i].runs = slots[i].life.with(t), append(slots[i].runs, runs[p])
	}
	var column []*element
	for _, s := range slots {
		column = append(column, slotColumn(s.runs, alias)...)
	}
	return append(column, odd...)
}

// slotColumn lines up processes' runs in one slot: the j-th node of each
// in the j-th place, the labels and slivers each in the first run's.
func slotColumn(runs [][]*element, alias map[string]string) []*element {
	first := runs[0]
	top, bottom := first[0], first[len(first)-1]
	places := []*element{}
	for _, run := range runs {
		alias[run[0].name], alias[run[len(run)-1].name] = top.name, bottom.name
		for j, n := range run[1 : len(run)-1] {
			if j == len(places) {
				places = append(places, n)
			}
			alias[n.name] = places[j].name
		}
	}
	for _, n := range append(places, top, bottom) {
		delete(alias, n.name)
	}
	return append(append([]*element{top}, places...), bottom)
}

// standIns are the union's nodes that stand for their places: the VMA
// column in its order, the rest in theirs.
func standIns(nodes, column []*element, alias map[string]string) []*element {
	var out []*element
	for _, n := range nodes {
		switch {
		case n.key[0] == kindVMA:
		case n.key[0] > kindVMA && alias[n.name] == "":
			out = append(out, n)
		case n.key[0] < kindVMA:
			out = append(out, n)
		}
	}
	i := slices.IndexFunc(out, func(n *element) bool { return n.key[0] > kindVMA })
	if i < 0 {
		i = len(out)
	}
	return slices.Insert(out, i, column...)
}

// shareEdges ends each edge at its ends' stand-ins, and lets edges of
// one kind between the same stand-ins that no picture draws together
// share one route. It returns the skeleton's edges.
func (l *Layout) shareEdges(edges []*element, alias map[string]string, life map[string]lifetime) []*element {
	l.edgeAlias = map[string]string{}
	type key struct{ from, to, kind string }
	reps := map[key][]string{}
	used := map[string]lifetime{}
	var out []*element
	for _, e := range edges {
		k := key{cmp.Or(alias[e.from], e.from), cmp.Or(alias[e.to], e.to), strings.Fields(e.class + " -")[0]}
		t := life["e "+e.name]
		if i := slices.IndexFunc(reps[k], func(r string) bool { return !used[r].meets(t) }); i >= 0 {
			r := reps[k][i]
			l.edgeAlias[e.name], used[r] = r, used[r].with(t)
			continue
		}
		reps[k], used[e.name] = append(reps[k], e.name), t
		c := *e
		c.from, c.to = k.from, k.to
		out = append(out, &c)
	}
	for _, e := range out {
		e.attrs = setAttrs(e.attrs, str("weight", strconv.Itoa(earliness(used[e.name].first(), len(l.pics)))))
	}
	return out
}

// earlyPull is how much harder dot holds straight an edge the first
// picture draws than one only the last draws.
const earlyPull = 3

// earliness is the weight of an edge first drawn in picture first of n:
// from 1+earlyPull for the first down to 1, so that dot keeps short the
// edges of the first frames, which show little and are cropped to it,
// before those of the last, which show the whole story anyway.
func earliness(first, n int) int {
	return 1 + earlyPull*(n-min(first, n))/n
}

// slotSizes sizes each stand-in to hold every object in its place.
func (l *Layout) slotSizes(alias map[string]string) {
	l.skelSize = map[string][2]int{}
	for member, rep := range alias {
		s, r := l.size[member], l.size[rep]
		if o, ok := l.skelSize[rep]; ok {
			r = o
		}
		l.skelSize[rep] = [2]int{max(s[0], r[0]), max(s[1], r[1])}
	}
}

// sharePlaces puts every object where its stand-in is: its node's
// centre, its edge's route.
func (l *Layout) sharePlaces() {
	for member, rep := range l.alias {
		if p, ok := l.pos[rep]; ok {
			l.setPos(member, p)
		}
	}
	for e, rep := range l.edgeAlias {
		if r, ok := l.routes[rep]; ok {
			l.routes[e] = r
		}
	}
}
