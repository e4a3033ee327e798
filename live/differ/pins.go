package differ

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/avdoc/avdoc/engine"
)

// maxPins bounds the expectations Pins gives each side.
const maxPins = 12

// Pins returns expectations that tell two states of the same step
// apart, in the story language: for each term (a page's VMA, anon_vma,
// mapping, mapcount, chain and walk; an anon_vma's root and counters,
// where the model has them; how many processes, VMAs, anon_vmas and
// AVCs there are) whose value differs, `TERM == VALUE` as each state has
// it, a few of each. Each holds in its own state; none in the other.
func Pins(model *engine.Model, a, b *engine.State) (pa, pb []string) {
	ta, tb := terms(model, a), terms(model, b)
	for _, t := range ta {
		if u, ok := lookup(tb, t.term); !ok || u != t {
			pa = append(pa, t.String())
		}
	}
	for _, t := range tb {
		if u, ok := lookup(ta, t.term); !ok || u != t {
			pb = append(pb, t.String())
		}
	}
	return pa[:min(len(pa), maxPins)], pb[:min(len(pb), maxPins)]
}

// term is an expectation's left side and its value in a state.
type term struct{ term, op, value string }

func (t term) String() string { return t.term + " " + t.op + " " + t.value }

func lookup(ts []term, name string) (term, bool) {
	for _, t := range ts {
		if t.term == name {
			return t, true
		}
	}
	return term{}, false
}

// terms lists the terms of a state and their values, as the story
// evaluator computes them.
func terms(model *engine.Model, st *engine.State) []term {
	var out []term
	for _, p := range st.LiveProcs() {
		for _, r := range p.Regions {
			for i := range r.Pages {
				out = append(out, pageTerms(st, p, r, i)...)
			}
		}
		out = append(out, vmaTerms(st, p)...)
	}
	out = append(out, avTerms(model, st)...)
	for _, kind := range []string{"process", "vma", "anon_vma", "avc"} {
		out = append(out, term{fmt.Sprintf("count(%s)", kind), "==", fmt.Sprint(count(st, kind))})
	}
	return out
}

// pageTerms are the terms of page i of region r of process p.
func pageTerms(st *engine.State, p *engine.Process, r engine.Region, i int) []term {
	addr := fmt.Sprintf("%s:%s:%d", p.Name, r.Name, i)
	pte, v := st.PTEAt(p, r.Start+uint64(i))
	var page *engine.Page
	if pte != nil && pte.Kind == engine.PTEPage {
		page = st.Page(pte.Page)
	}
	out := []term{{"anon_vma(" + addr + ")", "==", avOf(st, v, func(v *engine.VMA) engine.AVID { return v.AnonVMA })}}
	mapping, mapcount, walk := "NULL", 0, "[]"
	if page != nil {
		mapping, mapcount, walk = avName(st, page.Mapping), page.Mapcount, walkProcs(st, pte.Page)
	}
	return append(out, term{"mapping(" + addr + ")", "==", mapping},
		term{"mapcount(" + addr + ")", "==", fmt.Sprint(mapcount)},
		term{"chain(" + addr + ")", "==", chain(st, v)},
		term{"walk(" + addr + ")", "==", walk})
}

// vmaTerms say, for each two neighbouring pages of p's regions (in one
// region or two), whether one VMA maps both: splits and merges.
func vmaTerms(st *engine.State, p *engine.Process) []term {
	type pg struct {
		addr string
		at   uint64
	}
	var pages []pg
	for _, r := range p.Regions {
		for i := range r.Pages {
			pages = append(pages, pg{fmt.Sprintf("%s:%s:%d", p.Name, r.Name, i), r.Start + uint64(i)})
		}
	}
	slices.SortFunc(pages, func(a, b pg) int { return cmp.Compare(a.at, b.at) })
	var out []term
	for i := 1; i < len(pages); i++ {
		if a, b := pages[i-1], pages[i]; b.at == a.at+1 {
			_, v := st.PTEAt(p, a.at)
			_, w := st.PTEAt(p, b.at)
			out = append(out, term{"vma(" + a.addr + ")", sameVMA(v, w), "vma(" + b.addr + ")"})
		}
	}
	return out
}

// sameVMA is the operator that relates two pages' VMAs.
func sameVMA(v, w *engine.VMA) string {
	if v == w {
		return "=="
	}
	return "!="
}

func avOf(st *engine.State, v *engine.VMA, f func(*engine.VMA) engine.AVID) string {
	if v == nil {
		return "NULL"
	}
	return avName(st, f(v))
}

func avName(st *engine.State, id engine.AVID) string {
	if id == 0 {
		return "NULL"
	}
	return "av(" + st.AnonVMA(id).Name + ")"
}

func chain(st *engine.State, v *engine.VMA) string {
	var names []string
	if v != nil {
		for _, id := range v.Chain {
			names = append(names, avName(st, st.AVC(id).AnonVMA))
		}
	}
	return "[" + strings.Join(names, ", ") + "]"
}

func walkProcs(st *engine.State, id engine.PageID) string {
	var names []string
	for _, v := range st.Walk(id, "page_referenced").Visits {
		names = append(names, st.Proc(st.VMA(v.VMA).Proc).Name)
	}
	return "[" + strings.Join(names, ", ") + "]"
}

// avTerms are the root and counters of each anon_vma a live VMA links,
// where the model has them.
func avTerms(model *engine.Model, st *engine.State) []term {
	var names []string
	for _, p := range st.LiveProcs() {
		for _, id := range p.VMAs {
			for _, avc := range st.VMA(id).Chain {
				if n := avName(st, st.AVC(avc).AnonVMA); !slices.Contains(names, n) {
					names = append(names, n)
				}
			}
		}
	}
	slices.Sort(names)
	var out []term
	for _, n := range names {
		a := st.AnonVMA(avID(st, n))
		if model.Root {
			out = append(out, term{"root(" + n + ")", "==", avName(st, a.Root)})
		}
		if model.Reuse == engine.ReuseCounters {
			out = append(out, term{"num_children(" + n + ")", "==", fmt.Sprint(a.NumChildren)},
				term{"num_active_vmas(" + n + ")", "==", fmt.Sprint(a.NumActiveVMAs)})
		}
	}
	return out
}

// avID finds an anon_vma by its av(...) name.
func avID(st *engine.State, name string) engine.AVID {
	for _, a := range st.AnonVMAs {
		if "av("+a.Name+")" == name {
			return a.ID
		}
	}
	return 0
}

// count counts as the story's count() does.
func count(st *engine.State, kind string) int {
	n := 0
	switch kind {
	case "process":
		n = len(st.LiveProcs())
	case "vma":
		for _, v := range st.VMAs {
			n += b2i(!v.Gone)
		}
	case "anon_vma":
		for _, a := range st.AnonVMAs {
			n += b2i(!a.Freed)
		}
	case "avc":
		for _, a := range st.AVCs {
			n += b2i(!a.Freed)
		}
	}
	return n
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
