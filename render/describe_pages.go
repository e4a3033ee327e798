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
	ids      []string
}

// describePages says where the drawn pages point, one sentence per group
// of alike pages, groups ordered by their first page.
func describePages(st *engine.State, sc scene) []string {
	var groups []pageGroup
	for i, pg := range st.Pages {
		if !sc.page[i] {
			continue
		}
		k := pageGroup{mapping: pg.Mapping, mapcount: pg.Mapcount, swap: pg.Swap != 0}
		j := indexGroup(groups, k)
		if j < 0 {
			groups, j = append(groups, k), len(groups)
		}
		groups[j].ids = append(groups[j].ids, fmt.Sprint(pg.ID))
	}
	var out []string
	for _, g := range groups {
		out = append(out, g.sentence(st))
	}
	return out
}

func indexGroup(gs []pageGroup, k pageGroup) int {
	for i, g := range gs {
		if g.mapping == k.mapping && g.mapcount == k.mapcount && g.swap == k.swap {
			return i
		}
	}
	return -1
}

// sentence says "Page 1 (mapped 2 times) points at anon_vma P:heap." or
// "Pages 2 and 3 (each in the swap cache, mapped once) point at …".
func (g pageGroup) sentence(st *engine.State) string {
	state := "mapped " + times(g.mapcount)
	if g.swap {
		state = "in the swap cache, " + state
	}
	target := avPhrase(st, g.mapping)
	if len(g.ids) == 1 {
		return fmt.Sprintf("Page %s (%s) points at %s.", g.ids[0], state, target)
	}
	return fmt.Sprintf("Pages %s (each %s) point at %s.", andList(g.ids), state, target)
}
