package live

import (
	"fmt"
	"slices"
	"strings"

	"github.com/avdoc/avdoc/engine"
)

// ObservedFunc is the Func of a live step's log lines. No kernel function
// call can be traced on the machines avdoc reads (no fentry, no kprobes),
// so a live step's log says what changed between two observations, not
// which function changed it.
const ObservedFunc = "observed"

// maxObservedLines bounds a step's log; the rest is counted in one line.
const maxObservedLines = 40

// ObservedLog returns the log lines of a live step: what changed in the
// kernel's reverse map between observation before and after, one line a
// change, in the order processes, VMAs, AVCs, anon_vmas, pages, PTEs. It
// names objects as the story does (P:heap, anon_vma C:heap, AVC 3,
// page 2); an object gone now is named as it was before.
func ObservedLog(before, after *Observation) []engine.LogLine {
	d := &logDiff{b: before, a: after}
	d.procs()
	d.vmas()
	d.avcs()
	d.anonVMAs()
	d.pages()
	d.ptes()
	if n := len(d.lines) - maxObservedLines; n > 0 {
		d.lines = append(d.lines[:maxObservedLines], engine.LogLine{Func: "avdoc", Msg: fmt.Sprintf("%d more changes like these are not shown", n)})
	}
	return d.lines
}

// logDiff builds the lines of ObservedLog.
type logDiff struct {
	b, a  *Observation
	lines []engine.LogLine
}

func (d *logDiff) add(format string, args ...any) {
	d.lines = append(d.lines, engine.LogLine{Func: ObservedFunc, Msg: fmt.Sprintf(format, args...)})
}

// earlier returns element id of an earlier observation's slice, or nil.
func earlier[E any](s []E, id int) *E {
	if id < 1 || id > len(s) {
		return nil
	}
	return &s[id-1]
}

func (d *logDiff) procs() {
	for i, p := range d.a.Procs {
		old := earlier(d.b.Procs, i+1)
		switch {
		case old == nil && p.Parent != 0:
			d.add("process %s, a fork of %s", p.Name, d.a.Procs[p.Parent-1].Name)
		case old == nil:
			d.add("process %s, spawned with an empty mm", p.Name)
		case p.Exited && !old.Exited:
			d.add("process %s is gone", p.Name)
		}
	}
}

func (d *logDiff) vmas() {
	for _, v := range d.a.VMAs {
		old := earlier(d.b.VMAs, v.ID)
		switch {
		case v.Gone && (old == nil || !old.Gone):
			d.add("VMA %s is gone%s", d.vmaName(v.ID), freedText(v.Freed))
		case v.Gone:
		case old == nil || old.Gone:
			d.add("new VMA %s: pages %s, vm_pgoff %#x, %s%s", d.vmaName(v.ID), pagesText(v.Start, v.End), v.Pgoff, protText(v), d.avOfVMA(v))
		default:
			d.vmaChanged(*old, v)
		}
	}
}

// vmaChanged says how a VMA seen in both observations changed.
func (d *logDiff) vmaChanged(old, v VMA) {
	name := d.vmaName(v.ID)
	if old.Start != v.Start || old.End != v.End || old.Pgoff != v.Pgoff {
		d.add("VMA %s now covers pages %s, vm_pgoff %#x (was %s, %#x)", name, pagesText(v.Start, v.End), v.Pgoff, pagesText(old.Start, old.End), old.Pgoff)
	}
	if old.Writable != v.Writable || old.Accounted != v.Accounted {
		d.add("VMA %s is now %s (was %s)", name, protText(v), protText(old))
	}
	if old.AnonVMA != v.AnonVMA {
		d.add("VMA %s: vma->anon_vma is now %s (was %s)", name, d.avName(v.AnonVMA), d.avName(old.AnonVMA))
	}
	if !slices.Equal(old.Chain, v.Chain) {
		d.add("VMA %s: its chain (same_vma, head first) is now %s (was %s)", name, avcList(v.Chain), avcList(old.Chain))
	}
}

func (d *logDiff) avcs() {
	for _, c := range d.a.AVCs {
		old := earlier(d.b.AVCs, c.ID)
		switch {
		case c.Gone && old != nil && !old.Gone:
			d.add("AVC %d of %s, to anon_vma %s, is gone%s", c.ID, d.vmaName(c.VMA), d.avName(c.AnonVMA), freedText(c.Freed))
		case !c.Gone && (old == nil || old.Gone):
			d.add("new AVC %d links %s to anon_vma %s", c.ID, d.vmaName(c.VMA), d.avName(c.AnonVMA))
		}
	}
}

