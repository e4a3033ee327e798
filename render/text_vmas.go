package render

import (
	"fmt"
	"strings"

	"github.com/avdoc/avdoc/engine"
)

// processes writes each drawn process, or stack of alike ones, with its
// VMAs in address order.
func (t *textFigure) processes() {
	t.w.blank()
	for i := range t.d.st.Procs {
		if t.d.sc.proc[i] {
			t.process(&t.d.st.Procs[i])
		}
	}
}

func (t *textFigure) process(p *engine.Process) {
	var vmas []*engine.VMA
	for _, id := range p.VMAs {
		if t.d.drawnVMA(id) {
			vmas = append(vmas, t.d.st.VMA(id))
		}
	}
	title := "process " + p.Name
	if r, ok := t.d.sc.stackOfRun(p.ID); ok {
		title = fmt.Sprintf("processes %s .. %s: %d alike, shown as the first", p.Name, t.d.st.Proc(r.last).Name, r.n)
	}
	t.line(t.procMark(p, vmas), 0, 2, quoteText(title))
	if len(vmas) == 0 {
		t.line(' ', 2, 2, "no VMAs")
	}
	for _, v := range vmas {
		t.vma(v)
	}
}

// procMark is "+" for a process that was not alive before the step and
// whose VMAs are marked new, else a space: clusters carry no mark.
func (t *textFigure) procMark(p *engine.Process, vmas []*engine.VMA) byte {
	prev := t.d.opt.Prev
	if prev == nil || len(vmas) == 0 || t.mark(vmaName(vmas[0].ID)) != '+' {
		return ' '
	}
	if valid(int(p.ID), len(prev.Procs)) && !prev.Proc(p.ID).Exited {
		return ' '
	}
	return '+'
}

// vma writes a VMA, its flags and pgoff, then what its design links it
// by: vma->anon_vma and the same_vma list (2.6.34+), vma->anon_vma
// (2.6.7-2.6.33), and its PTEs when the picture draws them.
func (t *textFigure) vma(v *engine.VMA) {
	d, name := t.d, vmaName(v.ID)
	flags := perm(v.Writable)
	if v.Accounted {
		flags += " VM_ACCOUNT"
	}
	head := fmt.Sprintf("VMA %s, %s, %s, pgoff %#x", vmaRef(d.st, v.ID), pageRange(v.Start, v.End), flags, v.Pgoff)
	if n := d.sc.stackSize(v.Proc); n > 1 {
		head += fmt.Sprintf(", and %d more like it", n-1)
	}
	t.line(t.mark(name), 2, 4, head)
	if design(d.st) != engine.DesignPTEChain {
		t.line(t.mark(name, "anon_vma_ptr "+name), 4, 4, "vma->anon_vma: "+avRef(d.st, v.AnonVMA))
	}
	if design(d.st) == engine.DesignAnonVMAChain {
		t.sameVMA(v)
	}
	if d.opt.PTEs || d.opt.Swap {
		t.ptes(v)
	}
}

// sameVMA writes the VMA's same_vma list, one AVC a line, in list order:
// the AVC and the anon_vma it links the VMA to.
func (t *textFigure) sameVMA(v *engine.VMA) {
	const head = "same_vma: "
	if len(v.Chain) == 0 {
		t.line(t.mark(vmaName(v.ID)), 4, 4, head+"empty")
		return
	}
	for i, id := range v.Chain {
		text := avcRef(t.d.st, id) + " -> missing"
		if valid(int(id), len(t.d.st.AVCs)) {
			text = avcRef(t.d.st, id) + " -> " + avRef(t.d.st, t.d.st.AVC(id).AnonVMA)
		}
		indent := 4 + len(head)
		if i == 0 {
			indent, text = 4, head+text
		}
		t.line(t.mark(avcName(id), "same_vma to "+avcName(id)), indent, 4, text)
	}
}

// ptes writes where the VMA's PTEs lead, one target once, as the
// picture's PTE edges do.
func (t *textFigure) ptes(v *engine.VMA) {
	var to []string
	seen := map[string]bool{}
	for _, pte := range v.PTEs {
		target, class, _ := t.d.pteTarget(pte)
		if target == "" || seen[target+class] {
			continue
		}
		seen[target+class] = true
		to = append(to, nodeWords(target, class))
	}
	if len(to) > 0 {
		t.line(t.mark(vmaName(v.ID), "pte "+vmaName(v.ID)), 4, 6, "PTEs: "+strings.Join(to, ", "))
	}
}

// nodeWords names a page, swap slot or the zero page by its node name:
// "page 3", "swap slot 2", "zero page"; "swap entry, page 3" for a swap
// entry whose page is in the swap cache.
func nodeWords(name, class string) string {
	var s string
	switch {
	case name == "zero":
		return "zero page"
	case strings.HasPrefix(name, "page"):
		s = "page " + strings.TrimPrefix(name, "page")
	case strings.HasPrefix(name, "swap"):
		return "swap entry, slot " + strings.TrimPrefix(name, "swap")
	}
	if class == "pte swap" {
		return "swap entry, " + s
	}
	return s
}
