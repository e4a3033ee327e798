package render

import (
	"fmt"

	"github.com/avdoc/avdoc/engine"
)

// pageGroup is the pages that one sentence describes: those with the same
// page->mapping, mapcount and swap-cache state, in id order.
type pageGroup struct {
	mapping  engine.AVID
	mapcount int
	swap     bool
	ids      []idRange
}

// idRange is the pages lo..hi.
type idRange struct{ lo, hi engine.PageID }

// describePages says where the drawn pages point, one sentence per group
// of alike pages, groups ordered by their first page. A stacked run of
// pages counts all its pages.
func describePages(st *engine.State, sc scene, addrs func(engine.PageID) []string) []string {
	var groups []pageGroup
	for i := range sc.page.all() {
		pg := &st.Pages[i]
		k := pageGroup{mapping: pg.Mapping, mapcount: pg.Mapcount, swap: pg.Swap != 0}
		j := indexGroup(groups, k)
		if j < 0 {
			groups, j = append(groups, k), len(groups)
		}
		r := idRange{pg.ID, pg.ID}
		if run, ok := sc.pageRunOf(pg.ID); ok {
			r.hi = run.last
		}
		groups[j].add(r)
	}
	var out []string
	for _, g := range groups {
		out = append(out, g.sentence(st, addrs))
	}
	return out
}

// add adds pages r, joining them to the last range when they follow it.
func (g *pageGroup) add(r idRange) {
	if n := len(g.ids); n > 0 && g.ids[n-1].hi+1 == r.lo {
		g.ids[n-1].hi = r.hi
		return
	}
	g.ids = append(g.ids, r)
}

func indexGroup(gs []pageGroup, k pageGroup) int {
	for i, g := range gs {
		if g.mapping == k.mapping && g.mapcount == k.mapcount && g.swap == k.swap {
			return i
		}
	}
	return -1
}

// sentence says "Page 1 (P:heap:0, C:heap:0) is mapped 2 times and
// points at anon_vma P:heap." or "Pages 2 (P:heap:1) and 3 (P:heap:2)
// are each in the swap cache, mapped once, and point at …", and names a
// range of four or more pages by its ends, without addresses: "Pages 5
// to 1004". A page is named as its label names it (see pageAddrs).
func (g pageGroup) sentence(st *engine.State, addrs func(engine.PageID) []string) string {
	state := "mapped " + times(g.mapcount)
	if g.swap {
		state = "in the swap cache, " + state + ","
	}
	target := avPhrase(st, g.mapping)
	var names []string
	for _, r := range g.ids {
		switch {
		case r.hi-r.lo >= 3:
			names = append(names, fmt.Sprintf("%d to %d", r.lo, r.hi))
		default:
			for id := r.lo; id <= r.hi; id++ {
				names = append(names, named(fmt.Sprint(id), addrs(id)))
			}
		}
	}
	if len(names) == 1 && g.ids[0].lo == g.ids[0].hi {
		return fmt.Sprintf("Page %s is %s and points at %s.", names[0], state, target)
	}
	return fmt.Sprintf("Pages %s are each %s and point at %s.", andList(names), state, target)
}
