package live

import (
	"fmt"
	"slices"
	"strings"

	"github.com/avdoc/avdoc/engine"
)

// Difference is one way the kernel's state after a step differs from a
// model's: the object, named as stories name it, and what each says.
type Difference struct {
	What   string // "P:heap[0..1]", "anon_vma C:heap", "page P:heap:2", "process C"
	Model  string
	Kernel string
	// Kind is what differs, without the objects' names, one of
	// [DifferenceKinds]: a difference of the same kind in a shorter
	// sequence is the same finding.
	Kind string
}

// DifferenceKinds lists the kinds of [Difference], in the order Compare
// looks.
func DifferenceKinds() []string {
	return []string{KindProcess, KindVMAs, KindFlags, KindAnonVMA, KindChain, KindPage, KindWalk, KindLinked, KindCounters}
}

// The kinds of [Difference].
const (
	KindProcess  = "process"  // a process lives in one and not the other
	KindVMAs     = "vmas"     // a process's VMAs have other ranges (a split or merge)
	KindFlags    = "flags"    // a VMA's protection or VM_ACCOUNT
	KindAnonVMA  = "anon_vma" // a VMA's anon_vma
	KindChain    = "chain"    // a VMA's same_vma chain, in order
	KindPage     = "page"     // what a PTE maps: page->mapping, index, mapcount
	KindWalk     = "walk"     // the order an rmap walk visits VMAs
	KindLinked   = "linked"   // an anon_vma is linked in one and not the other
	KindCounters = "counters" // an anon_vma's root, parent, num_children, num_active_vmas
)

func (d Difference) String() string {
	return fmt.Sprintf("%s: the model says %s; the kernel shows %s", d.What, d.Model, d.Kernel)
}

// Compare returns the differences between a model's state and the
// kernel's after the same step, in a fixed order: processes, then each
// live process's VMAs, their chains and pages, then the anon_vmas those
// reach, then each page's rmap walk. Objects are matched by their story
// names, since the two number them differently.
func Compare(model, kernel *engine.State) []Difference {
	c := &comparer{m: model, k: kernel, walked: map[engine.PageID]bool{}}
	for _, p := range model.LiveProcs() {
		kp := kernel.ProcByName(p.Name)
		if kp == nil {
			c.add(KindProcess, "process "+p.Name, "alive", "no such process")
			continue
		}
		c.vmas(p, kp)
	}
	for _, kp := range kernel.LiveProcs() {
		if model.ProcByName(kp.Name) == nil {
			c.add(KindProcess, "process "+kp.Name, "no such process", "alive")
		}
	}
	c.anonVMAs()
	return c.out
}

type comparer struct {
	m, k   *engine.State
	out    []Difference
	walked map[engine.PageID]bool // the model's pages whose walks were compared
}

func (c *comparer) add(kind, what, model, kernel string) {
	c.out = append(c.out, Difference{What: what, Model: model, Kernel: kernel, Kind: kind})
}

// vmas compares the VMAs of one process: their ranges, and where those
// agree, each VMA.
func (c *comparer) vmas(mp, kp *engine.Process) {
	mr, kr := ranges(c.m, mp), ranges(c.k, kp)
	if !slices.Equal(mr, kr) {
		c.add(KindVMAs, mp.Name+"'s VMAs", strings.Join(mr, " "), strings.Join(kr, " "))
		return
	}
	for i := range mp.VMAs {
		c.vma(c.m.VMA(mp.VMAs[i]), c.k.VMA(kp.VMAs[i]))
	}
}

// ranges names a process's VMAs with their page ranges.
func ranges(s *engine.State, p *engine.Process) []string {
	out := make([]string, len(p.VMAs))
	for i, id := range p.VMAs {
		v := s.VMA(id)
		out[i] = fmt.Sprintf("%s [%d,%d)", s.VMAName(id), v.Start, v.End)
	}
	return out
}

// vma compares two VMAs over the same range.
func (c *comparer) vma(mv, kv *engine.VMA) {
	name := c.m.VMAName(mv.ID)
	same := func(kind, what, m, k string) {
		if m != k {
			c.add(kind, name+" "+what, m, k)
		}
	}
	same(KindFlags, "flags", flags(mv), flags(kv))
	same(KindAnonVMA, "anon_vma", avName(c.m, mv.AnonVMA), avName(c.k, kv.AnonVMA))
	same(KindChain, "chain", chainNames(c.m, mv), chainNames(c.k, kv))
	p := c.m.Proc(mv.Proc)
	for i := range mv.PTEs {
		page := pageName(c.m, p, mv.Start+uint64(i))
		m, k := mv.PTEs[i], kv.PTEs[i]
		same(KindPage, "page "+page, pteText(c.m, m), pteText(c.k, k))
		if m.Kind == engine.PTEPage && k.Kind == engine.PTEPage && !c.walked[m.Page] {
			c.walked[m.Page] = true
			same(KindWalk, "walk of page "+page, walkText(c.m, m.Page), walkText(c.k, k.Page))
		}
	}
}

