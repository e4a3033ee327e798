package render

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Piece is one drawn element of a placed picture: which piece of
// [Layout.PiecesDOT] draws it, and what the SVG says of it.
type Piece struct {
	Name  string // the piece in the pieces graph: "graph", "cluster_q3", "n7" or "e12"
	Kind  string // "graph", "cluster", "node" or "edge"
	ID    string // the element's id, with the picture's prefix
	Class string // its classes as Graphviz writes them, "node vma added"
	Title string // Graphviz's own title: the DOT name, or "tail->head"
}

// pieceKey is the DOT text of what decides how an element is drawn.
func pieceKey(kind string, as []attr) string {
	var w writer
	w.attrLine(kind, as...)
	return w.b.String()
}

// PiecesDOT returns every distinct look of every cluster, node and edge
// of the layout's pictures, each where the layout places it, in one graph
// as large as the layout, for Graphviz's "nop2" to draw once to "json".
// Its drawing operations, piece by piece, are then every frame of the
// story: [Layout.Scene] lists a picture's pieces. Call it after
// [Layout.SetPositions].
func (l *Layout) PiecesDOT() []byte {
	l.pieces = map[string]string{}
	w := writer{lay: l}
	body := writer{lay: l}
	for _, p := range l.pics {
		for _, c := range p.clusters {
			l.clusterPiece(&body, w.clusterLook(p, c))
		}
		for _, n := range p.nodes {
			l.nodePiece(&body, w.nodeLook(n))
		}
		for _, e := range p.edges {
			l.edgePiece(&body, w.edgeLook(e))
		}
	}
	p := l.pics[0]
	w.b.WriteString("digraph pieces {\n")
	w.attrLine("\tgraph", append([]attr{str("id", "graph")}, p.graph...)...)
	w.attrLine("\tnode", str("fontname", fontName), str("fontsize", "11"), str("fontcolor", p.pal[cFG]), str("color", p.pal[cFG]))
	w.attrLine("\tedge", str("arrowsize", "0.7"), str("penwidth", "1.3"), str("constraint", "false"))
	w.corners()
	w.attrLine("\tend0", invisiblePoint(w.lay.cornerPoints()[0])...)
	w.attrLine("\tend1", invisiblePoint(w.lay.cornerPoints()[0])...)
	w.b.Write(body.b.Bytes())
	w.b.WriteString("}\n")
	return w.b.Bytes()
}

func invisiblePoint(pos string) []attr {
	return []attr{str("style", "invis"), str("shape", "point"), str("width", "0.01"), str("height", "0.01"),
		str("fixedsize", "true"), str("label", ""), str("pos", pos)}
}

// invisible reports whether attributes draw nothing.
func invisible(as []attr) bool { return strings.Contains(attrValue(as, "style"), "invis") }

// piece returns the name of the piece of key, and whether it is new.
func (l *Layout) piece(key, prefix string) (string, bool) {
	if name, ok := l.pieces[key]; ok {
		return name, false
	}
	name := fmt.Sprintf("%s%d", prefix, len(l.pieces))
	l.pieces[key] = name
	return name, true
}

// clusterPiece adds a cluster's look: a subgraph holding one invisible
// point, so that Graphviz draws its box and label.
func (l *Layout) clusterPiece(w *writer, as []attr) {
	name, isNew := l.piece(pieceKey("cluster", as), "cluster_q")
	if !isNew || invisible(as) {
		return
	}
	fmt.Fprintf(&w.b, "\tsubgraph %s {\n", name)
	w.attrLine("\t\tgraph", as...)
	w.attrLine("\t\t"+name+"_in", invisiblePoint(attrValue(as, "lp"))...)
	w.b.WriteString("\t}\n")
}

func (l *Layout) nodePiece(w *writer, as []attr) {
	if name, isNew := l.piece(pieceKey("node", as), "n"); isNew && !invisible(as) {
		w.attrLine("\t"+name, as...)
	}
}

// edgePiece adds an edge's look between two invisible points: placed by
// its route, an edge is drawn alike whatever its ends.
func (l *Layout) edgePiece(w *writer, as []attr) {
	if name, isNew := l.piece(pieceKey("edge", as), "e"); isNew && !invisible(as) {
		w.attrLine("\tend0 -> end1", append([]attr{str("id", name)}, as...)...)
	}
}

// Scene lists the pieces picture p is drawn with, in the order Graphviz
// draws a graph: the background, the clusters, then each node in turn
// followed by its out-edges, each edge after its head. p must be one of
// the layout's pictures; call it after [Layout.PiecesDOT].
func (l *Layout) Scene(p *Picture) []Piece {
	w := writer{lay: l}
	id := p.opt.ID
	out := []Piece{{Name: "graph", Kind: "graph", ID: id + "graph", Class: classes("graph", attrValue(p.graph, "class"))}}
	for _, c := range p.clusters {
		if as := w.clusterLook(p, c); !invisible(as) {
			out = append(out, Piece{Name: l.pieces[pieceKey("cluster", as)], Kind: "cluster",
				ID: id + c.id, Class: classes("cluster", c.class), Title: c.name})
		}
	}
	return append(out, l.walkScene(p, &w)...)
}

// walkScene is Graphviz's breadth-first drawing order of nodes and edges.
func (l *Layout) walkScene(p *Picture, w *writer) []Piece {
	var out []Piece
	byName, drawn := map[string]*element{}, map[string]bool{}
	for _, n := range p.nodes {
		byName[n.name] = n
	}
	order := nodeOrder(p)
	out2 := outEdges(p, order)
	node := func(name string) {
		n := byName[name]
		if n == nil || drawn[name] {
			return
		}
		drawn[name] = true
		if as := w.nodeLook(n); !invisible(as) {
			out = append(out, Piece{Name: l.pieces[pieceKey("node", as)], Kind: "node",
				ID: p.opt.ID + n.name, Class: classes("node", n.class), Title: n.name})
		}
	}
	for _, name := range order {
		node(name)
		for _, e := range out2[name] {
			node(e.to)
			if as := w.edgeLook(e); !invisible(as) {
				out = append(out, Piece{Name: l.pieces[pieceKey("edge", as)], Kind: "edge",
					ID: p.opt.ID + e.name, Class: classes("edge", e.class), Title: e.from + "->" + e.to})
			}
		}
	}
	return out
}

// outEdges lists each node's out-edges as Graphviz keeps them: by the
// order their heads were made in, then their own.
func outEdges(p *Picture, order []string) map[string][]*element {
	seq := map[string]int{}
	for i, n := range order {
		seq[n] = i
	}
	out := map[string][]*element{}
	for _, e := range p.edges {
		out[e.from] = append(out[e.from], e)
	}
	for _, es := range out {
		slices.SortStableFunc(es, func(a, b *element) int { return cmp.Compare(seq[a.to], seq[b.to]) })
	}
	return out
}

// nodeOrder is the order the placed DOT creates its nodes in: each
// cluster's, then the rest (see [writer.picture]).
func nodeOrder(p *Picture) []string {
	var out []string
	for _, c := range p.clusters {
		for _, n := range p.nodes {
			if n.cluster == c.name {
				out = append(out, n.name)
			}
		}
	}
	for _, n := range p.nodes {
		if n.cluster == "" {
			out = append(out, n.name)
		}
	}
	return out
}
