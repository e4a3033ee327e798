package render

import (
	"fmt"
	"strings"

	"github.com/avdoc/avdoc/engine"
)

func (d *drawing) anonVMANodes() {
	for i := range d.st.AnonVMAs {
		if d.sc.av[i] {
			d.anonVMANode(&d.st.AnonVMAs[i])
		}
	}
}

// anonVMANode draws an anon_vma with the counters its model keeps; a
// freed one is dashed red, and the one a walk oopsed on gets a heavy
// outline.
func (d *drawing) anonVMANode(a *engine.AnonVMA) {
	lines := append([]string{"anon_vma", "<B>" + escapeHTMLLabel(a.Name) + "</B>"}, d.counters(a)...)
	style, color, fill, class := "rounded,filled", d.c(cSameAV), d.c(cAnonVMAFill), "anon_vma"
	if a.Freed {
		lines = append(lines, "<I>freed</I>")
		style, color, fill, class = "rounded,filled,dashed", d.c(cFreed), d.c(cFreedFill), "anon_vma freed"
	}
	sig := fmt.Sprint(lines)
	owner := d.avOwner(a.ID)
	if n := d.sc.stackSize(owner); n > 1 {
		lines = append(lines, fmt.Sprintf("x %d", n))
	}
	as := []attr{str("shape", "box"), str("style", style), str("color", color), str("fillcolor", fill), str("margin", "0.12,0.05")}
	if d.walk.oopsOn(a.ID) {
		class = classes(class, "oops")
		as = append(as, str("penwidth", "3"))
	}
	as = append(append(as, d.stackAttrs(owner)...), html("label", strings.Join(lines, "<BR/>")))
	d.add(&element{name: avName(a.ID), class: classes(class, d.stackClass(owner)), shape: "box", attrs: as,
		key: order{kindAnonVMA, int(a.ID)}, title: d.anonVMATitle(a), sig: sig})
}

// counters are the label lines for the fields a model adds to anon_vma:
// degree (3.19), num_children and num_active_vmas (6.0).
func (d *drawing) counters(a *engine.AnonVMA) []string {
	if d.st.Model == nil {
		return nil
	}
	switch d.st.Model.Reuse {
	case engine.ReuseDegree:
		return []string{fmt.Sprintf("degree %d", a.Degree)}
	case engine.ReuseCounters:
		return []string{fmt.Sprintf("num_children %d", a.NumChildren), fmt.Sprintf("num_active_vmas %d", a.NumActiveVMAs)}
	}
	return nil
}

func (d *drawing) anonVMATitle(a *engine.AnonVMA) string {
	s := "anon_vma " + a.Name
	if d.hasRoot() && valid(int(a.Root), len(d.st.AnonVMAs)) {
		if a.Root == a.ID {
			s += ", a root"
		} else {
			s += ", root " + d.st.AnonVMA(a.Root).Name
		}
	}
	for _, c := range d.counters(a) {
		s += ", " + c
	}
	if a.Freed {
		s += " (freed)"
	}
	return s
}

// hasRoot reports whether the model keeps anon_vma->root.
func (d *drawing) hasRoot() bool { return d.st.Model != nil && d.st.Model.Root }

// avOwner returns the process heading a stack that is the only drawn
// process linked to anon_vma id, or 0. Such an anon_vma stands for one
// per member of the stack.
func (d *drawing) avOwner(id engine.AVID) engine.ProcID {
	if d.sc.stacks == nil {
		return 0
	}
	if d.avOwners == nil {
		d.avOwners = d.findAVOwners()
	}
	if p := d.avOwners[id-1]; p > 0 && d.sc.stackSize(p) > 1 {
		return p
	}
	return 0
}

// findAVOwners returns, per anon_vma, the one drawn process linked to it,
// 0 for none, or -1 for several.
func (d *drawing) findAVOwners() []engine.ProcID {
	out := make([]engine.ProcID, len(d.st.AnonVMAs))
	for i := range d.st.VMAs {
		v := &d.st.VMAs[i]
		if !d.sc.vma[i] {
			continue
		}
		for _, id := range linkedAnonVMAs(d.st, v) {
			switch out[id-1] {
			case 0:
				out[id-1] = v.Proc
			case v.Proc:
			default:
				out[id-1] = -1
			}
		}
	}
	return out
}
