package render

import (
	"fmt"

	"github.com/avdoc/avdoc/engine"
)

// processes adds one cluster per drawn process holding its VMAs in
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
	c := &cluster{name: "cluster_" + name, id: name, class: "process", key: order{kindProc, int(p.ID)},
		title: "process " + p.Name}
	label, as := p.Name, []attr{str("style", "rounded"), str("color", d.c(cCluster))}
	if r, ok := d.sc.stackOfRun(p.ID); ok {
		label = fmt.Sprintf("%s .. %s: %d processes", p.Name, d.st.Proc(r.last).Name, r.n)
		c.class, c.title = "process stack", fmt.Sprintf("%d processes, %s to %s, drawn as one", r.n, p.Name, d.st.Proc(r.last).Name)
		as = append(as, str("penwidth", "2.5"))
	}
	c.attrs = append([]attr{str("label", label)}, as...)
	d.p.clusters = append(d.p.clusters, c)
	drawn := 0
	for _, id := range p.VMAs {
		if valid(int(id), len(d.st.VMAs)) && d.sc.vma[id-1] {
			d.vmaNode(c.name, d.st.VMA(id))
			drawn++
		}
	}
	if drawn == 0 { // Graphviz does not draw an empty cluster
		d.add(&element{name: name + "_empty", cluster: c.name, class: "empty", shape: "plaintext",
			attrs: []attr{str("shape", "plaintext"), str("label", "no VMAs")}, key: order{kindVMA, int(p.ID), -1}})
	}
}

func (d *drawing) vmaNode(cl string, v *engine.VMA) {
	t := d.vmaLabel(v)
	class := classes("vma", d.walk.vmaClass(v.ID), d.stackClass(v.Proc))
	d.add(&element{name: vmaName(v.ID), cluster: cl, class: class, shape: "box", table: t,
		attrs: []attr{str("shape", "plain")}, key: order{kindVMA, int(v.Proc), int(v.Start)},
		title: d.vmaTitle(v), sig: fmt.Sprint(v.Start, v.End, v.Pgoff, v.Writable)})
}

// vmaLabel is a table: the VMA's story name, its pages and permission,
// its vm_pgoff, and a row per rmap-walk visit.
func (d *drawing) vmaLabel(v *engine.VMA) *table {
	head := fmt.Sprintf(`<B>%s</B>`, escapeHTMLLabel(d.st.VMAName(v.ID)))
	if n := d.sc.stackSize(v.Proc); n > 1 {
		head += fmt.Sprintf(`<BR/>and %d more like it`, n-1)
	}
	rows := []string{
		fmt.Sprintf(`<TD BGCOLOR="%s">%s</TD>`, d.c(cVMAHead), head),
		fmt.Sprintf(`<TD>%s %s</TD>`, pageRange(v.Start, v.End), perm(v.Writable)),
		fmt.Sprintf(`<TD>pgoff %#x</TD>`, v.Pgoff),
	}
	for _, n := range d.walk.visitRows(v.ID) {
		rows = append(rows, fmt.Sprintf(`<TD BGCOLOR="%s">%s</TD>`, d.c(cVisitFill), n))
	}
	return &table{attrs: fmt.Sprintf(`BORDER="%d" CELLBORDER="0" CELLSPACING="0" CELLPADDING="4" ROWS="*" COLOR="%s"`,
		tableBorder, d.c(cFG)), rows: rows, stretch: true}
}

func (d *drawing) vmaTitle(v *engine.VMA) string {
	s := fmt.Sprintf("VMA %s, %s %s, pgoff %#x", d.st.VMAName(v.ID), pageRange(v.Start, v.End), perm(v.Writable), v.Pgoff)
	if n := d.sc.stackSize(v.Proc); n > 1 {
		s += fmt.Sprintf(", standing for %d alike VMAs", n)
	}
	return s
}

func perm(writable bool) string {
	if writable {
		return "rw"
	}
	return "ro"
}

