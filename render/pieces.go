package render

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Piece is one drawn element of a placed picture: which piece of
// [Layout.PiecesScenes] draws it, and what the SVG says of it.
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

// Pieces is what draws every frame of a layout: the pieces graph, for
// Graphviz's "nop2" to draw once to SVG; the pieces avdoc draws itself,
// from others Graphviz drew ([Derived]) or from their routes alone
// ([DrawnEdge]); and each picture's [Layout.Scene].
type Pieces struct {
	DOT      []byte
	Scenes   [][]Piece
	Derived  []Derived
	Edges    []DrawnEdge
	Clusters []DrawnCluster
	Nodes    []DrawnNode
	Tables   []DrawnTable
	// Origin is where Graphviz's drawing of the pieces graph puts the
	// layout's (0, 0): it moves the drawing so that its box starts there.
	Origin [2]float64
	// Blank says that Graphviz would draw nothing of the pieces graph
	// but its background, of colour Background, over a box Size large
	// (see [blankGraph]): its drawing can be had without Graphviz.
	Blank      bool
	Background string
	Size       [2]float64 // the box's width and height, as Graphviz measures it
}

// PiecesScenes returns the pieces of every distinct look of every
// cluster, node and edge of the layout's pictures, each where the layout
// places it, in a graph as large as the layout. Their drawing, piece by
// piece, is every frame of the story. It also returns the [Layout.Scene]
// of each of the layout's pictures, in their order, from one look at
// each element (finding an element's look writes its DOT text). Call it
// after [Layout.SetPositions].
func (l *Layout) PiecesScenes() Pieces {
	l.pieces = map[string]string{}
	w := writer{lay: l}
	body := writer{lay: l}
	out := Pieces{Scenes: make([][]Piece, len(l.given))}
	defaults := nodeDefaults(l.given[0])
	for i, p := range l.given {
		lk := looks{}
		for _, c := range p.clusters {
			lk.visible(c, w.clusterLook(p, c), func(as []attr) string { return l.clusterPiece(&body, as, &out.Clusters) })
		}
		for _, n := range p.nodes {
			lk.visible(n, w.nodeLook(n), func(as []attr) string { return l.nodePiece(&body, as, defaults, &out) })
		}
		for _, e := range p.edges {
			lk.visible(e, w.edgeLook(e), func(as []attr) string { return l.edgePiece(&body, as, &out.Edges) })
		}
		out.Scenes[i] = l.scene(p, lk)
	}
	p := l.given[0]
	w.b.WriteString("digraph pieces {\n")
	w.attrLine("\tgraph", append([]attr{str("id", "graph")}, p.graph...)...)
	w.attrLine("\tnode", defaults...)
	w.attrLine("\tedge", str("arrowsize", edgeArrowSize), str("penwidth", edgePenWidth), str("constraint", "false"))
	w.corners()
	w.attrLine("\tend0", invisiblePoint(w.lay.cornerPoints()[0])...)
	w.attrLine("\tend1", invisiblePoint(w.lay.cornerPoints()[0])...)
	w.b.Write(body.b.Bytes())
	w.b.WriteString("}\n")
	out.DOT = w.b.Bytes()
	out.Origin = [2]float64{-(l.bb[0] - cornerHalf), -(l.bb[1] - cornerHalf)}
	out.Size = [2]float64{(l.bb[2] + cornerHalf) - (l.bb[0] - cornerHalf), (l.bb[3] + cornerHalf) - (l.bb[1] - cornerHalf)}
	out.Background, out.Blank = blankGraph(p.graph, body.b.Len())
	return out
}

// blankGraph returns the background colour of a pieces graph of
// attributes graph whose body (beyond its corner and end points, which
// are invisible) is body bytes long, and whether Graphviz draws nothing
// of it but that background: its body is empty, and its attributes but
// a background of a colour "#rrggbb" draw nothing (a graph's font draws
// no label of its own, and its nodes are placed already).
func blankGraph(graph []attr, body int) (string, bool) {
	bg, ok := "", body == 0
	for _, a := range graph {
		switch a.key {
		case "bgcolor":
			bg = a.val
		case "class", "rankdir", "newrank", "nodesep", "ranksep", "fontname", "fontsize", "fontcolor":
		default:
			ok = false
		}
		ok = ok && !a.html
	}
	return bg, ok && hexColour(bg)
}

// cornerHalf is half the size of the pieces graph's corner points, 0.01
// inch wide: the box of Graphviz's drawing starts that far beyond them.
const cornerHalf = 0.36

// nodeDefaults are the attributes of every node of the pieces graph.
func nodeDefaults(p *Picture) []attr {
	return []attr{str("fontname", fontName), str("fontsize", "11"), str("fontcolor", p.pal[cFG]), str("color", p.pal[cFG])}
}

// looks is the piece each cluster, node and edge of a picture is drawn
// with; what draws nothing has none.
type looks map[any]string

// visible notes the piece of x, whose look is as, that piece names
// (adding it if new), unless as draws nothing.
func (lk looks) visible(x any, as []attr, piece func([]attr) string) {
	name := piece(as)
	if !invisible(as) {
		lk[x] = name
	}
}

