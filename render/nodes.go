package render

import (
	"fmt"

	"github.com/avdoc/avdoc/engine"
)

// processes writes one cluster per drawn process holding its VMAs in
// address order.
func (d *drawing) processes() {
	for i := range d.st.Procs {
		if d.sc.proc[i] {
			d.process(&d.st.Procs[i])
		}
	}
}

func (d *drawing) process(p *engine.Process) {
	name := fmt.Sprintf("p%d", p.ID)
	fmt.Fprintf(&d.b, "\tsubgraph cluster_%s {\n", name)
	d.attrLine("\t\tgraph", str("id", d.opt.ID+name), str("class", "process"), str("label", p.Name),
		str("style", "rounded"), str("color", colCluster))
	drawn := 0
	for _, id := range p.VMAs {
		if valid(int(id), len(d.st.VMAs)) && d.sc.vma[id-1] {
			d.vmaNode(d.st.VMA(id))
			drawn++
		}
	}
	if drawn == 0 { // Graphviz does not draw an empty cluster
		d.node("\t\t", name+"_empty", "empty", str("shape", "plaintext"), str("label", "no VMAs"))
	}
	d.b.WriteString("\t}\n")
}

func (d *drawing) vmaNode(v *engine.VMA) {
	d.node("\t\t", vmaName(v.ID), classes("vma", d.walk.vmaClass(v.ID)),
		str("shape", "plain"), html("label", d.vmaLabel(v)))
}

// vmaLabel is a table: the VMA's story name, its pages and permission,
// its vm_pgoff, and a row per rmap-walk visit.
func (d *drawing) vmaLabel(v *engine.VMA) string {
	perm := "ro"
	if v.Writable {
		perm = "rw"
	}
	rows := []string{
		fmt.Sprintf(`<TD BGCOLOR="%s"><B>%s</B></TD>`, fillVMA, escapeHTMLLabel(d.st.VMAName(v.ID))),
		fmt.Sprintf(`<TD>%s %s</TD>`, pageRange(v.Start, v.End), perm),
		fmt.Sprintf(`<TD>pgoff %#x</TD>`, v.Pgoff),
	}
	for _, n := range d.walk.visitRows(v.ID) {
		rows = append(rows, fmt.Sprintf(`<TD BGCOLOR="%s">%s</TD>`, fillVisit, n))
	}
	return table(`BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="3"`, rows)
}

// pageRange names the pages [start, end) inclusively, as stories do.
func pageRange(start, end uint64) string {
	if end <= start+1 {
		return fmt.Sprintf("page %#x", start)
	}
	return fmt.Sprintf("pages %#x..%#x", start, end-1)
}

// table is an HTML-like table with one cell row per element of rows.
func table(attrs string, rows []string) string {
	s := "<TABLE " + attrs + ">"
	for _, r := range rows {
		s += "<TR>" + r + "</TR>"
	}
	return s + "</TABLE>"
}

func (d *drawing) avcNodes() {
	for i := range d.st.AVCs {
		if d.sc.avc[i] {
			d.avcNode(&d.st.AVCs[i])
		}
	}
}

func (d *drawing) avcNode(c *engine.AVC) {
	label, style, class := fmt.Sprintf("AVC %d", c.ID), "rounded", classes("avc", d.walk.avcClass(c.ID))
	var extra []attr
	switch {
	case c.Freed:
		label, style, class = label+" (freed)", "rounded,dashed", classes(class, "freed")
		extra = []attr{str("color", colFreed)}
	case d.walk.avcClass(c.ID) != "":
		extra = []attr{str("color", colWalk), str("penwidth", "2")}
	}
	as := []attr{str("shape", "box"), str("style", style), str("fontsize", "10"),
		str("height", "0.3"), str("margin", "0.08,0.03")}
	d.node("\t", avcName(c.ID), class, append(append(as, extra...), str("label", label))...)
}

func (d *drawing) anonVMANodes() {
	for i := range d.st.AnonVMAs {
		if d.sc.av[i] {
			d.anonVMANode(&d.st.AnonVMAs[i])
		}
	}
}

// anonVMANode draws an anon_vma; a freed one is dashed red, and the one a
// walk oopsed on gets a heavy red outline.
func (d *drawing) anonVMANode(a *engine.AnonVMA) {
	label := "anon_vma<BR/><B>" + escapeHTMLLabel(a.Name) + "</B>"
	style, color, fill, class := "rounded,filled", colSameAV, fillAnonVMA, "anon_vma"
	if a.Freed {
		label += "<BR/><I>freed</I>"
		style, color, fill, class = "rounded,filled,dashed", colFreed, fillFreed, "anon_vma freed"
	}
	as := []attr{str("shape", "box"), str("style", style), str("color", color), str("fillcolor", fill)}
	if d.walk.oopsOn(a.ID) {
		class = classes(class, "oops")
		as = append(as, str("penwidth", "3"))
	}
	d.node("\t", avName(a.ID), class, append(as, html("label", label))...)
}

func (d *drawing) pageNodes() {
	for i := range d.st.Pages {
		if d.sc.page[i] {
			d.pageNode(&d.st.Pages[i])
		}
	}
	if d.sc.zero {
		d.node("\t", "zero", "page zero", str("shape", "note"), str("fontsize", "10"),
			str("style", "filled"), str("fillcolor", "#f0f0f0"), str("label", "zero page"))
	}
}

// pageNode draws a page with its index and how often it is mapped.
func (d *drawing) pageNode(pg *engine.Page) {
	label := fmt.Sprintf("page %d<BR/>index %#x<BR/>mapped %s", pg.ID, pg.Index, times(pg.Mapcount))
	if pg.Swap != 0 {
		label += "<BR/>swap cache"
	}
	as := []attr{str("shape", "note"), str("fontsize", "10"), str("style", "filled"), str("fillcolor", fillPage)}
	class := "page"
	if d.walk.onPage(pg.ID) {
		class = "page walk"
		as = append(as, str("color", colWalk), str("penwidth", "2"))
	}
	d.node("\t", pageName(pg.ID), class, append(as, html("label", label))...)
}

// times says how many times something happened: "once", "2 times".
func times(n int) string {
	if n == 1 {
		return "once"
	}
	return fmt.Sprintf("%d times", n)
}

// Node names; the id attribute is the name with [Options.ID] before it.
func vmaName(id engine.VMAID) string   { return fmt.Sprintf("vma%d", id) }
func avName(id engine.AVID) string     { return fmt.Sprintf("av%d", id) }
func avcName(id engine.AVCID) string   { return fmt.Sprintf("avc%d", id) }
func pageName(id engine.PageID) string { return fmt.Sprintf("page%d", id) }