func (d *logDiff) anonVMAs() {
	for _, av := range d.a.AnonVMAs {
		old := earlier(d.b.AnonVMAs, av.ID)
		name := d.avName(av.ID)
		switch {
		case av.Gone && old != nil && !old.Gone && av.Freed:
			d.add("anon_vma %s is freed", name)
		case av.Gone && old != nil && !old.Gone:
			d.add("anon_vma %s: no AVC of the story's VMAs links it now", name)
		case av.Gone:
		case old == nil || old.Gone:
			d.add("new anon_vma %s: %s, num_children %d, num_active_vmas %d", name, d.family(av), av.NumChildren, av.NumActiveVMAs)
		default:
			d.anonVMAChanged(*old, av)
		}
	}
}

// family says where an anon_vma stands: a root, or its root and parent.
func (d *logDiff) family(av AnonVMA) string {
	if av.Root == av.ID || av.Root == 0 {
		return "a root"
	}
	return fmt.Sprintf("root %s, parent %s", d.avName(av.Root), d.avName(av.Parent))
}

// anonVMAChanged says how the counters and the interval tree of an
// anon_vma seen in both observations changed.
func (d *logDiff) anonVMAChanged(old, av AnonVMA) {
	name := d.avName(av.ID)
	var ch []string
	if old.NumChildren != av.NumChildren {
		ch = append(ch, fmt.Sprintf("num_children %d -> %d", old.NumChildren, av.NumChildren))
	}
	if old.NumActiveVMAs != av.NumActiveVMAs {
		ch = append(ch, fmt.Sprintf("num_active_vmas %d -> %d", old.NumActiveVMAs, av.NumActiveVMAs))
	}
	if len(ch) > 0 {
		d.add("anon_vma %s: %s", name, strings.Join(ch, ", "))
	}
	if !slices.Equal(old.Tree, av.Tree) && len(av.Tree) > 0 {
		d.add("anon_vma %s: its interval tree, in order, is now %s (was %s)", name, avcList(av.Tree), avcList(old.Tree))
	}
}

func (d *logDiff) pages() {
	counts := map[[2]int][]string{} // mapcount old -> new: the pages
	var order [][2]int
	for _, pg := range d.a.Pages {
		old := earlier(d.b.Pages, pg.ID)
		switch {
		case pg.Gone && old != nil && !old.Gone:
			d.add("page %d is %s", pg.ID, map[bool]string{true: "freed", false: "no longer mapped by the story's VMAs"}[pg.Freed])
		case pg.Gone:
		case old == nil || old.Gone:
			d.add("new page %d at %s: page->mapping %s, index %#x, mapcount %d", pg.ID, d.firstMapper(pg.ID), d.mappingText(pg), pg.Index, pg.Mapcount)
		default:
			if old.Mapping != pg.Mapping {
				d.add("page %d: page->mapping is now %s (was %s)", pg.ID, d.mappingText(pg), d.mappingText(*old))
			}
			if k := [2]int{old.Mapcount, pg.Mapcount}; k[0] != k[1] {
				if counts[k] == nil {
					order = append(order, k)
				}
				counts[k] = append(counts[k], fmt.Sprint(pg.ID))
			}
		}
	}
	for _, k := range order {
		d.add("mapcount %d -> %d: %s %s", k[0], k[1], plural(len(counts[k]), "page", "pages"), strings.Join(counts[k], ", "))
	}
}

// ptes says, a VMA a line, which of its page table entries now hold
// something other than before, at the same address of the same process.
func (d *logDiff) ptes() {
	for _, v := range d.a.VMAs {
		if v.Gone {
			continue
		}
		var ch []string
		for i, pte := range v.PTEs {
			addr := v.Start + uint64(i)
			was := d.b.pteAt(v.Proc, addr)
			if pte != was {
				ch = append(ch, fmt.Sprintf("%d: %s", addr-d.regionStart(v), observedPTE(pte)))
			}
		}
		if len(ch) > 0 {
			d.add("%s PTEs: %s", d.vmaName(v.ID), strings.Join(ch, ", "))
		}
	}
}

