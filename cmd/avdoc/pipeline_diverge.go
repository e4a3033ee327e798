package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/avdoc/avdoc/engine"
	"github.com/avdoc/avdoc/story"
)

// maxDiffs is how many differences the site names for one step; it counts the rest.
const maxDiffs = 4

// stateDiffs says, for each step of a story run under several kernels, how the
// kernels' states came apart in that step: each fact (a VMA's chain, an anon_vma
// freed or not, what an address maps, what a walk visits) on which the kernels
// disagree after the step and which the step changed under at least one of them. A
// disagreement carried over from an earlier step is not repeated. Facts are named as
// stories name things, so that they compare across kernels. Nil for one kernel.
func stateDiffs(res *story.Result) [][]string {
	if len(res.Runs) < 2 {
		return nil
	}
	out := make([][]string, len(res.Story.Steps))
	for i := range out {
		out[i] = stepDiffs(res, i)
	}
	return out
}

// stepDiffs is the differences of step i (0-based).
func stepDiffs(res *story.Result, i int) []string {
	c := comparison{}
	for k := range res.Runs {
		r := &res.Runs[k]
		c.kernels = append(c.kernels, r.Kernel.Model.Name)
		c.now = append(c.now, &r.Steps[i].State)
		if i > 0 {
			c.before = append(c.before, &r.Steps[i-1].State)
		}
	}
	c.chains()
	c.anonVMAs()
	c.pages()
	for j := 0; ; j++ {
		walks, ok := nthWalks(res, i, j)
		if !ok {
			break
		}
		c.walk(j, walks)
	}
	return c.sentences()
}

// comparison holds one step's states under each kernel, and what it found so far.
type comparison struct {
	kernels     []string
	now, before []*engine.State // before is nil for the first step
	found       []string
	more        int
}

// compare notes the fact named what if the kernels disagree on it now and the step
// changed it under one of them at least; before is nil for a fact the step made.
func (c *comparison) compare(what string, now, before []string) {
	differ := slices.ContainsFunc(now, func(v string) bool { return v != now[0] })
	if differ && (before == nil || !slices.Equal(now, before)) {
		c.note(what, now)
	}
}

// note records a difference: what, and each kernel's value of it.
func (c *comparison) note(what string, values []string) {
	if len(c.found) == maxDiffs {
		c.more++
		return
	}
	c.found = append(c.found, what+": "+byValue(c.kernels, values)+".")
}

// sentences is what the comparison found, and how much more there was.
func (c *comparison) sentences() []string {
	if c.more > 0 {
		return append(c.found, fmt.Sprintf("And %d more like these.", c.more))
	}
	return c.found
}

// byValue says which kernels have which value: "A under 2.6.34-rc3; B under 2.6.34".
func byValue(kernels, values []string) string {
	var order []string
	under := map[string][]string{} // value → kernels; order keeps the order
	for k, v := range values {
		if _, seen := under[v]; !seen {
			order = append(order, v)
		}
		under[v] = append(under[v], kernels[k])
	}
	parts := make([]string, len(order))
	for i, v := range order {
		parts[i] = v + " under " + strings.Join(under[v], ", ")
	}
	return strings.Join(parts, "; ")
}

// factsOf applies fn to each kernel's state after the step and before it; before is
// nil for the first step.
func (c *comparison) factsOf(fn func(*engine.State) facts) (now, before []facts) {
	for _, st := range c.now {
		now = append(now, fn(st))
	}
	for _, st := range c.before {
		before = append(before, fn(st))
	}
	return now, before
}

// chains compares what each live VMA is linked to.
func (c *comparison) chains() {
	now, before := c.factsOf(vmaLinks)
	for _, name := range keysOf(now) {
		c.compare("VMA "+name+" is linked to", valuesOf(now, name, "nothing"), valuesOf(before, name, "nothing"))
	}
}

// anonVMAs compares whether an anon_vma that every kernel made is freed.
func (c *comparison) anonVMAs() {
	now, before := c.factsOf(anonVMAStates)
	for _, name := range keysOf(now) {
		if vals := valuesOf(now, name, ""); !slices.Contains(vals, "") {
			c.compare("anon_vma "+name, vals, valuesOf(before, name, "not made yet"))
		}
	}
}

// facts are named facts of one state, in the order the state holds them.
type facts struct {
	keys   []string
	values map[string]string // key → value; read by key only
}

