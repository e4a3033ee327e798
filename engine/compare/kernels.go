package compare

import (
	"fmt"
	"slices"
	"strings"

	"github.com/avdoc/avdoc/engine"
)

// MaxSentences is how many differences [Kernels] names for one step; it
// counts the rest in one more sentence.
const MaxSentences = 4

// Run is what one kernel did, step by step: the state after each step and
// the rmap walks the step made. A model's [engine.Machine] makes one; so
// will a kernel observed running the same events.
type Run struct {
	Kernel string               // the kernel's name, as the sentences say it
	Steps  []*engine.StepResult // one per step, in order
}

// Kernels says, for each step of the same events run under several kernels,
// how the kernels' states came apart in that step: each fact (a VMA's
// anon_vma chain, an anon_vma freed or not, what an address maps and its
// page->mapping and mapcount, which VMAs an rmap walk visits) on which the
// kernels disagree after the step and which the step changed under at least
// one of them. A disagreement carried over from an earlier step is not
// repeated. Facts are named as stories name things (P:heap, av(C:heap)), so
// that they compare across kernels whose object ids differ. Nil for fewer
// than two runs; the runs must have as many steps each.
func Kernels(runs []Run) [][]string {
	if len(runs) < 2 {
		return nil
	}
	out := make([][]string, len(runs[0].Steps))
	var prev *comparison
	for i := range out {
		c := newComparison(runs, i, prev)
		out[i] = c.diffs(runs, i)
		prev = c
	}
	return out
}

// comparison holds one step's states under each kernel, and what it found so far.
type comparison struct {
	kernels     []string
	now, before []*engine.State // before is nil for the first step
	found       []string
	more        int

	// What is worked out of each state, after the step and before it; the
	// comparison of the next step takes now's as its before.
	nowFacts, beforeFacts []stateFacts
	names                 *names // numbers anon_vmas' names, for every step
	// agreed are the regions at whose every address the kernels agree after
	// the step, as far as the comparison looked; agreedBefore the same before
	// it (nil for the first step). Both are only looked up.
	agreed, agreedBefore map[span]bool
	kept                 []kept // per kernel; see unchanged
	// The facts of the region being compared, per kernel, after the step
	// and before it.
	nowRegion, beforeRegion [][]pageFact
}

// stateFacts is what the comparison works out of one state.
type stateFacts struct {
	links    facts      // see vmaLinks
	anonVMAs facts      // see anonVMAStates
	avs      []pageFact // see anonVMAFacts
}

// span is the addresses of one region of one process (by index).
type span struct {
	proc  int
	start uint64
	pages int
}

// newComparison sets out to compare step i (0-based); prev is the comparison
// of the step before, or nil, whose work on the states it shares it reuses.
func newComparison(runs []Run, i int, prev *comparison) *comparison {
	c := &comparison{names: &names{}, agreed: map[span]bool{}}
	if prev != nil {
		c.names, c.agreedBefore = prev.names, prev.agreed
	}
	for k := range runs {
		r := &runs[k]
		c.kernels = append(c.kernels, r.Kernel)
		c.now = append(c.now, &r.Steps[i].State)
		c.nowFacts = append(c.nowFacts, c.factsOf(c.now[k]))
		if i == 0 {
			continue
		}
		c.before = append(c.before, &r.Steps[i-1].State)
		if prev != nil {
			c.beforeFacts = append(c.beforeFacts, prev.nowFacts[k])
		} else {
			c.beforeFacts = append(c.beforeFacts, c.factsOf(c.before[k]))
		}
	}
	c.nowRegion, c.beforeRegion = make([][]pageFact, len(c.now)), make([][]pageFact, len(c.before))
	return c
}

// factsOf works out what the comparison needs of st.
func (c *comparison) factsOf(st *engine.State) stateFacts {
	return stateFacts{links: vmaLinks(st), anonVMAs: anonVMAStates(st), avs: c.anonVMAFacts(st)}
}