func invisiblePoint(pos string) []attr {
	return []attr{str("style", "invis"), str("shape", "point"), str("width", "0.01"), str("height", "0.01"),
		str("fixedsize", "true"), str("label", blankLabel), str("pos", pos)}
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

// clusterPiece adds a cluster's look: to drawn, if avdoc can draw it
// (see [DrawnCluster]), else as a subgraph holding one invisible point,
// so that Graphviz draws its box and label.
func (l *Layout) clusterPiece(w *writer, as []attr, drawn *[]DrawnCluster) string {
	name, isNew := l.piece(pieceKey("cluster", as), "cluster_q")
	if !isNew || invisible(as) {
		return name
	}
	if d, ok := drawnCluster(name, as, l.given[0].graph); ok {
		*drawn = append(*drawn, d)
		return name
	}
	fmt.Fprintf(&w.b, "\tsubgraph %s {\n", name)
	w.attrLine("\t\tgraph", as...)
	w.attrLine("\t\t"+name+"_in", invisiblePoint(attrValue(as, "lp"))...)
	w.b.WriteString("\t}\n")
	return name
}

// nodePiece adds a node's look to out's nodes or tables, if avdoc can
// draw it (see [DrawnNode] and [DrawnTable]), or the base it is drawn from (see [Derived]) if new to
// its derived pieces. A base is a piece too, named "m" and a number, by
// "base " and its DOT text.
func (l *Layout) nodePiece(w *writer, as []attr, defaults []attr, out *Pieces) string {
	key := pieceKey("node", as)
	name, isNew := l.piece(key, "n")
	if !isNew || invisible(as) {
		return name
	}
	if d, ok := drawnNode(name, as, defaults); ok {
		out.Nodes = append(out.Nodes, d)
		return name
	}
	if d, ok := drawnTable(name, as, defaults); ok {
		out.Tables = append(out.Tables, d)
		return name
	}
	base, d, ok := derive(as, key, defaults)
	if !ok {
		w.attrLine("\t"+name, as...)
		return name
	}
	baseName, isNewBase := l.piece("base "+pieceKey("node", base), "m")
	if isNewBase {
		w.attrLine("\t"+baseName, base...)
	}
	d.Name, d.Base = name, baseName
	out.Derived = append(out.Derived, d)
	return name
}

// edgePiece adds an edge's look: to drawn, if avdoc can draw it (see
// [DrawnEdge]), else between two invisible points, placed by its route,
// for Graphviz to draw (an edge is drawn alike whatever its ends).
func (l *Layout) edgePiece(w *writer, as []attr, drawn *[]DrawnEdge) string {
	name, isNew := l.piece(pieceKey("edge", as), "e")
	if !isNew || invisible(as) {
		return name
	}
	if d, ok := drawnEdge(name, as); ok {
		*drawn = append(*drawn, d)
		return name
	}
	w.attrLine("\tend0 -> end1", append([]attr{str("id", name)}, as...)...)
	return name
}

// Scene lists the pieces picture p is drawn with, in the order Graphviz
// draws a graph: the background, the clusters, then each node in turn
// followed by its out-edges, each edge after its head. p must be one of
// the layout's pictures; call it after [Layout.PiecesScenes].
func (l *Layout) Scene(p *Picture) []Piece {
	w := writer{lay: l}
	lk := looks{}
	piece := func(kind string) func([]attr) string {
		return func(as []attr) string { return l.pieces[pieceKey(kind, as)] }
	}
	for _, c := range p.clusters {
		lk.visible(c, w.clusterLook(p, c), piece("cluster"))
	}
	for _, n := range p.nodes {
		lk.visible(n, w.nodeLook(n), piece("node"))
	}
	for _, e := range p.edges {
		lk.visible(e, w.edgeLook(e), piece("edge"))
	}
	return l.scene(p, lk)
}

// scene is [Layout.Scene] of p, whose elements' pieces lk holds.
func (l *Layout) scene(p *Picture, lk looks) []Piece {
	id := p.opt.ID
	out := []Piece{{Name: "graph", Kind: "graph", ID: id + "graph", Class: classes("graph", attrValue(p.graph, "class"))}}
	for _, c := range p.clusters {
		if name, ok := lk[c]; ok {
			out = append(out, Piece{Name: name, Kind: "cluster", ID: id + c.id, Class: classes("cluster", c.class), Title: c.name})
		}
	}
	return append(out, walkScene(p, lk)...)
}

// walkScene is Graphviz's breadth-first drawing order of nodes and edges.
func walkScene(p *Picture, lk looks) []Piece {
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
		if piece, ok := lk[n]; ok {
			out = append(out, Piece{Name: piece, Kind: "node", ID: p.opt.ID + n.name, Class: classes("node", n.class), Title: n.name})
		}
	}
	for _, name := range order {
		node(name)
		for _, e := range out2[name] {
			node(e.to)
			if piece, ok := lk[e]; ok {
				out = append(out, Piece{Name: piece, Kind: "edge", ID: p.opt.ID + e.name, Class: classes("edge", e.class), Title: e.from + "->" + e.to})
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
