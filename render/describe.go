package render

import (
	"fmt"
	"strings"

	"github.com/avdoc/avdoc/engine"
)

// Describe returns a plain-English description of what [DOT] draws of st
// with the same options, for readers who cannot see the drawing (alt
// text, an SVG <desc>): each drawn process's VMAs and the AVCs linking
// them to anon_vmas, anon_vmas linked to no VMA, where the drawn pages
// point and, with opt.Prev, what changed. A state too big to draw is
// described by its inventory. It is deterministic.
func Describe(st *engine.State, opt Options) string { return Draw(st, opt).Describe() }

// describe says what the drawing shows, in words.
func (d *drawing) describe() string {
	st, sc := d.st, d.sc
	var out []string
	for i := range st.Procs {
		if sc.proc[i] {
			out = append(out, d.describeStack(&st.Procs[i])+describeProc(st, &st.Procs[i]))
		}
	}
	out = append(out, describeUnlinked(st, sc)...)
	out = append(out, describePages(st, sc, d.addrs().page)...)
	if len(out) == 0 {
		return "No live process."
	}
	return strings.Join(out, " ")
}

// describeStack introduces a process that stands for a stack of alike
// ones.
func (d *drawing) describeStack(p *engine.Process) string {
	r, ok := d.sc.stackOfRun(p.ID)
	if !ok {
		return ""
	}
	return fmt.Sprintf("%d alike processes, %s to %s, are drawn as one stack, like the first: ", r.n, p.Name, d.st.Proc(r.last).Name)
}

// summaryLine names what the picture holds, for its title.
func (d *drawing) summaryLine() string {
	return "anon_vma reverse map: " + d.inventory()
}

func describeProc(st *engine.State, p *engine.Process) string {
	var vmas []string
	for _, id := range p.VMAs {
		if valid(int(id), len(st.VMAs)) && !st.VMA(id).Gone {
			vmas = append(vmas, describeVMA(st, st.VMA(id)))
		}
	}
	switch len(vmas) {
	case 0:
		return fmt.Sprintf("Process %s has no VMAs.", p.Name)
	case 1:
		return fmt.Sprintf("Process %s has %s.", p.Name, vmas[0])
	}
	return fmt.Sprintf("Process %s has %d VMAs: %s.", p.Name, len(vmas), strings.Join(vmas, "; "))
}

// describeVMA says "VMA C:heap, linked through AVC 3 to anon_vma C:heap
// and AVC 2 to anon_vma P:heap", naming vma->anon_vma too where it is not
// the anon_vma of the first AVC.
func describeVMA(st *engine.State, v *engine.VMA) string {
	var links []string
	for _, id := range v.Chain {
		links = append(links, describeLink(st, id))
	}
	s := "VMA " + st.VMAName(v.ID) + ", linked to no anon_vma"
	if len(links) > 0 {
		s = "VMA " + st.VMAName(v.ID) + ", linked through " + andList(links)
	}
	if v.AnonVMA != 0 && (len(v.Chain) == 0 || !valid(int(v.Chain[0]), len(st.AVCs)) || st.AVC(v.Chain[0]).AnonVMA != v.AnonVMA) {
		s += ", with vma->anon_vma pointing at " + avPhrase(st, v.AnonVMA)
	}
	return s
}

func describeLink(st *engine.State, id engine.AVCID) string {
	if !valid(int(id), len(st.AVCs)) {
		return fmt.Sprintf("missing AVC %d", id)
	}
	c := st.AVC(id)
	s := fmt.Sprintf("AVC %d", id)
	if c.Freed {
		s += " (freed)"
	}
	return s + " to " + avPhrase(st, c.AnonVMA)
}

// avPhrase names an anon_vma: "anon_vma P:heap", "(freed)" after it if so.
func avPhrase(st *engine.State, id engine.AVID) string {
	if !valid(int(id), len(st.AnonVMAs)) {
		return "no anon_vma"
	}
	a := st.AnonVMA(id)
	if a.Freed {
		return "anon_vma " + a.Name + " (freed)"
	}
	return "anon_vma " + a.Name
}

// andList joins "a", "b", "c" as "a, b and c".
func andList(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// describeUnlinked names the live anon_vmas that no drawn AVC links to a
// VMA, such as a leaked one.
func describeUnlinked(st *engine.State, sc scene) []string {
	linked := make([]bool, len(st.AnonVMAs))
	for i, c := range st.AVCs {
		if sc.avc[i] && !c.Freed && valid(int(c.AnonVMA), len(st.AnonVMAs)) {
			linked[c.AnonVMA-1] = true
		}
	}
	var out []string
	for i, a := range st.AnonVMAs {
		if sc.av[i] && !a.Freed && !linked[i] {
			out = append(out, fmt.Sprintf("anon_vma %s is linked to no VMA.", a.Name))
		}
	}
	return out
}