// pageRange names the pages [start, end) inclusively, as stories do.
func pageRange(start, end uint64) string {
	if end <= start+1 {
		return fmt.Sprintf("page %#x", start)
	}
	return fmt.Sprintf("pages %#x..%#x", start, end-1)
}

// stackClass is "stack" for the objects of a process that heads a stack.
func (d *drawing) stackClass(p engine.ProcID) string {
	if d.sc.stackSize(p) > 1 {
		return "stack"
	}
	return ""
}

// stackAttrs draws a box of a stack with a double outline.
func (d *drawing) stackAttrs(p engine.ProcID) []attr {
	if d.sc.stackSize(p) > 1 {
		return []attr{str("peripheries", "2")}
	}
	return nil
}

func (d *drawing) avcNodes() {
	for i := range d.st.AVCs {
		if d.sc.avc[i] {
			d.avcNode(&d.st.AVCs[i])
		}
	}
}

func (d *drawing) avcNode(c *engine.AVC) {
	label, style := fmt.Sprintf("AVC %d", c.ID), "rounded"
	if d.intervalTree() {
		label += fmt.Sprintf("\npgoff %s", offRange(c.First, c.Last))
	}
	sig := label
	owner := d.avcOwner(c)
	if n := d.sc.stackSize(owner); n > 1 {
		label += fmt.Sprintf("\nx %d", n)
	}
	class := classes("avc", d.walk.avcClass(c.ID), d.stackClass(owner))
	as := []attr{str("shape", "box"), str("fontsize", "10"), str("height", "0.3"), str("margin", "0.1,0.04")}
	switch {
	case c.Freed:
		label, style, class = label+" (freed)", "rounded,dashed", classes(class, "freed")
		as = append(as, str("color", d.c(cFreed)))
	case d.walk.avcClass(c.ID) != "":
		as = append(as, str("color", d.c(cWalk)), str("penwidth", "2"))
	}
	as = append(append(as, d.stackAttrs(owner)...), str("style", style), str("label", label))
	d.add(&element{name: avcName(c.ID), class: class, shape: "box", attrs: as, key: order{kindAVC, int(c.ID)},
		title: d.avcTitle(c), sig: sig + fmt.Sprint(c.Freed)})
}

func (d *drawing) avcTitle(c *engine.AVC) string {
	s := fmt.Sprintf("AVC %d", c.ID)
	if valid(int(c.VMA), len(d.st.VMAs)) {
		s += " of VMA " + d.st.VMAName(c.VMA)
	}
	s += ", linking it to " + avPhrase(d.st, c.AnonVMA)
	if d.intervalTree() {
		s += ", filed under pgoff " + offRange(c.First, c.Last)
	}
	if c.Freed {
		s += " (freed)"
	}
	return s
}

// avcOwner is the process of the AVC's VMA, or 0.
func (d *drawing) avcOwner(c *engine.AVC) engine.ProcID {
	if valid(int(c.VMA), len(d.st.VMAs)) {
		return d.st.VMA(c.VMA).Proc
	}
	return 0
}

func offRange(first, last uint64) string {
	if first == last {
		return fmt.Sprintf("%#x", first)
	}
	return fmt.Sprintf("%#x..%#x", first, last)
}

// intervalTree reports whether the model files AVCs in an interval tree.
func (d *drawing) intervalTree() bool { return d.st.Model != nil && d.st.Model.IntervalTree }

// Node names; the id attribute is the name with [Options.ID] before it.
func vmaName(id engine.VMAID) string   { return fmt.Sprintf("vma%d", id) }
func avName(id engine.AVID) string     { return fmt.Sprintf("av%d", id) }
func avcName(id engine.AVCID) string   { return fmt.Sprintf("avc%d", id) }
func pageName(id engine.PageID) string { return fmt.Sprintf("page%d", id) }
func slotName(id engine.SwapID) string { return fmt.Sprintf("swap%d", id) }
