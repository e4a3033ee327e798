package render

import "github.com/avdoc/avdoc/engine"

// Picture is one drawing of a state, kept as data: its clusters, nodes and
// edges. [Picture.DOT] writes it for Graphviz's dot to lay out alone; a
// story's pictures can instead share one [Layout], so that every object
// keeps its place from step to step.
type Picture struct {
	opt      Options
	pal      palette
	graph    []attr // the graph's attributes, after its id
	clusters []*cluster
	nodes    []*element // in DOT order; a node in a cluster names it
	ranks    [][]string // node names that share a rank, one list per column
	edges    []*element
	desc     string
	title    string        // what the picture shows, in words
	key      []KeyEntry    // what its legend explains
	walk     string        // what its rmap walk did, or ""
	st       *engine.State // the state drawn, for [Picture.Text]
}

// cluster is one process: a subgraph drawn as a box around its VMAs.
type cluster struct {
	name  string // the DOT name, "cluster_p1"
	id    string // the id, "p1", before the prefix
	class string
	attrs []attr
	title string
	key   order
}

// element is one node or edge of a picture.
type element struct {
	name     string // a node's DOT name, or an edge's id; both before the prefix
	from, to string // an edge's ends; empty for a node
	cluster  string // a node's cluster, or "" for the root graph
	class    string
	attrs    []attr // every attribute but id, class and a table label
	table    *table // a node's HTML table label, or nil
	shape    string // a node's shape, for the layout skeleton
	title    string // what the element is, in words, for the SVG <title>
	sig      string // what the element shows; a change of it between steps marks it "changed"
	slot     string // a pointer edge's pointer, e.g. "mapping page3"; a move marks it "changed"
	span     [2]int // a page node's first and last page id: a run of pages is one node
	key      order
}

// order sorts the nodes of a story-wide layout: by kind, then by number.
type order [3]int

// The kinds of node, in layout order.
const (
	kindLegend = iota
	kindProc
	kindVMA
	kindAVC
	kindAnonVMA
	kindPage
	kindSwap
	kindMarker
)

// Draw returns the picture of st drawn as opt says. With opt.Prev set it
// marks what changed since that state (see [Options.Prev]).
func Draw(st *engine.State, opt Options) *Picture {
	if design(st) == engine.DesignPTEChain {
		opt.PTEs = true // 2.6.6's reverse map is the pages' chains of PTE pointers
	}
	var memo ledToMemo // the state before the step mostly shares st's page tables
	p := draw(st, opt, &memo)
	if opt.Prev != nil {
		before := opt
		before.Prev, before.Walk = nil, nil
		p.markChanges(draw(opt.Prev, before, &memo))
	}
	return p
}

// DOT writes the picture as a Graphviz graph for dot to lay out.
func (p *Picture) DOT() []byte {
	w := writer{id: p.opt.ID}
	w.picture(p)
	return w.b.Bytes()
}

// Describe says in words what the picture shows, for readers who cannot
// see it (alt text, an SVG <desc>).
func (p *Picture) Describe() string { return p.desc }

// Titles returns the words for each element's SVG <title>, by prefixed
// id: what the object or pointer is, and how it changed.
func (p *Picture) Titles() map[string]string {
	out := map[string]string{p.opt.ID + "graph": p.title}
	for _, c := range p.clusters {
		out[p.opt.ID+c.id] = c.title
	}
	for _, es := range [][]*element{p.nodes, p.edges} {
		for _, e := range es {
			if e.title != "" {
				out[p.opt.ID+e.name] = e.title
			}
		}
	}
	return out
}
