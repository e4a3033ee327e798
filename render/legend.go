package render

import (
	"fmt"
	"strings"

	"github.com/avdoc/avdoc/engine"
)

// KeyEntry is one line of a picture's key: a sample line in a colour and
// style, and what it stands for. The site shows a page's keys once, in
// HTML, and draws its diagrams without a legend; the legend node of a
// standalone figure shows the same entries.
type KeyEntry struct {
	Class string // names the colour, e.g. "same-vma"; "" for a line of text alone
	Light string // the colour in the light theme, "#d62728"
	Dark  string // and in the dark one
	Line  string // "solid", "dashed" or "dotted"; "" for a line of text alone
	Text  string // plain text, e.g. "vma->anon_vma"
}

// Key is what the picture's legend explains, in order: the structures of
// its design, the pointers and marks it uses, and the change marks.
func (p *Picture) Key() []KeyEntry { return p.key }

// WalkSummary says what the picture's rmap walk did, "" when it shows
// none: "page_referenced walked page 3: found 2 of 2 mappings".
func (p *Picture) WalkSummary() string { return p.walk }

// keyEntry is colour c's key entry.
func keyEntry(c colour, line, text string) KeyEntry {
	v := colours()[c]
	return KeyEntry{Class: colourClasses()[c], Light: v[0], Dark: v[1], Line: line, Text: text}
}

// colourClasses names the colours a key shows.
func colourClasses() [numColours]string {
	return [numColours]string{cSameVMA: "same-vma", cSameAV: "same-anon-vma", cPointer: "pointer",
		cMapping: "mapping", cPTE: "pte", cWalk: "walk", cFreed: "freed", cRoot: "root", cAdded: "added",
		cChanged: "changed", cGhost: "removed"}
}

// legend finds the picture's key and, unless hidden, adds a one-node
// table showing it.
func (d *drawing) legend() {
	d.p.key = d.keyEntries()
	if d.opt.Walk != nil {
		d.p.walk = d.walk.summary(d.walkedPageName)
	}
	if d.opt.HideLegend {
		return
	}
	d.legendNode(d.p.key, d.p.walk, d.opt.Walk != nil)
}

// legendNode adds the legend: a one-node table of the key's entries and,
// with showWalk, what the rmap walk did.
func (d *drawing) legendNode(key []KeyEntry, walk string, showWalk bool) {
	rows := []string{`<TD COLSPAN="2"><B>Legend</B></TD>`}
	for _, e := range key {
		rows = append(rows, d.legendRow(e))
	}
	if showWalk {
		rows = append(rows, `<TD></TD><TD ALIGN="LEFT" BALIGN="LEFT">`+wrapHTML(walk, legendWidth)+`</TD>`)
	}
	d.add(&element{name: "legend", class: "legend", shape: "box", attrs: []attr{str("shape", "plain")},
		table: &table{attrs: fmt.Sprintf(`BORDER="1" CELLBORDER="0" CELLSPACING="0" CELLPADDING="3" COLOR="%s"`, d.c(cLegendLine)),
			rows: rows}, key: order{kindLegend, 0}, title: "legend"})
}

// LegendDOT is a graph of a legend alone, for dot to lay out: a key
// drawn once under several pictures. It explains entries and, when walk
// is not "", what an rmap walk did, in theme's colours; its ids are
// prefixed by id.
func LegendDOT(entries []KeyEntry, walk string, theme Theme, id string) []byte {
	opt := Options{Theme: theme, ID: id}
	d := &drawing{opt: opt, p: &Picture{opt: opt, pal: paletteOf(theme)}}
	d.header()
	d.legendNode(entries, walk, walk != "")
	return d.p.DOT()
}

// UnionKey is the entries of keys, each once, in the order they first
// appear: one legend for several pictures.
func UnionKey(keys ...[]KeyEntry) []KeyEntry {
	var out []KeyEntry
	seen := map[KeyEntry]bool{}
	for _, key := range keys {
		for _, e := range key {
			if !seen[e] {
				seen[e] = true
				out = append(out, e)
			}
		}
	}
	return out
}

// keyEntries explains the colours and line styles the drawing uses.
func (d *drawing) keyEntries() []KeyEntry {
	out := d.designKey()
	if !d.opt.HidePages && design(d.st) != engine.DesignPTEChain {
		out = append(out, keyEntry(cMapping, "solid", "page->mapping"))
	}
	if d.opt.PTEs {
		out = append(out, keyEntry(cPTE, "solid", "PTE maps page (dotted: swap entry)"))
	} else if d.opt.Swap {
		out = append(out, keyEntry(cPTE, "dotted", "swap entry in a page table"))
	}
	if d.anyFreed() {
		out = append(out, keyEntry(cFreed, "dashed", "freed object still pointed at"))
	}
	if d.opt.Walk != nil {
		out = append(out, keyEntry(cWalk, "solid", "rmap walk, visits in order"))
	}
	return out
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

// designKey explains the structures of the model's design.
func (d *drawing) designKey() []KeyEntry {
	switch design(d.st) {
	case engine.DesignPTEChain:
		return []KeyEntry{{Text: "2.6.6: no anon_vma; each page's pte_chain lists the PTEs that map it"}}
	case engine.DesignAnonVMAList:
		return []KeyEntry{keyEntry(cSameAV, "solid", "anon_vma->head: the family's list of VMAs"),
			keyEntry(cPointer, "dashed", "vma->anon_vma")}
	}
	out := []KeyEntry{keyEntry(cSameVMA, "solid", "same_vma list: a VMA's AVCs")}
	if d.intervalTree() {
		out = append(out, keyEntry(cSameAV, "solid", "an anon_vma's interval tree of AVCs, in pgoff order"))
	} else {
		out = append(out, keyEntry(cSameAV, "solid", "same_anon_vma list: an anon_vma's AVCs"))
	}
	out = append(out, keyEntry(cPointer, "dashed", "vma->anon_vma"))
	if d.hasRoot() {
		out = append(out, keyEntry(cRoot, "dotted", "anon_vma->root"))
	}
	return out
}

// legendRow is a table row of the legend: the entry's sample line in its
// colour, as the picture's theme draws it, and its meaning.
func (d *drawing) legendRow(e KeyEntry) string {
	text := escapeHTMLLabel(e.Text)
	if e.Line == "" {
		return `<TD></TD><TD ALIGN="LEFT">` + text + `</TD>`
	}
	c := e.Light
	if d.opt.Theme == ThemeDark {
		c = e.Dark
	}
	return `<TD>` + swatch(c, e.Line) + `</TD><TD ALIGN="LEFT">` + text + `</TD>`
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