// walkText lists the VMAs an rmap walk of the page (page_referenced)
// visits, in order, marking those where it found the page.
func walkText(s *engine.State, id engine.PageID) string {
	w := s.Walk(id, "page_referenced")
	parts := make([]string, len(w.Visits))
	for i, v := range w.Visits {
		parts[i] = s.VMAName(v.VMA)
		if v.Found {
			parts[i] += " (found)"
		}
	}
	return "visits " + strings.Join(parts, ", ")
}

func flags(v *engine.VMA) string {
	s := "ro"
	if v.Writable {
		s = "rw"
	}
	if v.Accounted {
		s += " VM_ACCOUNT"
	}
	return s
}

func avName(s *engine.State, id engine.AVID) string {
	if id == 0 {
		return "none"
	}
	return s.AnonVMA(id).Name
}

func chainNames(s *engine.State, v *engine.VMA) string {
	names := make([]string, len(v.Chain))
	for i, id := range v.Chain {
		names[i] = avName(s, s.AVC(id).AnonVMA)
	}
	return "[" + strings.Join(names, " ") + "]"
}

// pageName names a page of a process as stories do: P:heap:2.
func pageName(s *engine.State, p *engine.Process, addr uint64) string {
	for _, r := range p.Regions {
		if r.Start <= addr && addr < r.End() {
			return fmt.Sprintf("%s:%s:%d", p.Name, r.Name, addr-r.Start)
		}
	}
	return fmt.Sprintf("%s:%d", p.Name, addr)
}

// pteText says what a PTE maps: nothing, the zero page, or a page with
// its page->mapping, index and mapcount.
func pteText(s *engine.State, e engine.PTE) string {
	switch e.Kind {
	case engine.PTEZero:
		return "the zero page"
	case engine.PTESwap:
		if int(e.Swap) > 0 && int(e.Swap) <= len(s.Swap) && s.Slot(e.Swap).Count > 1 {
			n := s.Slot(e.Swap).Count
			return fmt.Sprintf("a swap entry that %d PTEs hold", n)
		}
		return "a swap entry"
	case engine.PTEPage:
		pg := s.Page(e.Page)
		return fmt.Sprintf("a page under %s, index %d, mapcount %d", avName(s, pg.Mapping), pg.Index, pg.Mapcount)
	}
	return "nothing"
}

// anonVMAs compares the anon_vmas the live VMAs' chains reach, by name:
// which exist, and their root, parent and counters.
func (c *comparer) anonVMAs() {
	ma, ka := reached(c.m), reached(c.k)
	for _, name := range sortedKeys(ma, ka) {
		m, k := ma[name], ka[name]
		what := "anon_vma " + name
		switch {
		case m == nil:
			c.add(KindLinked, what, "no such anon_vma", "linked")
		case k == nil:
			c.add(KindLinked, what, "linked", "no such anon_vma")
		default:
			if mt, kt := avText(c.m, m), avText(c.k, k); mt != kt {
				c.add(KindCounters, what, mt, kt)
			}
		}
	}
}

// reached returns the anon_vmas the live VMAs' chains link, by name.
func reached(s *engine.State) map[string]*engine.AnonVMA {
	out := map[string]*engine.AnonVMA{}
	for _, p := range s.LiveProcs() {
		for _, id := range p.VMAs {
			for _, avc := range s.VMA(id).Chain {
				a := s.AnonVMA(s.AVC(avc).AnonVMA)
				out[a.Name] = a
			}
		}
	}
	return out
}

func avText(s *engine.State, a *engine.AnonVMA) string {
	return fmt.Sprintf("root %s, parent %s, num_children %d, num_active_vmas %d",
		avName(s, a.Root), avName(s, a.Parent), a.NumChildren, a.NumActiveVMAs)
}

func sortedKeys[V any](a, b map[string]V) []string {
	var out []string
	for k := range a {
		out = append(out, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}