// diffs is the differences of step i.
func (c *comparison) diffs(runs []Run, i int) []string {
	c.chains()
	c.anonVMAs()
	c.pages()
	for j := 0; ; j++ {
		walks, ok := nthWalks(runs, i, j)
		if !ok {
			break
		}
		c.walk(j, walks)
	}
	return c.sentences()
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
	if len(c.found) == MaxSentences {
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

// known gives the facts pick chooses of each kernel's state after the step and
// before it; before is nil for the first step.
func (c *comparison) known(pick func(stateFacts) facts) (now, before []facts) {
	for _, f := range c.nowFacts {
		now = append(now, pick(f))
	}
	for _, f := range c.beforeFacts {
		before = append(before, pick(f))
	}
	return now, before
}

// chains compares what each live VMA is linked to.
func (c *comparison) chains() {
	now, before := c.known(func(f stateFacts) facts { return f.links })
	for _, name := range keysOf(now) {
		c.compare("VMA "+name+" is linked to", valuesOf(now, name, "nothing"), valuesOf(before, name, "nothing"))
	}
}

// anonVMAs compares whether an anon_vma that every kernel made is freed.
func (c *comparison) anonVMAs() {
	now, before := c.known(func(f stateFacts) facts { return f.anonVMAs })
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
	freed    bool  // the page's anon_vma is freed
	mapping  int32 // the page's anon_vma, by name: see [names]
	mapcount int
}

// names numbers the names of anon_vmas across kernels and steps, so that facts
// compare them as numbers: the same name, the same number. 0 is the empty name,
// which words says as it says no anon_vma at all.
type names struct {
	list []string         // number → name
	ids  map[string]int32 // name → number; read by name only
}

// id is the number of name, given one the first time it is seen.
func (n *names) id(name string) int32 {
	if name == "" {
		return 0
	}
	if id, ok := n.ids[name]; ok {
		return id
	}
	if n.ids == nil {
		n.ids, n.list = map[string]int32{}, []string{""}
	}
	id := int32(len(n.list))
	n.ids[name] = id
	n.list = append(n.list, name)
	return id
}

// words says what the address maps, and how many times the page is mapped if count.
func (c *comparison) words(p pageFact, count bool) string {
	switch {
	case !p.present || p.kind == engine.PTENone:
		return "nothing"
	case p.kind == engine.PTEZero:
		return "the zero page"
	case p.kind == engine.PTESwap:
		return "a swap entry"
	}
	on := "no anon_vma"
	if p.mapping != 0 {
		on = "anon_vma " + c.names.list[p.mapping]
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

// anonVMAFacts is, per anon_vma of st (by id-1), its name's number and whether
// it is freed, as pageFact holds them.
func (c *comparison) anonVMAFacts(st *engine.State) []pageFact {
	out := make([]pageFact, len(st.AnonVMAs))
	for i := range st.AnonVMAs {
		av := &st.AnonVMAs[i]
		out[i] = pageFact{mapping: c.names.id(av.Name), freed: av.Freed}
	}
	return out
}

// regionFacts fills buf with what process p (by index) maps at each address of
// region r in st, and returns it; avs is st's [comparison.anonVMAFacts].
func regionFacts(buf []pageFact, st *engine.State, avs []pageFact, p int, r engine.Region) []pageFact {
	buf = slices.Grow(buf[:0], r.Pages)[:r.Pages]
	if p >= len(st.Procs) || st.Procs[p].Exited {
		clear(buf)
		return buf
	}
	for j := range buf {
		buf[j] = pageFact{present: true}
	}
	// An address's PTE is in the first of the process's VMAs that covers it:
	// going from the last, the first is written last.
	proc := &st.Procs[p]
	for i := len(proc.VMAs) - 1; i >= 0; i-- {
		v := st.VMA(proc.VMAs[i])
		for addr := max(v.Start, r.Start); addr < min(v.End, r.End()); addr++ {
			// Field by field: a whole pageFact built aside and copied in
			// makes this loop about twice as slow.
			pte, f := &v.PTEs[addr-v.Start], &buf[addr-r.Start]
			f.kind, f.mapcount, f.mapping, f.freed = pte.Kind, 0, 0, false
			if pte.Kind == engine.PTEPage {
				pg := st.Page(pte.Page)
				f.mapcount = pg.Mapcount
				if pg.Mapping != 0 {
					av := &avs[pg.Mapping-1]
					f.mapping, f.freed = av.mapping, av.freed
				}
			}
		}
	}
	return buf
}

// pages compares what every address of every region maps, a run of neighbouring
// addresses that differ alike at a time. The kernels ran the same events, so they
// have the same processes and regions, in the same order; the comparison goes
// through them in step. A process whose addresses the step left alone under
// every kernel is passed over: no difference there can be new.
func (c *comparison) pages() {
	first := c.now[0]
	for p := range first.Procs {
		proc := &first.Procs[p]
		if proc.Exited || c.unchanged(p) {
			continue
		}
		for _, r := range proc.Regions {
			c.region(p, proc.Name, r)
		}
	}
}

// unchanged reports whether, under every kernel, process p (by index) maps
// every address as it did before the step: the same PTEs, leading to pages
// with the same mapcount and anon_vma. False for the first step.
func (c *comparison) unchanged(p int) bool {
	if c.before == nil {
		return false
	}
	if c.kept == nil {
		c.kept = make([]kept, len(c.now))
		for k := range c.now {
			c.kept[k] = keptOf(c.now[k], c.before[k])
		}
	}
	for k := range c.now {
		if !c.kept[k].sameMaps(c.now[k], c.before[k], p) {
			return false
		}
	}
	return true
}

// kept is what a step left as it was under one kernel, as far as pageFact can
// tell, to test cheaply.
type kept struct {
	pages    bool // every page: the states share their pages
	anonVMAs bool // every anon_vma made before the step has its name, and is freed or not, as before
}

// keptOf finds what the step from before to now kept.
func keptOf(now, before *engine.State) kept {
	k := kept{
		pages:    len(now.Pages) == len(before.Pages) && (len(now.Pages) == 0 || &now.Pages[0] == &before.Pages[0]),
		anonVMAs: len(now.AnonVMAs) >= len(before.AnonVMAs),
	}
	for i := 0; k.anonVMAs && i < len(before.AnonVMAs); i++ {
		a, b := &now.AnonVMAs[i], &before.AnonVMAs[i]
		k.anonVMAs = a.Name == b.Name && a.Freed == b.Freed
	}
	return k
}

// sameMaps reports whether process p (by index) maps every address in now as
// it did in before, as far as pageFact can tell.
func (k kept) sameMaps(now, before *engine.State, p int) bool {
	if p >= len(now.Procs) || p >= len(before.Procs) {
		return p >= len(now.Procs) && p >= len(before.Procs)
	}
	a, b := &now.Procs[p], &before.Procs[p]
	if a.Exited || b.Exited {
		return a.Exited == b.Exited
	}
	if !slices.Equal(a.VMAs, b.VMAs) {
		return false
	}
	for _, id := range a.VMAs {
		va, vb := now.VMA(id), before.VMA(id)
		if va.Start != vb.Start || va.End != vb.End || !samePTEs(va.PTEs, vb.PTEs) {
			return false
		}
		if k.pages && k.anonVMAs {
			continue
		}
		for _, pte := range va.PTEs {
			if pte.Kind == engine.PTEPage && !k.samePage(now, before, pte.Page) {
				return false
			}
		}
	}
	return true
}

// samePTEs reports whether two page tables hold the same entries; cheaply
// when they are one.
func samePTEs(a, b []engine.PTE) bool {
	if len(a) != len(b) {
		return false
	}
	return len(a) == 0 || &a[0] == &b[0] || slices.Equal(a, b)
}

// samePage reports whether page id has the same mapcount and anon_vma, by
// name and freed or not, in now as in before.
func (k kept) samePage(now, before *engine.State, id engine.PageID) bool {
	a, b := now.Page(id), before.Page(id)
	if a.Mapcount != b.Mapcount || a.Mapping != b.Mapping {
		return false
	}
	if a.Mapping == 0 || k.anonVMAs {
		return true
	}
	x, y := now.AnonVMA(a.Mapping), before.AnonVMA(b.Mapping)
	return x.Name == y.Name && x.Freed == y.Freed
}

// region compares the addresses of region r of process p (by index). Where
// the kernels agree at every address, it says so in c.agreed; where they did
// before the step, every disagreement is new.
func (c *comparison) region(p int, proc string, r engine.Region) {
	for k, st := range c.now {
		c.nowRegion[k] = regionFacts(c.nowRegion[k], st, c.nowFacts[k].avs, p, r)
	}
	at := span{proc: p, start: r.Start, pages: r.Pages}
	if !slices.ContainsFunc(c.nowRegion[1:], func(fs []pageFact) bool { return !slices.Equal(fs, c.nowRegion[0]) }) {
		c.agreed[at] = true
		return
	}
	agreedBefore := c.agreedBefore[at]
	beforeDone := false // c.beforeRegion holds this region's facts
	var run pageRun
	now, before := make([]pageFact, len(c.now)), make([]pageFact, len(c.before))
	for j := 0; j < r.Pages; j++ {
		addr := r.Start + uint64(j)
		for k := range now {
			now[k] = c.nowRegion[k][j]
		}
		if alike(now) {
			c.flush(&run, proc, r) // the kernels agree
			continue
		}
		if c.before != nil && !agreedBefore {
			if !beforeDone {
				for k, st := range c.before {
					c.beforeRegion[k] = regionFacts(c.beforeRegion[k], st, c.beforeFacts[k].avs, p, r)
				}
				beforeDone = true
			}
			for k := range before {
				before[k] = c.beforeRegion[k][j]
			}
			// Kernels that agreed before the step and disagree now differ in it.
			if !alike(before) && sameWords(now, before) {
				c.flush(&run, proc, r) // they disagreed alike before the step
				continue
			}
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

// alike reports whether the kernels' facts are all the same.
func alike(fs []pageFact) bool {
	for _, f := range fs[1:] {
		if f != fs[0] {
			return false
		}
	}
	return true
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
	c.note(addr+" maps", c.factStrings(run.now))
	*run = pageRun{}
}

// sameWords reports whether words says the same of a as of b.
func sameWords(a, b []pageFact) bool {
	if slices.Equal(a, b) {
		return true
	}
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
func (c *comparison) factStrings(fs []pageFact) []string {
	counts := countsDiffer(fs)
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = c.words(f, counts)
	}
	return out
}

// nthWalks is the j-th rmap walk of step i under each kernel; false when a kernel
// made fewer.
func nthWalks(runs []Run, i, j int) ([]*engine.Walk, bool) {
	var out []*engine.Walk
	for k := range runs {
		sr := runs[k].Steps[i]
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