// pteAt returns the PTE process proc has at page number addr.
func (o *Observation) pteAt(proc int, addr uint64) PTE {
	p := earlier(o.Procs, proc)
	if p == nil || p.Exited {
		return PTE{}
	}
	for _, id := range p.VMAs {
		if v := o.VMAs[id-1]; !v.Gone && v.Start <= addr && addr < v.End && int(addr-v.Start) < len(v.PTEs) {
			return v.PTEs[addr-v.Start]
		}
	}
	return PTE{}
}

func observedPTE(p PTE) string {
	switch p.Kind {
	case engine.PTEPage:
		return fmt.Sprintf("page %d", p.Page)
	case engine.PTEZero:
		return "the zero page"
	case engine.PTESwap:
		return fmt.Sprintf("swap entry %d", p.Swap)
	}
	return "none"
}

// vmaName names a VMA as the story does: "P:heap", or "P:heap[2..3]" for
// part of its region; one gone now as it was named before.
func (d *logDiff) vmaName(id int) string {
	if v := earlier(d.a.VMAs, id); v != nil && !v.Gone {
		return d.a.vmaName(*v)
	}
	if v := earlier(d.b.VMAs, id); v != nil {
		return d.b.vmaName(*v)
	}
	return d.a.vmaName(d.a.VMAs[id-1])
}

func (o *Observation) vmaName(v VMA) string {
	p := earlier(o.Procs, v.Proc)
	if p == nil {
		return fmt.Sprintf("VMA %d", v.ID)
	}
	for _, r := range p.Regions {
		switch {
		case v.Start < r.Start || v.Start >= r.End():
		case v.Start == r.Start && v.End >= r.End():
			return p.Name + ":" + r.Name
		default:
			return fmt.Sprintf("%s:%s[%d..%d]", p.Name, r.Name, v.Start-r.Start, v.End-1-r.Start)
		}
	}
	return fmt.Sprintf("%s:%s", p.Name, pagesText(v.Start, v.End))
}

// regionStart is the first page of the region v starts in (v's own
// start where it is in none).
func (d *logDiff) regionStart(v VMA) uint64 {
	if p := earlier(d.a.Procs, v.Proc); p != nil {
		for _, r := range p.Regions {
			if r.Start <= v.Start && v.Start < r.End() {
				return r.Start
			}
		}
	}
	return v.Start
}

// avName is an anon_vma's story name ("C:heap"); "NULL" for none.
func (d *logDiff) avName(id int) string {
	if id == 0 {
		return "NULL"
	}
	for _, o := range []*Observation{d.a, d.b} {
		if av := earlier(o.AnonVMAs, id); av != nil && av.Name != "" {
			return av.Name
		}
	}
	return fmt.Sprintf("%d (no VMA of the story seen using it)", id)
}

// avOfVMA is ", anon_vma X" for a VMA that has one.
func (d *logDiff) avOfVMA(v VMA) string {
	if v.AnonVMA == 0 {
		return ", no anon_vma"
	}
	return fmt.Sprintf(", anon_vma %s, chain %s", d.avName(v.AnonVMA), avcList(v.Chain))
}

// mappingText is what page->mapping points at.
func (d *logDiff) mappingText(pg Page) string {
	switch {
	case !d.a.StructPages:
		return "not read"
	case pg.Mapping == 0:
		return "NULL"
	}
	return "anon_vma " + d.avName(pg.Mapping)
}

// firstMapper names the first place, in process and address order, that
// maps page id now: "P:heap:2".
func (d *logDiff) firstMapper(id int) string {
	for _, p := range d.a.Procs {
		for _, vid := range p.VMAs {
			v := d.a.VMAs[vid-1]
			for i, pte := range v.PTEs {
				if pte.Kind == engine.PTEPage && pte.Page == id {
					return fmt.Sprintf("%s:%d", strings.SplitN(d.vmaName(vid), "[", 2)[0], v.Start+uint64(i)-d.regionStart(v))
				}
			}
		}
	}
	return "no PTE"
}

func freedText(freed bool) string {
	if freed {
		return " (freed)"
	}
	return ""
}

// pagesText is a page range as the engine's log writes one.
func pagesText(start, end uint64) string { return fmt.Sprintf("%#x..%#x", start, end-1) }

func protText(v VMA) string {
	s := "read-only"
	if v.Writable {
		s = "writable"
	}
	if v.Accounted {
		s += ", VM_ACCOUNT"
	}
	return s
}

// avcList is "[AVC 3, AVC 2]".
func avcList(ids []int) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = fmt.Sprintf("AVC %d", id)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
