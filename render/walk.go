package render

import (
	"fmt"
	"strings"

	"github.com/avdoc/avdoc/engine"
)

// walkMarks answers, for each object, how a highlighted rmap walk touched
// it. The zero value (no walk) touches nothing.
type walkMarks struct {
	w      *engine.Walk
	visits map[engine.VMAID][]int // 1-based visit numbers per VMA; only looked up
	avcs   map[engine.AVCID]bool  // AVCs a visit went through; only looked up
}

func newWalkMarks(w *engine.Walk) walkMarks {
	m := walkMarks{w: w, visits: map[engine.VMAID][]int{}, avcs: map[engine.AVCID]bool{}}
	if w == nil {
		return m
	}
	for i, v := range w.Visits {
		m.visits[v.VMA] = append(m.visits[v.VMA], i+1)
		if v.AVC != 0 {
			m.avcs[v.AVC] = true
		}
	}
	return m
}

func (m walkMarks) vmaClass(id engine.VMAID) string {
	if len(m.visits[id]) > 0 {
		return "walk"
	}
	return ""
}

func (m walkMarks) avcClass(id engine.AVCID) string {
	if m.avcs[id] {
		return "walk"
	}
	return ""
}

func (m walkMarks) onPage(id engine.PageID) bool { return m.w != nil && m.w.Page == id }

func (m walkMarks) oopsOn(id engine.AVID) bool {
	return m.w != nil && m.w.Oops != nil && m.w.Oops.AnonVMA == id
}

// visitRows returns one label line per visit of the VMA, e.g.
// "rmap visit 1: PTE found".
func (m walkMarks) visitRows(id engine.VMAID) []string {
	var out []string
	for _, n := range m.visits[id] {
		out = append(out, fmt.Sprintf("rmap visit %d: %s", n, visitOutcome(m.w.Visits[n-1])))
	}
	return out
}

func visitOutcome(v engine.Visit) string {
	switch {
	case v.Outside:
		return "index outside, skipped"
	case v.Found:
		return fmt.Sprintf("found at %#x", v.Addr)
	default:
		return fmt.Sprintf("not mapped at %#x", v.Addr)
	}
}

// summary is one line saying what the walk did, for the legend, naming
// the page as name does.
func (m walkMarks) summary(name func(engine.PageID) string) string {
	w := m.w
	var b strings.Builder
	fmt.Fprintf(&b, "%s walked %s: ", w.Func, name(w.Page))
	switch {
	case w.Skipped:
		b.WriteString("not mapped, walk skipped")
	case w.Oops != nil && w.Oops.Outcome == engine.OopsReused:
		fmt.Fprintf(&b, "OOPS: page->mapping is freed; its memory is another anon_vma now, found %d of %d mappings", w.Found, w.Mapcount)
	case w.Oops != nil:
		fmt.Fprintf(&b, "OOPS: page->mapping is freed; its list is empty, found 0 of %d mappings", w.Mapcount)
	default:
		fmt.Fprintf(&b, "found %d of %d mappings", w.Found, w.Mapcount)
	}
	return b.String()
}

// oopsNode draws the red danger marker next to the freed anon_vma a walk
// reached.
func (d *drawing) oopsNode() {
	if !d.hasOops() {
		return
	}
	w := d.opt.Walk
	d.add(&element{name: "oops", class: "oops", shape: "doubleoctagon", key: order{kindMarker, 0},
		attrs: []attr{str("shape", "doubleoctagon"), str("style", "filled"), str("fillcolor", d.c(cFreed)),
			str("color", d.c(cFreed)), str("fontcolor", d.c(cOnFreed)), str("label", "OOPS")},
		title: "oops: " + w.Func + " followed page->mapping into freed anon_vma " + d.st.AnonVMA(w.Oops.AnonVMA).Name})
	d.link("oops-"+avName(w.Oops.AnonVMA), avName(w.Oops.AnonVMA), "oops", "oops",
		str("color", d.c(cFreed)), str("penwidth", "3"), str("dir", "none"), str("constraint", "true"))
}

// hasOops reports whether the drawing shows an oops marker.
func (d *drawing) hasOops() bool {
	w := d.opt.Walk
	return w != nil && w.Oops != nil && d.drawnAV(w.Oops.AnonVMA)
}

// walkEdges draws the walk in orange: page to the anon_vma it locked (red
// on an oops), then for each visit, in order, from the AVC that led there
// (or the anon_vma where the model has no AVCs) to the VMA; a visit that
// found no PTE is dashed.
func (d *drawing) walkEdges() {
	w := d.opt.Walk
	if w == nil {
		return
	}
	d.walkStart(w)
	for i, v := range w.Visits {
		d.visitEdge(w, i+1, v)
	}
}

func (d *drawing) walkStart(w *engine.Walk) {
	av := w.AnonVMA
	if w.Oops != nil {
		av = w.Oops.AnonVMA
	}
	if !d.drawnPage(w.Page) || !d.drawnAV(av) {
		return
	}
	color, class := d.c(cWalk), "walk"
	if w.Oops != nil {
		color, class = d.c(cFreed), "walk oops"
	}
	d.link("walk-"+pageName(w.Page)+"-"+avName(av), pageName(w.Page), avName(av), class,
		str("color", color), str("penwidth", "2.5"))
}

func (d *drawing) visitEdge(w *engine.Walk, n int, v engine.Visit) {
	from := avName(w.AnonVMA)
	if v.AVC != 0 {
		from = avcName(v.AVC)
	}
	ok := d.drawnAV(w.AnonVMA)
	if v.AVC != 0 {
		ok = d.drawnAVC(v.AVC)
	}
	if !ok || !d.drawnVMA(v.VMA) {
		return
	}
	as := []attr{str("color", d.c(cWalk)), str("penwidth", "2")}
	if !v.Found {
		as = append(as, str("style", "dashed"))
	}
	d.link(fmt.Sprintf("walk%d-%s-%s", n, from, vmaName(v.VMA)), from, vmaName(v.VMA), "walk visit", as...)
}
