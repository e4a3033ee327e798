package render

import (
	"strings"

	"github.com/avdoc/avdoc/engine"
)

// DOT returns a Graphviz DOT graph of st drawn as opt says: processes as
// clusters of VMAs, AVCs, anon_vmas and pages as nodes, the two lists and
// the pointers between them as edges. It is deterministic: the same state
// and options give the same bytes, whatever the order of opt.Only.
//
// The layout is fixed by columns (AVCs, anon_vmas, pages each share a
// rank) and by invisible "rank" edges that follow each object's own
// pointers left to right: VMA, AVC, anon_vma, page. Visible edges other
// than vma->anon_vma (which runs left to right anyway, and routes better
// when ranked) have constraint=false, so drawing lists or highlights does
// not move nodes to other columns.
func DOT(st *engine.State, opt Options) []byte { return Draw(st, opt).DOT() }

// design is the rmap design of the state's model (anon_vma_chain when the
// state names no model).
func design(st *engine.State) engine.Design {
	if st.Model == nil {
		return engine.DesignAnonVMAChain
	}
	return st.Model.Design
}

// drawing holds one call of [Draw]: its input, what to show, and the
// picture it builds.
type drawing struct {
	st       *engine.State
	opt      Options
	sc       scene
	walk     walkMarks
	p        *Picture
	avOwners []engine.ProcID // see avOwner; found when first needed
	names    *pageAddrs      // see addrs; found when first needed
}

// draw builds the picture of st, without change marks; memo carries work
// over from one draw to the next.
func draw(st *engine.State, opt Options, memo *ledToMemo) *Picture {
	d := &drawing{st: st, opt: opt, sc: selectScene(st, opt, memo), walk: newWalkMarks(opt.Walk),
		p: &Picture{opt: opt, pal: paletteOf(opt.Theme), st: st}}
	d.header()
	if d.tooBig() {
		d.summary()
		return d.p
	}
	d.legend()
	d.processes()
	d.avcNodes()
	d.anonVMANodes()
	d.pageNodes()
	d.swapNodes()
	d.oopsNode()
	d.p.setColumns()
	d.edges()
	d.p.desc = d.describe()
	d.p.title = d.summaryLine()
	return d.p
}

// edges adds every edge, the invisible ones that shape the layout first.
func (d *drawing) edges() {
	d.rankEdges()
	d.sameVMAEdges()
	d.sameAnonVMAEdges()
	d.anonVMAPointers()
	d.rootPointers()
	d.mappingEdges()
	d.pteEdges()
	d.swapEdges()
	d.walkEdges()
	d.titleEdges()
}

// edgeKinds names each kind of edge, by its first class, for titles.
func edgeKinds() map[string]string {
	return map[string]string{"same_vma": "same_vma list", "same_anon_vma": "same_anon_vma list",
		"anon_vma_list": "anon_vma's list of VMAs", "anon_vma_ptr": "vma->anon_vma", "root": "anon_vma->root",
		"mapping": "page->mapping", "pte": "PTE", "swapcache": "swap cache", "walk": "rmap walk", "oops": "oops"}
}

// titleEdges gives each visible edge a title in words: "page->mapping
// from page 1 to anon_vma P:heap".
func (d *drawing) titleEdges() {
	short := map[string]string{}
	for _, n := range d.p.nodes {
		short[n.name], _, _ = strings.Cut(n.title, ",")
	}
	kinds := edgeKinds()
	for _, e := range d.p.edges {
		kind, _, _ := strings.Cut(e.class, " ")
		if k, ok := kinds[kind]; ok && e.title == "" {
			e.title = k + " from " + short[e.from] + " to " + short[e.to]
		}
	}
}

func (d *drawing) header() {
	d.p.graph = []attr{str("class", "avdoc"), str("rankdir", "LR"), str("newrank", "true"),
		str("fontname", fontName), str("fontsize", "12"), str("fontcolor", d.c(cFG)), str("bgcolor", d.c(cBG)),
		str("nodesep", "0.2"), str("ranksep", "0.5")}
}

// c returns a colour of the drawing's theme.
func (d *drawing) c(c colour) string { return d.p.pal[c] }

// add adds a node to the picture.
func (d *drawing) add(n *element) { d.p.nodes = append(d.p.nodes, n) }

// link adds an edge to the picture and returns it.
func (d *drawing) link(id, from, to, class string, as ...attr) *element {
	e := &element{name: id, from: from, to: to, class: class, attrs: as}
	d.p.edges = append(d.p.edges, e)
	return e
}