// set gives key its value, keeping the order keys first came in.
func (f *facts) set(key, value string) {
	if f.values == nil {
		f.values = map[string]string{}
	}
	if _, ok := f.values[key]; !ok {
		f.keys = append(f.keys, key)
	}
	f.values[key] = value
}

// keysOf is every key of the first kernel's facts, then the others' new ones.
func keysOf(all []facts) []string {
	var out []string
	seen := map[string]bool{} // only looked up
	for _, f := range all {
		for _, k := range f.keys {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	return out
}

// valuesOf is each kernel's value of key, or absent where it has none; nil for no facts.
func valuesOf(all []facts, key, absent string) []string {
	if all == nil {
		return nil
	}
	out := make([]string, len(all))
	for k, f := range all {
		v, ok := f.values[key]
		if !ok {
			v = absent
		}
		out[k] = v
	}
	return out
}

// vmaLinks is what each VMA of a live process is linked to: the anon_vmas of its
// chain, head first, or in 2.6.7-2.6.33 its vma->anon_vma.
func vmaLinks(st *engine.State) facts {
	var f facts
	for i := range st.VMAs {
		v := &st.VMAs[i]
		if v.Gone || st.Proc(v.Proc).Exited {
			continue
		}
		var avs []string
		for _, id := range v.Chain {
			avs = append(avs, st.AnonVMA(st.AVC(id).AnonVMA).Name)
		}
		if len(v.Chain) == 0 && v.AnonVMA != 0 {
			avs = append(avs, st.AnonVMA(v.AnonVMA).Name)
		}
		f.set(st.VMAName(v.ID), anonVMAList(avs))
	}
	return f
}

// anonVMAList names a list of anon_vmas: "anon_vmas C:heap, P:heap".
func anonVMAList(names []string) string {
	switch len(names) {
	case 0:
		return "no anon_vma"
	case 1:
		return "anon_vma " + names[0]
	}
	return "anon_vmas " + strings.Join(names, ", ")
}

// anonVMAStates is whether each anon_vma is live or freed.
func anonVMAStates(st *engine.State) facts {
	var f facts
	for i := range st.AnonVMAs {
		av := &st.AnonVMAs[i]
		state := "live"
		if av.Freed {
			state = "freed"
		}
		f.set(av.Name, state)
	}
	return f
}

// pageFact is what an address maps, in terms that compare across kernels.
type pageFact struct {
	present  bool // the address exists in this state
	kind     engine.PTEKind
	mapping  string // the page's anon_vma, by name
	freed    bool   // that anon_vma is freed
	mapcount int
}

// words says what the address maps, and how many times the page is mapped if count.
func (p pageFact) words(count bool) string {
	switch {
	case !p.present || p.kind == engine.PTENone:
		return "nothing"
	case p.kind == engine.PTEZero:
		return "the zero page"
	case p.kind == engine.PTESwap:
		return "a swap entry"
	}
	on := "no anon_vma"
	if p.mapping != "" {
		on = "anon_vma " + p.mapping
	}
	if p.freed {
		on = "freed " + on
	}
	if count {
		return fmt.Sprintf("a page on %s, mapped %s", on, times(p.mapcount))
	}
	return "a page on " + on
}

// times is "once" or "N times".
func times(n int) string {
	if n == 1 {
		return "once"
	}
	return fmt.Sprintf("%d times", n)
}

// factAt is what process p (by index) maps at addr in st.
func factAt(st *engine.State, p int, addr uint64) pageFact {
	if p >= len(st.Procs) || st.Procs[p].Exited {
		return pageFact{}
	}
	pte, _ := st.PTEAt(&st.Procs[p], addr)
	if pte == nil {
		return pageFact{present: true}
	}
	f := pageFact{present: true, kind: pte.Kind}
	if pte.Kind == engine.PTEPage {
		pg := st.Page(pte.Page)
		f.mapcount = pg.Mapcount
		if pg.Mapping != 0 {
			av := st.AnonVMA(pg.Mapping)
			f.mapping, f.freed = av.Name, av.Freed
		}
	}
	return f
}

// pages compares what every address of every region maps, a run of neighbouring
// addresses that differ alike at a time. The kernels ran the same events, so they
// have the same processes and regions, in the same order; the comparison goes
// through them in step.
func (c *comparison) pages() {
	first := c.now[0]
	for p := range first.Procs {
		proc := &first.Procs[p]
		if proc.Exited {
			continue
		}
		for _, r := range proc.Regions {
			c.region(p, proc.Name, r)
		}
	}
}

// region compares the addresses of region r of process p (by index).
func (c *comparison) region(p int, proc string, r engine.Region) {
	var run pageRun
	now, before := make([]pageFact, len(c.now)), make([]pageFact, len(c.before))
	for addr := r.Start; addr < r.End(); addr++ {
		for k, st := range c.now {
			now[k] = factAt(st, p, addr)
		}
		for k, st := range c.before {
			before[k] = factAt(st, p, addr)
		}
		if !c.pageDiffers(now, before) {
			c.flush(&run, proc, r)
			continue
		}
		if run.n > 0 && sameWords(run.now, now) && run.from+uint64(run.n) == addr {
			run.n++
			continue
		}
		c.flush(&run, proc, r)
		run = pageRun{from: addr, n: 1, now: slices.Clone(now)}
	}
	c.flush(&run, proc, r)
}

// pageRun is n neighbouring addresses from from that differ alike.
type pageRun struct {
	from uint64
	n    int
	now  []pageFact
}

// flush reports a run, if there is one, and empties it.
func (c *comparison) flush(run *pageRun, proc string, r engine.Region) {
	if run.n == 0 {
		return
	}
	addr := fmt.Sprintf("%s:%s:%d", proc, r.Name, run.from-r.Start)
	if run.n > 1 {
		addr += fmt.Sprintf("..%d", run.from-r.Start+uint64(run.n-1))
	}
	c.note(addr+" maps", factStrings(run.now))
	*run = pageRun{}
}

// pageDiffers is compare's test on facts rather than their words: the kernels disagree
// now, and what words would say of them is not what it said before the step.
func (c *comparison) pageDiffers(now, before []pageFact) bool {
	if !slices.ContainsFunc(now, func(f pageFact) bool { return f != now[0] }) {
		return false
	}
	if c.before == nil {
		return true
	}
	return !sameWords(now, before)
}

// sameWords reports whether words says the same of a as of b.
func sameWords(a, b []pageFact) bool {
	ca, cb := countsDiffer(a), countsDiffer(b)
	for k := range a {
		if a[k].shown(ca) != b[k].shown(cb) {
			return false
		}
	}
	return true
}

// countsDiffer reports whether the facts' mapcounts differ, so that words shows them.
func countsDiffer(fs []pageFact) bool {
	return slices.ContainsFunc(fs, func(f pageFact) bool { return f.mapcount != fs[0].mapcount })
}

// shown is the fact as words tells it: without its mapcount unless count.
func (p pageFact) shown(count bool) pageFact {
	if !count {
		p.mapcount = 0
	}
	return p
}

// factStrings says each fact in words, with the mapcount only where the kernels'
// mapcounts differ.
func factStrings(fs []pageFact) []string {
	counts := countsDiffer(fs)
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.words(counts)
	}
	return out
}

// nthWalks is the j-th rmap walk of step i under each kernel; false when a kernel
// made fewer.
func nthWalks(res *story.Result, i, j int) ([]*engine.Walk, bool) {
	var out []*engine.Walk
	for k := range res.Runs {
		sr := &res.Runs[k].Steps[i]
		if j >= len(sr.Walks) {
			return nil, false
		}
		out = append(out, &sr.Walks[j])
	}
	return out, true
}

// walk compares the VMAs the j-th walk of the step visited under each kernel.
func (c *comparison) walk(j int, walks []*engine.Walk) {
	vals := make([]string, len(walks))
	for k, w := range walks {
		vals[k] = visits(c.now[k], w)
	}
	what := "The rmap walk (" + walks[0].Func + ") visits"
	if j > 0 {
		what = fmt.Sprintf("Rmap walk %d (%s) visits", j+1, walks[0].Func)
	}
	c.compare(what, vals, nil)
}

// visits names the VMAs a walk visited, or counts them past a few.
func visits(st *engine.State, w *engine.Walk) string {
	switch n := len(w.Visits); {
	case n == 0:
		return "no VMA"
	case n > 4:
		return fmt.Sprintf("%d VMAs", n)
	}
	var names []string
	for _, v := range w.Visits {
		names = append(names, st.VMAName(v.VMA))
	}
	return strings.Join(names, ", ")
}
