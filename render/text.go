package render

import (
	"fmt"
	"strings"

	"github.com/avdoc/avdoc/engine"
)

// Text writes the picture as plain text for a mail or a terminal, at
// most [TextWidth] columns wide, ASCII only, without trailing spaces: a
// heading (title, then the step's events), each drawn process with its
// VMAs and each VMA's vma->anon_vma and same_vma list of AVCs in order
// (AVC -> anon_vma), each anon_vma with its root, parent and counters
// where the model keeps them and its same_anon_vma list (from 3.7 the
// interval tree, in page-offset order) of AVCs (AVC -> VMA), then the
// pages and where page->mapping points, the swap slots and the rmap
// walk. The models before anon_vma_chain show what they have instead:
// 2.6.7-2.6.33 an anon_vma's list of VMAs, 2.6.6 each VMA's PTEs and
// each page's pte_chain. It shows what the picture draws, by the same
// names; story text (the title, the events, names) is quoted (see
// quoteText).
//
// The first column marks what changed in the step, as the picture's
// change marks do: "+" new, "~" changed or a pointer of it moved, "-"
// gone (listed last); a last line explains the marks used. Freed objects
// say FREED, and a page->mapping to a freed anon_vma says dangling.
func (p *Picture) Text(title string, events []string) []byte {
	t := newTextFigure(p)
	t.heading(title, events)
	if p.summarized() {
		t.summary()
	} else {
		t.processes()
		t.anonVMAs()
		t.pages()
		t.walk()
		t.gone()
	}
	t.legend()
	return []byte(t.w.b.String())
}

// textFigure is one call of [Picture.Text].
type textFigure struct {
	d       *drawing
	w       textWriter
	marks   map[string]byte // a node's change mark, by name
	touched map[string]bool // "kind from" and "kind to X" of each marked edge, kind its first class
	used    map[byte]bool   // the marks written
}

func newTextFigure(p *Picture) *textFigure {
	var memo ledToMemo
	d := &drawing{st: p.st, opt: p.opt, walk: newWalkMarks(p.opt.Walk), p: p}
	d.sc = selectScene(p.st, p.opt, &memo)
	t := &textFigure{d: d, marks: map[string]byte{}, touched: map[string]bool{}, used: map[byte]bool{}}
	for _, n := range p.nodes {
		if m := markOf(n); m != ' ' {
			t.marks[n.name] = m
		}
	}
	for _, e := range p.edges {
		if markOf(e) != ' ' {
			kind, _, _ := strings.Cut(e.class, " ")
			t.touched[kind+" "+e.from], t.touched[kind+" to "+e.to] = true, true
		}
	}
	return t
}

// markOf is the mark column of an element: its change mark, or a space.
func markOf(e *element) byte {
	switch {
	case hasClass(e, markRemoved):
		return '-'
	case hasClass(e, markAdded):
		return '+'
	case hasClass(e, markChanged):
		return '~'
	}
	return ' '
}

// mark is the mark of the line of node name: the node's own, or "~"
// when one of the edges keyed by edges (see touched) changed.
func (t *textFigure) mark(name string, edges ...string) byte {
	if m, ok := t.marks[name]; ok {
		return m
	}
	for _, k := range edges {
		if t.touched[k] {
			return '~'
		}
	}
	return ' '
}

// line writes one line of the body, quoted text, in the mark column.
func (t *textFigure) line(mark byte, indent, hang int, text string) {
	if mark != ' ' {
		t.used[mark] = true
	}
	t.w.line(mark, indent, hang, text)
}

// heading writes the title and the events, without a mark column.
func (t *textFigure) heading(title string, events []string) {
	t.w.line(' ', 0, 2, quoteText(title))
	if len(events) > 0 {
		q := make([]string, len(events))
		for i, e := range events {
			q[i] = quoteText(e)
		}
		t.w.line(' ', 0, 8, "events: "+strings.Join(q, "; "))
	}
	t.w.marks = true
}

// summary writes the note a picture too big to draw shows instead.
func (t *textFigure) summary() {
	t.w.blank()
	for _, l := range strings.Split(attrValue(t.d.p.nodes[0].attrs, "label"), "\n") {
		t.line(' ', 0, 2, quoteText(l))
	}
}

// legend explains the marks the figure used.
func (t *textFigure) legend() {
	var say []string
	for _, m := range []struct {
		c    byte
		text string
	}{{'+', "+ new in this step"}, {'~', "~ changed, or a pointer of it moved"}, {'-', "- gone in this step"}} {
		if t.used[m.c] {
			say = append(say, m.text)
		}
	}
	if len(say) > 0 {
		t.w.blank()
		t.w.marks = false
		t.w.line(' ', 0, 7, "marks: "+strings.Join(say, "; "))
	}
}

// gone lists, marked "-", what the step took away: the picture's ghosts.
func (t *textFigure) gone() {
	first := true
	for _, c := range t.d.p.clusters {
		if strings.Contains(" "+c.class+" ", " "+markRemoved+" ") {
			first = t.goneLine(first, c.title)
		}
	}
	for _, n := range t.d.p.nodes {
		if hasClass(n, markRemoved) && n.title != "" {
			first = t.goneLine(first, n.title)
		}
	}
}

func (t *textFigure) goneLine(first bool, title string) bool {
	if first {
		t.w.blank()
	}
	t.line('-', 0, 2, quoteText(strings.TrimSuffix(title, " (gone in this step)")))
	return false
}

// avRef names an anon_vma as stories do, "av(P:heap)", FREED if it is.
func avRef(st *engine.State, id engine.AVID) string {
	switch {
	case id == 0:
		return "NULL"
	case !valid(int(id), len(st.AnonVMAs)):
		return fmt.Sprintf("missing anon_vma %d", id)
	case st.AnonVMA(id).Freed:
		return "av(" + quoteText(st.AnonVMA(id).Name) + ") FREED"
	}
	return "av(" + quoteText(st.AnonVMA(id).Name) + ")"
}

// vmaRef names a VMA as stories do, "P:heap".
func vmaRef(st *engine.State, id engine.VMAID) string {
	if !valid(int(id), len(st.VMAs)) {
		return fmt.Sprintf("missing VMA %d", id)
	}
	return quoteText(st.VMAName(id))
}

// avcRef names an AVC, "AVC 3", FREED if it is.
func avcRef(st *engine.State, id engine.AVCID) string {
	if valid(int(id), len(st.AVCs)) && st.AVC(id).Freed {
		return fmt.Sprintf("AVC %d FREED", id)
	}
	return fmt.Sprintf("AVC %d", id)
}
