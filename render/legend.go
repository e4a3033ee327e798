package render

import (
	"fmt"

	"github.com/avdoc/avdoc/engine"
)

// legend writes a one-node table explaining the colours and line styles
// that the drawing uses.
func (d *drawing) legend() {
	if d.opt.HideLegend {
		return
	}
	rows := append([]string{`<TD COLSPAN="2"><B>Legend</B></TD>`}, designRows(design(d.st))...)
	if !d.opt.HidePages && design(d.st) != engine.DesignPTEChain {
		rows = append(rows, legendRow(colMapping, false, "page-&gt;mapping"))
	}
	if d.opt.PTEs {
		rows = append(rows, legendRow(colPTE, false, "PTE maps page (dotted: swap entry)"))
	}
	if d.anyFreed() {
		rows = append(rows, legendRow(colFreed, true, "freed object still pointed at"))
	}
	if d.opt.Walk != nil {
		rows = append(rows, legendRow(colWalk, false, "rmap walk, visits in order"),
			`<TD></TD><TD ALIGN="LEFT">`+escapeHTMLLabel(d.walk.summary())+`</TD>`)
	}
	d.node("\t", "legend", "legend", str("shape", "plain"),
		html("label", table(`BORDER="1" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2" COLOR="#bbbbbb"`, rows)))
}

// designRows explains the structures of a design.
func designRows(ds engine.Design) []string {
	switch ds {
	case engine.DesignPTEChain:
		return []string{`<TD></TD><TD ALIGN="LEFT">2.6.6: no anon_vma; each page's pte_chain lists the PTEs that map it</TD>`}
	case engine.DesignAnonVMAList:
		return []string{legendRow(colSameAV, false, "anon_vma-&gt;head: the family's list of VMAs"),
			legendRow(colPointer, true, "vma-&gt;anon_vma")}
	}
	return []string{legendRow(colSameVMA, false, "same_vma list: a VMA's AVCs"),
		legendRow(colSameAV, false, "same_anon_vma list: an anon_vma's AVCs"),
		legendRow(colPointer, true, "vma-&gt;anon_vma")}
}

// legendRow is a table row: a sample line in colour, and its meaning
// (HTML-like label text, already escaped).
func legendRow(color string, dashed bool, text string) string {
	return `<TD>` + swatch(color, dashed) + `</TD><TD ALIGN="LEFT">` + text + `</TD>`
}

// swatch draws a short solid or dashed line as a row of coloured cells.
func swatch(color string, dashed bool) string {
	cell := func(c string, w int) string {
		bg := ""
		if c != "" {
			bg = ` BGCOLOR="` + c + `"`
		}
		return fmt.Sprintf(`<TD FIXEDSIZE="TRUE" WIDTH="%d" HEIGHT="2"%s></TD>`, w, bg)
	}
	cells := cell(color, 30)
	if dashed {
		cells = cell(color, 6) + cell("", 6) + cell(color, 6) + cell("", 6) + cell(color, 6)
	}
	return `<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="0"><TR>` + cells + `</TR></TABLE>`
}

// anyFreed reports whether the drawing shows a freed anon_vma or AVC.
func (d *drawing) anyFreed() bool {
	for i, a := range d.st.AnonVMAs {
		if d.sc.av[i] && a.Freed {
			return true
		}
	}
	for i, c := range d.st.AVCs {
		if d.sc.avc[i] && c.Freed {
			return true
		}
	}
	return false
}
