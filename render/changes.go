package render

import (
	"fmt"
	"regexp"
	"strings"
)

// The change marks, as classes.
const (
	markAdded   = "added"
	markChanged = "changed"
	markRemoved = "removed"
)

// markChanges compares the picture with before, the state before the step
// drawn the same way. A node or edge that is new is marked "added"; a node
// whose content changed, or a pointer edge that now points elsewhere,
// "changed"; and what went away is drawn once more, ghosted, as
// "removed". Walks, the legend and layout edges are never marked.
func (p *Picture) markChanges(before *Picture) {
	if p.summarized() || before.summarized() {
		return
	}
	var got changeList
	p.markNodes(before, &got)
	p.markEdges(before, &got)
	p.ghostNodes(before, &got)
	p.ghostEdges(before)
	p.setColumns()
	if s := got.sentence(); s != "" {
		p.desc += " " + s
	}
	p.legendMarks(got)
}

// summarized reports whether the picture is a summary note.
func (p *Picture) summarized() bool { return len(p.nodes) == 1 && p.nodes[0].name == "summary" }

// changeList collects what changed, in words, for the description.
type changeList struct{ added, changed, removed []string }

func (l changeList) sentence() string {
	var out []string
	for _, part := range []struct {
		what  string
		items []string
	}{{"New in this step", l.added}, {"Changed", l.changed}, {"Gone", l.removed}} {
		if items := nonEmpty(part.items); len(items) > 0 {
			out = append(out, part.what+": "+shortList(items)+".")
		}
	}
	return strings.Join(out, " ")
}

