package render

import (
	"bytes"

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
func DOT(st *engine.State, opt Options) []byte {
	if design(st) == engine.DesignPTEChain {
		opt.PTEs = true // 2.6.6's reverse map is the pages' chains of PTE pointers
	}
	d := &drawing{st: st, opt: opt, sc: selectScene(st, opt), walk: newWalkMarks(opt.Walk)}
	if d.tooBig() {
		d.summary()
		return d.b.Bytes()
	}
	d.header()
	d.legend()
	d.processes()
	d.avcNodes()
	d.anonVMANodes()
	d.pageNodes()
	d.oopsNode()
	d.columns()
	d.rankEdges()
	d.sameVMAEdges()
	d.sameAnonVMAEdges()
	d.anonVMAPointers()
	d.mappingEdges()
	d.pteEdges()
	d.walkEdges()
	d.b.WriteString("}\n")
	return d.b.Bytes()
}

// design is the rmap design of the state's model (anon_vma_chain when the
// state names no model).
func design(st *engine.State) engine.Design {
	if st.Model == nil {
		return engine.DesignAnonVMAChain
	}
	return st.Model.Design
}

// drawing holds one call of [DOT]: its input, what to show, and the output.
type drawing struct {
	st   *engine.State
	opt  Options
	sc   scene
	walk walkMarks
	b    bytes.Buffer
}

// The colours of the visual language.
const (
	colSameVMA  = "#d62728" // red: the same_vma list
	colSameAV   = "#1f77b4" // blue: the same_anon_vma list
	colPointer  = "#333333" // dashed: vma->anon_vma
	colMapping  = "#999999" // gray: page->mapping
	colPTE      = "#2ca02c" // green: a PTE mapping a page
	colWalk     = "#ff7f0e" // orange: an rmap walk
	colFreed    = "#d62728" // red dashed outline: a freed object
	colCluster  = "#aaaaaa" // a process's outline
	fillVMA     = "#eeeeee"
	fillAnonVMA = "#e3eef9"
	fillFreed   = "#fde0e0"
	fillPage    = "#fff8dc"
	fillVisit   = "#ffe0b3"
)

func (d *drawing) header() {
	d.b.WriteString("digraph avdoc {\n")
	d.attrLine("\tgraph", str("id", d.opt.ID+"graph"), str("class", "avdoc"), str("rankdir", "LR"),
		str("newrank", "true"), str("fontname", "Arial"), str("fontsize", "12"), str("nodesep", "0.2"), str("ranksep", "0.5"))
	d.attrLine("\tnode", str("fontname", "Arial"), str("fontsize", "11"))
	d.attrLine("\tedge", str("arrowsize", "0.7"), str("penwidth", "1.3"), str("constraint", "false"))
}
