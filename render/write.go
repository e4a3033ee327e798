package render

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
)

// attr is one DOT attribute. A plain value is written as an escaped DOT
// string; an HTML value is already an escaped HTML-like label body.
type attr struct {
	key, val string
	html     bool
}

// str is an attribute with a plain string value.
func str(key, val string) attr { return attr{key: key, val: val} }

// html is an attribute with an HTML-like label value.
func html(key, body string) attr { return attr{key: key, val: body, html: true} }

// table is an HTML-like table label, kept apart from the other attributes
// so that a placed picture can give it the size of its slot in the layout.
type table struct {
	attrs   string   // the TABLE tag's attributes
	rows    []string // each row's cells, the first starting with "<TD"
	stretch bool     // widen the first cell to the slot's width (one-column tables)
}

// body returns the label, w×h points large when w > 0.
func (t *table) body(w, h int) string {
	var b strings.Builder
	b.WriteString("<TABLE " + t.attrs)
	if w > 0 {
		fmt.Fprintf(&b, ` WIDTH="%d" HEIGHT="%d"`, w, h)
	}
	b.WriteString(">")
	for i, r := range t.rows {
		if i == 0 && w > 0 && t.stretch {
			r = fmt.Sprintf(`<TD WIDTH="%d"`, w-2*tableBorder) + strings.TrimPrefix(r, "<TD")
		}
		b.WriteString("<TR>" + r + "</TR>")
	}
	b.WriteString("</TABLE>")
	return b.String()
}

// tableBorder is the outline width of the tables that stretch.
const tableBorder = 1

// writer writes a picture as DOT, in one of three modes.
type writer struct {
	b    bytes.Buffer
	id   string  // the id prefix
	lay  *Layout // positions and sizes; nil writes free DOT for dot
	skel bool    // write the layout skeleton: sized, unlabelled nodes
}

// attrLine writes head followed by an attribute list and a newline.
func (w *writer) attrLine(head string, as ...attr) {
	w.b.WriteString(head)
	w.b.WriteString(" [")
	for i, a := range as {
		if i > 0 {
			w.b.WriteString(", ")
		}
		w.b.WriteString(a.key)
		if a.html {
			w.b.WriteString("=<")
			w.b.WriteString(a.val)
			w.b.WriteByte('>')
		} else {
			w.b.WriteString(`="`)
			w.b.WriteString(escapeDOT(a.val))
			w.b.WriteByte('"')
		}
	}
	w.b.WriteString("]\n")
}

// picture writes the whole graph.
func (w *writer) picture(p *Picture) {
	w.b.WriteString("digraph avdoc {\n")
	graph := append([]attr{str("id", w.id+"graph")}, p.graph...)
	if w.lay != nil && !w.skel {
		// placed: plain dot (what the kernel's kfigure runs) then keeps
		// every position, as neato -n2 does
		graph = append(graph, str("layout", "nop2"))
	}
	w.attrLine("\tgraph", graph...)
	w.attrLine("\tnode", str("fontname", fontName), str("fontsize", "11"), str("fontcolor", p.pal[cFG]), str("color", p.pal[cFG]))
	w.attrLine("\tedge", str("arrowsize", edgeArrowSize), str("penwidth", edgePenWidth), str("constraint", "false"))
	if w.lay != nil && !w.skel {
		w.corners()
	}
	if !w.skel { // the skeleton stands for clusters with spacer nodes
		for _, c := range p.clusters {
			w.cluster(p, c)
		}
	}
	for _, n := range p.nodes {
		if n.cluster == "" || w.skel {
			w.node("\t", n)
		}
	}
	for _, r := range p.ranks {
		if len(r) > 1 {
			w.b.WriteString("\t{rank=\"same\"; " + strings.Join(r, "; ") + "}\n")
		}
	}
	for _, e := range p.edges {
		w.edge(e)
	}
	w.b.WriteString("}\n")
}

func (w *writer) cluster(p *Picture, c *cluster) {
	fmt.Fprintf(&w.b, "\tsubgraph %s {\n", c.name)
	w.attrLine("\t\tgraph", append([]attr{str("id", w.id+c.id), str("class", c.class)}, w.clusterLook(p, c)...)...)
	for _, n := range p.nodes {
		if n.cluster == c.name {
			w.node("\t\t", n)
		}
	}
	w.b.WriteString("\t}\n")
}

// clusterLook returns a cluster's attributes but id and class, with its
// box when the writer places it.
func (w *writer) clusterLook(p *Picture, c *cluster) []attr {
	if w.lay != nil && !w.skel {
		return setAttrs(c.attrs, w.lay.clusterAttrs(p, c)...)
	}
	return c.attrs
}

// node writes one node statement; its id attribute is the prefixed name.
func (w *writer) node(indent string, n *element) {
	if w.skel {
		w.attrLine(indent+n.name, w.lay.skeleton(n)...)
		return
	}
	w.attrLine(indent+n.name, append([]attr{str("id", w.id+n.name), str("class", n.class)}, w.nodeLook(n)...)...)
}

// nodeLook returns what decides how a node is drawn: its attributes but
// id and class, placed and sized when the writer has a layout.
func (w *writer) nodeLook(n *element) []attr {
	as := n.attrs
	width, height := 0, 0
	if w.lay != nil {
		var sized []attr
		sized, width, height = w.lay.nodeAttrs(n)
		as = setAttrs(as, sized...)
	}
	if n.table != nil {
		as = append(slices.Clip(as), html("label", n.table.body(width, height)))
	}
	return as
}

// edge writes one edge statement with its prefixed id.
func (w *writer) edge(e *element) {
	w.attrLine("\t"+e.from+" -> "+e.to, append([]attr{str("id", w.id+e.name), str("class", e.class)}, w.edgeLook(e)...)...)
}

// edgeLook returns an edge's attributes but id and class, with its route
// when the writer places it.
func (w *writer) edgeLook(e *element) []attr {
	if w.lay != nil && !w.skel {
		return setAttrs(e.attrs, w.lay.edgeAttrs(e)...)
	}
	return e.attrs
}

// corners writes two invisible points at the corners of the layout's
// bounding box, so that every placed picture of a story is as large as
// the whole layout, whatever it leaves out.
func (w *writer) corners() {
	for i, xy := range w.lay.cornerPoints() {
		w.attrLine(fmt.Sprintf("\tcorner%d", i), str("style", "invis"), str("shape", "point"),
			str("width", "0.01"), str("height", "0.01"), str("fixedsize", "true"), str("label", ""), str("pos", xy))
	}
}

// classes joins the non-empty class names with spaces.
func classes(names ...string) string {
	var out []string
	for _, n := range names {
		if n != "" {
			out = append(out, n)
		}
	}
	return strings.Join(out, " ")
}