func nonEmpty(items []string) []string {
	var out []string
	for _, s := range items {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// shortList joins at most eight items, saying how many more there are.
func shortList(items []string) string {
	if len(items) > 8 {
		return strings.Join(items[:8], "; ") + fmt.Sprintf("; and %d more", len(items)-8)
	}
	return strings.Join(items, "; ")
}

// unmarked reports whether an element never carries a change mark.
func unmarked(e *element) bool {
	return e.name == "legend" || strings.HasSuffix(e.name, "_empty") ||
		hasClass(e, "rank") || hasClass(e, "walk") || hasClass(e, "oops")
}

func hasClass(e *element, c string) bool { return strings.Contains(" "+e.class+" ", " "+c+" ") }

func (p *Picture) markNodes(before *Picture, got *changeList) {
	old := byName(before.nodes)
	for _, n := range p.nodes {
		o := old[n.name]
		switch {
		case unmarked(n):
		case o == nil && covered(before.nodes, n), o != nil && o.sig != n.sig:
			got.changed = append(got.changed, n.title)
			p.mark(n, markChanged, cChanged)
		case o == nil:
			got.added = append(got.added, n.title)
			p.mark(n, markAdded, cAdded)
		}
	}
}

func (p *Picture) markEdges(before *Picture, got *changeList) {
	old, moved := byName(before.edges), map[string]bool{}
	for _, e := range before.edges {
		if e.slot != "" {
			moved[e.slot] = true
		}
	}
	for _, e := range p.edges {
		switch {
		case unmarked(e) || old[e.name] != nil:
		case e.slot != "" && moved[e.slot]:
			got.changed = append(got.changed, e.title)
			e.class = classes(e.class, markChanged)
			e.attrs = setAttrs(e.attrs, str("color", p.pal[cChanged]), str("penwidth", "2.6"))
			e.title = joinTitle(e.title, "moved in this step")
		default:
			e.class = classes(e.class, markAdded)
			e.attrs = setAttrs(e.attrs, str("penwidth", "2.2"))
			e.title = joinTitle(e.title, "new in this step")
		}
	}
}

// mark outlines a node in the colour of its mark, unless it is already
// outlined as freed, walked or oopsed on.
func (p *Picture) mark(n *element, class string, c colour) {
	n.title = joinTitle(n.title, map[string]string{markAdded: "new in this step", markChanged: "changed in this step"}[class])
	hot := hasClass(n, "freed") || hasClass(n, "walk") || hasClass(n, "oops")
	n.class = classes(n.class, class)
	if hot {
		return
	}
	if n.table != nil {
		n.table.attrs = setTableColor(n.table.attrs, p.pal[c])
		return
	}
	n.attrs = setAttrs(n.attrs, str("color", p.pal[c]), str("penwidth", "2.2"))
}

// ghostNodes draws, ghosted, the nodes of before that are gone, in their
// process's cluster (itself a ghost if the process is gone).
func (p *Picture) ghostNodes(before *Picture, got *changeList) {
	now := byName(p.nodes)
	live := map[string]bool{}
	for _, c := range p.clusters {
		live[c.name] = true
	}
	for _, c := range before.clusters {
		if !live[c.name] {
			p.clusters = append(p.clusters, p.ghostCluster(c))
			got.removed = append(got.removed, c.title)
		}
	}
	for _, n := range before.nodes {
		empty := strings.HasSuffix(n.name, "_empty") && live[n.cluster]
		if now[n.name] != nil || n.name == "legend" || empty || covered(p.nodes, n) {
			continue
		}
		p.nodes = append(p.nodes, p.ghostNode(n))
		if !strings.HasSuffix(n.name, "_empty") {
			got.removed = append(got.removed, n.title)
		}
	}
}

func (p *Picture) ghostCluster(c *cluster) *cluster {
	g := *c
	g.class = classes(c.class, markRemoved)
	g.title = joinTitle(c.title, "gone in this step")
	g.attrs = setAttrs(c.attrs, str("color", p.pal[cGhost]), str("fontcolor", p.pal[cGhost]), str("style", "rounded,dashed"))
	return &g
}

var bgcolor = regexp.MustCompile(`BGCOLOR="[^"]*"`)

func (p *Picture) ghostNode(n *element) *element {
	g := *n
	g.class = classes(n.class, markRemoved)
	g.title = joinTitle(n.title, "gone in this step")
	g.attrs = setAttrs(n.attrs, str("color", p.pal[cGhost]), str("fontcolor", p.pal[cGhost]))
	if g.table != nil {
		t := *n.table
		t.attrs = setTableColor(t.attrs, p.pal[cGhost])
		t.rows = make([]string, len(n.table.rows))
		for i, r := range n.table.rows {
			t.rows[i] = bgcolor.ReplaceAllString(r, `BGCOLOR="`+p.pal[cBG]+`"`)
		}
		g.table = &t
		return &g
	}
	style := strings.Trim(strings.ReplaceAll(attrValue(n.attrs, "style"), "filled", "")+",dashed", ",")
	g.attrs = setAttrs(g.attrs, str("style", strings.ReplaceAll(style, ",,", ",")), str("penwidth", "1"))
	return &g
}

// ghostEdges draws, ghosted, the edges of before that are gone.
func (p *Picture) ghostEdges(before *Picture) {
	now := byName(p.edges)
	for _, e := range before.edges {
		if now[e.name] != nil || hasClass(e, "walk") || hasClass(e, "oops") {
			continue
		}
		g := *e
		if !hasClass(e, "rank") {
			g.class = classes(e.class, markRemoved)
			g.title = joinTitle(e.title, "gone in this step")
			g.attrs = setAttrs(e.attrs, str("color", p.pal[cGhost]), str("style", "dashed"))
		}
		p.edges = append(p.edges, &g)
	}
}

// legendMarks explains the change marks the picture uses, in its key and
// in its legend if it has one.
func (p *Picture) legendMarks(got changeList) {
	var lg *element
	for _, n := range p.nodes {
		if n.name == "legend" {
			lg = n
		}
	}
	for _, m := range []struct {
		on   bool
		c    colour
		text string
	}{{len(got.added) > 0, cAdded, "new in this step"}, {len(got.changed) > 0, cChanged, "changed, or pointer moved"},
		{len(got.removed) > 0, cGhost, "gone in this step"}} {
		if !m.on {
			continue
		}
		e := keyEntry(m.c, "solid", m.text)
		p.key = append(p.key, e)
		if lg != nil {
			lg.table.rows = append(lg.table.rows, `<TD>`+swatch(p.pal[m.c], "")+`</TD><TD ALIGN="LEFT">`+m.text+`</TD>`)
		}
	}
}

// covered reports whether one of nodes draws the page n starts with, as
// part of a run of pages: a run that grows, shrinks or splits keeps its
// pages.
func covered(nodes []*element, n *element) bool {
	if n.span[0] == 0 {
		return false
	}
	for _, o := range nodes {
		if o.span[0] != 0 && o.span[0] <= n.span[0] && n.span[0] <= o.span[1] {
			return true
		}
	}
	return false
}

func byName(es []*element) map[string]*element {
	out := make(map[string]*element, len(es))
	for _, e := range es {
		out[e.name] = e
	}
	return out
}

// setAttrs returns as with each of set replacing the attribute of the
// same key, or added at the end. It never modifies as.
func setAttrs(as []attr, set ...attr) []attr {
	out := append([]attr(nil), as...)
	for _, s := range set {
		i := 0
		for i < len(out) && out[i].key != s.key {
			i++
		}
		if i == len(out) {
			out = append(out, s)
		} else {
			out[i] = s
		}
	}
	return out
}

func attrValue(as []attr, key string) string {
	for _, a := range as {
		if a.key == key {
			return a.val
		}
	}
	return ""
}

var tableColor = regexp.MustCompile(` COLOR="[^"]*"`)

func setTableColor(attrs, color string) string {
	return tableColor.ReplaceAllString(attrs, "") + ` COLOR="` + color + `"`
}

func joinTitle(title, note string) string {
	if title == "" {
		return ""
	}
	return title + " (" + note + ")"
}
