package render

import (
	"fmt"
	"strings"

	"github.com/avdoc/avdoc/engine"
)

// legend adds a one-node table explaining the colours and line styles
// that the drawing uses.
func (d *drawing) legend() {
	if d.opt.HideLegend {
		return
	}
	rows := append([]string{`<TD COLSPAN="2"><B>Legend</B></TD>`}, d.designRows()...)
	if !d.opt.HidePages && design(d.st) != engine.DesignPTEChain {
		rows = append(rows, d.legendRow(cMapping, "", "page-&gt;mapping"))
	}
	if d.opt.PTEs {
		rows = append(rows, d.legendRow(cPTE, "", "PTE maps page (dotted: swap entry)"))
	} else if d.opt.Swap {
		rows = append(rows, d.legendRow(cPTE, "dotted", "swap entry in a page table"))
	}
	if d.anyFreed() {
		rows = append(rows, d.legendRow(cFreed, "dashed", "freed object still pointed at"))
	}
	if d.opt.Walk != nil {
		rows = append(rows, d.legendRow(cWalk, "", "rmap walk, visits in order"),
			`<TD></TD><TD ALIGN="LEFT" BALIGN="LEFT">`+wrapHTML(d.walk.summary(), legendWidth)+`</TD>`)
	}
	d.add(&element{name: "legend", class: "legend", shape: "box", attrs: []attr{str("shape", "plain")},
		table: &table{attrs: fmt.Sprintf(`BORDER="1" CELLBORDER="0" CELLSPACING="0" CELLPADDING="3" COLOR="%s"`, d.c(cLegendLine)),
			rows: rows}, key: order{kindLegend, 0}, title: "legend"})
}

// legendWidth is the most characters on a line of legend text.
const legendWidth = 48

// wrapHTML breaks text into lines of at most width characters where it
// can, escaped for an HTML-like label.
func wrapHTML(text string, width int) string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(text) {
		if line != "" && len(line)+1+len(w) > width {
			lines, line = append(lines, line), ""
		}
		line = strings.TrimPrefix(line+" "+w, " ")
	}
	lines = append(lines, line)
	for i, l := range lines {
		lines[i] = escapeHTMLLabel(l)
	}
	return strings.Join(lines, "<BR/>")
}

// designRows explains the structures of the model's design.
func (d *drawing) designRows() []string {
	switch design(d.st) {
	case engine.DesignPTEChain:
		return []string{`<TD></TD><TD ALIGN="LEFT">2.6.6: no anon_vma; each page's pte_chain lists the PTEs that map it</TD>`}
	case engine.DesignAnonVMAList:
		return []string{d.legendRow(cSameAV, "", "anon_vma-&gt;head: the family's list of VMAs"),
			d.legendRow(cPointer, "dashed", "vma-&gt;anon_vma")}
	}
	rows := []string{d.legendRow(cSameVMA, "", "same_vma list: a VMA's AVCs")}
	if d.intervalTree() {
		rows = append(rows, d.legendRow(cSameAV, "", "an anon_vma's interval tree of AVCs, in pgoff order"))
	} else {
		rows = append(rows, d.legendRow(cSameAV, "", "same_anon_vma list: an anon_vma's AVCs"))
	}
	rows = append(rows, d.legendRow(cPointer, "dashed", "vma-&gt;anon_vma"))
	if d.hasRoot() {
		rows = append(rows, d.legendRow(cRoot, "dotted", "anon_vma-&gt;root"))
	}
	return rows
}

// legendRow is a table row: a sample line in colour, and its meaning
// (HTML-like label text, already escaped).
func (d *drawing) legendRow(c colour, style, text string) string {
	return `<TD>` + swatch(d.c(c), style) + `</TD><TD ALIGN="LEFT">` + text + `</TD>`
}

// swatch draws a short solid, dashed or dotted line as a row of coloured
// cells.
func swatch(color, style string) string {
	cell := func(c string, w int) string {
		bg := ""
		if c != "" {
			bg = ` BGCOLOR="` + c + `"`
		}
		return fmt.Sprintf(`<TD FIXEDSIZE="TRUE" WIDTH="%d" HEIGHT="2"%s></TD>`, w, bg)
	}
	var cells string
	switch style {
	case "dashed":
		cells = cell(color, 6) + cell("", 6) + cell(color, 6) + cell("", 6) + cell(color, 6)
	case "dotted":
		for i := range 8 {
			if i > 0 {
				cells += cell("", 2)
			}
			cells += cell(color, 2)
		}
	default:
		cells = cell(color, 30)
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
