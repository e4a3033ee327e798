package story

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/avdoc/avdoc/engine"
)

// valueKind is the kind of a value an expectation term evaluates to.
type valueKind int

const (
	vNull    valueKind = iota // a NULL pointer, or nothing there
	vInt                      // a number
	vBool                     // freed(), alive(), swapped()
	vName                     // a bare name written in the expectation
	vProc                     // a process
	vAV                       // an anon_vma
	vVMA                      // a VMA
	vPage                     // an anonymous page
	vZero                     // the shared zero page
	vList                     // a list
	vMissing                  // av(…) of an anon_vma never created
)

type value struct {
	kind valueKind
	n    int    // vInt, vBool (0/1), object id
	name string // display name
	list []value
}

func (v value) String() string {
	var b strings.Builder
	v.write(&b)
	return b.String()
}

// write writes v as String does, into one buffer however deeply its
// lists nest.
func (v value) write(b *strings.Builder) {
	switch v.kind {
	case vNull:
		b.WriteString("NULL")
	case vInt:
		b.WriteString(strconv.Itoa(v.n))
	case vBool:
		b.WriteString(strconv.FormatBool(v.n == 1))
	case vList:
		b.WriteByte('[')
		for i, x := range v.list {
			if i > 0 {
				b.WriteString(", ")
			}
			x.write(b)
		}
		b.WriteByte(']')
	default:
		b.WriteString(v.name)
	}
}

func equal(a, b value) bool {
	switch {
	case a.kind == vName || b.kind == vName:
		return (a.kind == vName || a.kind == vProc) && (b.kind == vName || b.kind == vProc) && a.name == b.name
	case a.kind != b.kind || a.kind == vMissing:
		return false
	case a.kind == vList:
		return slices.EqualFunc(a.list, b.list, equal)
	case a.kind == vNull || a.kind == vZero:
		return true
	}
	return a.n == b.n
}

// evaluator evaluates expectations against one step's result.
type evaluator struct {
	res   *engine.StepResult
	st    *engine.State
	model *engine.Model
	names procNames // every process name the story uses
	// counts holds what count() found, by kind: the state does not
	// change while a step's expectations are evaluated, and a story may
	// hold thousands of counts over a million pages.
	counts map[string]int
	// past holds the steps before this one, under the same kernel, for
	// the terms that read an earlier step (`@N`, `@before`).
	past []StepRun
}

// inputError is an expectation that cannot be evaluated because it refers
// to something the story never made: a problem in the story, not a
// failed expectation.
type inputError struct {
	pos  Pos
	msg  string
	hint string
}

func (e *inputError) Error() string { return e.msg }

// holds evaluates an expectation. It returns whether it holds and, when it
// does not, what was found instead.
func (ev *evaluator) holds(x Expr, pos Pos) (ok bool, got string, err *inputError) {
	if x.Pred != "" {
		return ev.predicate(x, pos)
	}
	l, err := ev.term(x.Left)
	if err != nil {
		return false, "", err
	}
	r, err := ev.term(x.Right)
	if err != nil {
		return false, "", err
	}
	ok, err = compare(x, l, r)
	if ok || err != nil {
		return ok, "", err
	}
	return false, found(x, l, r), nil
}

// found says what the terms of a comparison that failed were: the side
// that is not a literal (nor an av(), which names itself), or both when
// neither is. For `in`, the list is what the reader needs to see.
func found(x Expr, l, r value) string {
	left := fmt.Sprintf("%s is %s", termText(x.Left), l)
	right := fmt.Sprintf("%s is %s", termText(x.Right), r)
	switch {
	case !computed(x.Right):
		return left
	case x.Op == "in" || !computed(x.Left):
		return right
	}
	return left + " and " + right
}

func computed(t Term) bool { return t.Kind == TermFunc && t.Name != "av" }

func compare(x Expr, l, r value) (bool, *inputError) {
	switch x.Op {
	case "==":
		return equal(l, r), nil
	case "!=":
		return !equal(l, r), nil
	case "in":
		if r.kind != vList {
			return false, &inputError{pos: x.Right.Pos, msg: "the right side of `in` must be a list, such as chain(P:heap:0)"}
		}
		return slices.ContainsFunc(r.list, func(v value) bool { return equal(l, v) }), nil
	}
	if l.kind != vInt || r.kind != vInt {
		return false, &inputError{pos: x.Left.Pos, msg: fmt.Sprintf("%s compares numbers, found %s and %s", x.Op, l, r)}
	}
	switch x.Op {
	case "<":
		return l.n < r.n, nil
	case "<=":
		return l.n <= r.n, nil
	case ">":
		return l.n > r.n, nil
	}
	return l.n >= r.n, nil
}

func (ev *evaluator) predicate(x Expr, pos Pos) (bool, string, *inputError) {
	switch x.Pred {
	case "oops":
		return ev.res.Oopsed(), "no rmap walk reached freed memory", nil
	case "no oops":
		return !ev.res.Oopsed(), "an rmap walk reached freed memory", nil
	case "clean":
		return ev.res.Clean(), ev.outcomes(), nil
	case "violation":
		for _, v := range ev.res.New {
			if v.Name == x.Violation {
				return true, "", nil
			}
		}
		return false, "no new " + x.Violation + " violation (" + ev.outcomes() + ")", nil
	}
	v, err := ev.term(x.Arg)
	if err != nil || v.n == 1 {
		return err == nil, "", err
	}
	return false, fmt.Sprintf("%s is %s", termText(x.Arg), v), nil
}

// outcomes says what went wrong in the step, or that nothing did.
func (ev *evaluator) outcomes() string {
	var parts []string
	for _, v := range ev.res.New {
		parts = append(parts, v.String())
	}
	if ev.res.Oopsed() {
		parts = append(parts, "oops")
	}
	if parts == nil {
		return "the step broke no invariant and did not oops"
	}
	return strings.Join(parts, "; ")
}

func (ev *evaluator) term(t Term) (value, *inputError) {
	switch t.Kind {
	case TermInt:
		return value{kind: vInt, n: t.Int}, nil
	case TermName:
		switch t.Name {
		case "NULL":
			return value{kind: vNull}, nil
		case "zero_page":
			return value{kind: vZero, name: "the zero page"}, nil
		}
		return value{kind: vName, name: t.Name}, nil
	case TermList:
		out := value{kind: vList, list: []value{}}
		for _, it := range t.Items {
			v, err := ev.term(it)
			if err != nil {
				return value{}, err
			}
			out.list = append(out.list, v)
		}
		return out, nil
	}
	return ev.call(t)
}

func (ev *evaluator) call(t Term) (value, *inputError) {
	if at, ok := ev.stepOf(t); ok {
		sr := &ev.past[at-1]
		back := &evaluator{res: &sr.StepResult, st: &sr.State, model: ev.model, names: ev.names, past: ev.past[:at-1]}
		t.At, t.Before = 0, false
		v, err := back.call(t)
		if err != nil {
			err.msg = atStep(err.msg, at)
		}
		return v, err
	}
	switch t.Name {
	case "av":
		return ev.av(t)
	case "count":
		return value{kind: vInt, n: ev.count(t.Count)}, nil
	case "root", "degree", "num_children", "num_active_vmas":
		return ev.anonVMAField(t)
	case "freed", "alive":
		return ev.liveness(t)
	}
	return ev.addrFunc(t)
}

// stepOf returns the earlier step whose state term t reads, if it reads
// one: `@N` with N before this step, or `@before`.
func (ev *evaluator) stepOf(t Term) (int, bool) {
	at, cur := t.At, len(ev.past)+1
	if t.Before {
		at = cur - 1
	}
	return at, at >= 1 && at < cur
}

// atStep says of an error found reading step at's state which step that
// was, where the error names the step.
func atStep(msg string, at int) string {
	return strings.Replace(msg, "at this step", fmt.Sprintf("at step %d", at), 1)
}

func (ev *evaluator) liveness(t Term) (value, *inputError) {
	a, err := ev.anonVMAArg(t)
	if err != nil {
		return value{}, err
	}
	return boolean(a.Freed == (t.Name == "freed")), nil
}

// anonVMAArg evaluates the argument of a function of an anon_vma.
func (ev *evaluator) anonVMAArg(t Term) (*engine.AnonVMA, *inputError) {
	v, err := ev.term(*t.Arg)
	if err != nil {
		return nil, err
	}
	if v.kind == vMissing {
		return nil, &inputError{pos: t.Arg.Pos, msg: fmt.Sprintf("there is no anon_vma %s at this step", termText(*t.Arg)),
			hint: "an anon_vma is made by the first write fault in a region, or by fork"}
	}
	if v.kind != vAV {
		return nil, &inputError{pos: t.Arg.Pos, msg: fmt.Sprintf("%s() takes an anon_vma, such as av(P:heap); found %s", t.Name, v)}
	}
	return ev.st.AnonVMA(engine.AVID(v.n)), nil
}

// anonVMAField evaluates root(), degree(), num_children() and
// num_active_vmas(), in the models that have them.
func (ev *evaluator) anonVMAField(t Term) (value, *inputError) {
	m := ev.model
	if !hasField(m, t.Name) {
		return value{}, &inputError{pos: t.Pos, msg: fmt.Sprintf("%s() needs a model that has it; kernel %s does not", t.Name, m.Name),
			hint: "anon_vma->root arrives in 2.6.36, degree in 3.19, num_children and num_active_vmas in 6.0"}
	}
	a, err := ev.anonVMAArg(t)
	if err != nil {
		return value{}, err
	}
	switch t.Name {
	case "root":
		return avValue(ev.st, a.Root), nil
	case "degree":
		return value{kind: vInt, n: a.Degree}, nil
	case "num_children":
		return value{kind: vInt, n: a.NumChildren}, nil
	}
	return value{kind: vInt, n: a.NumActiveVMAs}, nil
}

// hasField reports whether model m's anon_vma has the field that
// function fn (root, degree, num_children or num_active_vmas) reads.
func hasField(m *engine.Model, fn string) bool {
	switch fn {
	case "root":
		return m.Root
	case "degree":
		return m.Reuse == engine.ReuseDegree
	}
	return m.Reuse == engine.ReuseCounters
}

func boolean(b bool) value {
	if b {
		return value{kind: vBool, n: 1}
	}
	return value{kind: vBool}
}

func (ev *evaluator) av(t Term) (value, *inputError) {
	if !ev.names.set[t.AV.Proc] {
		return value{}, ev.noProcess(t, t.AV.Proc)
	}
	name := t.AV.Proc + ":" + t.AV.Region
	if t.AV.Index > 1 {
		name += fmt.Sprintf("#%d", t.AV.Index)
	}
	for _, a := range ev.st.AnonVMAs {
		if a.Name == name {
			return avValue(ev.st, a.ID), nil
		}
	}
	return value{kind: vMissing, name: "not created yet"}, nil
}

func avValue(st *engine.State, id engine.AVID) value {
	if id == 0 {
		return value{kind: vNull}
	}
	a := st.AnonVMA(id)
	name := "av(" + a.Name + ")"
	if a.Freed {
		name += " (freed)"
	}
	return value{kind: vAV, n: int(id), name: name}
}

func (ev *evaluator) count(kind string) int {
	if n, ok := ev.counts[kind]; ok {
		return n
	}
	n := ev.countNow(kind)
	if ev.counts == nil {
		ev.counts = map[string]int{}
	}
	ev.counts[kind] = n
	return n
}

func (ev *evaluator) countNow(kind string) int {
	st, n := ev.st, 0
	switch kind {
	case "process":
		n = len(st.LiveProcs())
	case "vma":
		n = countIf(st.VMAs, func(v *engine.VMA) bool { return !v.Gone })
	case "anon_vma":
		n = countIf(st.AnonVMAs, func(a *engine.AnonVMA) bool { return !a.Freed })
	case "avc":
		n = countIf(st.AVCs, func(a *engine.AVC) bool { return !a.Freed })
	case "pte_chain":
		n = st.PTEChainEntries()
	case "page":
		n = countIf(st.Pages, func(p *engine.Page) bool { return !p.Freed })
	}
	return n
}

// countIf counts the elements of s for which f holds. f takes each in
// place: a copy of each of a million 40-byte pages cost more than the test.
func countIf[T any](s []T, f func(*T) bool) int {
	n := 0
	for i := range s {
		if f(&s[i]) {
			n++
		}
	}
	return n
}

// addrFunc evaluates the functions of a page address.
func (ev *evaluator) addrFunc(t Term) (value, *inputError) {
	pte, vma, err := ev.resolve(t)
	if err != nil {
		return value{}, err
	}
	st := ev.st
	page := engine.PageID(0)
	if pte != nil && pte.Kind == engine.PTEPage {
		page = pte.Page
	} else if pte != nil && pte.Kind == engine.PTESwap {
		page = st.Slot(pte.Swap).Page
	}
	switch t.Name {
	case "page":
		return ev.pageValue(pte, page), nil
	case "vma":
		if vma == nil {
			return value{kind: vNull}, nil
		}
		return value{kind: vVMA, n: int(vma.ID), name: "vma " + st.VMAName(vma.ID)}, nil
	case "anon_vma":
		if vma == nil {
			return value{kind: vNull}, nil
		}
		return avValue(st, vma.AnonVMA), nil
	case "mapping":
		if page == 0 {
			return value{kind: vNull}, nil
		}
		return avValue(st, st.Page(page).Mapping), nil
	case "chain":
		return ev.chain(vma), nil
	case "mapcount":
		if page == 0 {
			return value{kind: vInt}, nil
		}
		return value{kind: vInt, n: st.Page(page).Mapcount}, nil
	case "swapped":
		return boolean(pte != nil && pte.Kind == engine.PTESwap), nil
	}
	return ev.walk(t.Name, page), nil
}

func (ev *evaluator) pageValue(pte *engine.PTE, page engine.PageID) value {
	switch {
	case page != 0:
		return value{kind: vPage, n: int(page), name: fmt.Sprintf("page %d", page)}
	case pte != nil && pte.Kind == engine.PTEZero:
		return value{kind: vZero, name: "the zero page"}
	}
	return value{kind: vNull}
}

func (ev *evaluator) chain(vma *engine.VMA) value {
	out := value{kind: vList, list: []value{}}
	if vma == nil {
		return out
	}
	if ev.model.Design == engine.DesignAnonVMAList && vma.AnonVMA != 0 {
		// 2.6.7-2.6.33 have no chain: a VMA is linked to its anon_vma alone.
		out.list = append(out.list, avValue(ev.st, vma.AnonVMA))
	}
	for _, id := range vma.Chain {
		out.list = append(out.list, avValue(ev.st, ev.st.AVC(id).AnonVMA))
	}
	return out
}

// walk evaluates visits() and walk(): the model's rmap walk of the page,
// made now.
func (ev *evaluator) walk(fn string, page engine.PageID) value {
	if fn == "visits" {
		if page == 0 {
			return value{kind: vInt}
		}
		return value{kind: vInt, n: ev.st.Visits(page)}
	}
	var w engine.Walk
	if page != 0 {
		w = ev.st.Walk(page, "page_referenced")
	}
	out := value{kind: vList, list: []value{}}
	for _, v := range w.Visits {
		p := ev.st.Proc(ev.st.VMA(v.VMA).Proc)
		out.list = append(out.list, value{kind: vProc, n: int(p.ID), name: p.Name})
	}
	return out
}

// resolve finds the PTE and VMA at a term's address. An exited process
// has neither; a process or region the story never made, or an index
// outside its region, is an input error.
func (ev *evaluator) resolve(t Term) (*engine.PTE, *engine.VMA, *inputError) {
	a := t.Addr
	if !ev.names.set[a.Proc] {
		return nil, nil, ev.noProcess(t, a.Proc)
	}
	p := ev.st.ProcByName(a.Proc)
	if p == nil {
		return nil, nil, nil // not spawned yet, or exited
	}
	reg, ok := p.Region(a.Region)
	if !ok {
		return nil, nil, &inputError{pos: or(t.regionPos, t.Pos), msg: fmt.Sprintf("process %s has no region %s at this step", a.Proc, a.Region),
			hint: regionHint(p)}
	}
	if a.Index >= reg.Pages {
		return nil, nil, &inputError{pos: or(t.indexPos, t.Pos), msg: fmt.Sprintf("page index %d is outside region %s of %s (%s: 0..%d)",
			a.Index, reg.Name, p.Name, pages(reg.Pages), reg.Pages-1)}
	}
	pte, vma := ev.st.PTEAt(p, reg.Start+uint64(a.Index))
	return pte, vma, nil
}

// termText prints a term back as a story writes it.
func termText(t Term) string {
	var b strings.Builder
	writeTerm(&b, t)
	return b.String()
}

// writeTerm writes t as termText does, into one buffer however deeply its
// terms nest.
func writeTerm(b *strings.Builder, t Term) {
	switch {
	case t.Kind == TermInt:
		b.WriteString(strconv.Itoa(t.Int))
	case t.Kind == TermName:
		b.WriteString(t.Name)
	case t.Kind == TermList:
		b.WriteByte('[')
		for i, it := range t.Items {
			if i > 0 {
				b.WriteString(", ")
			}
			writeTerm(b, it)
		}
		b.WriteByte(']')
	case t.Name == "av" && t.AV.Index > 1:
		fmt.Fprintf(b, "av(%s:%s#%d)", t.AV.Proc, t.AV.Region, t.AV.Index)
	case t.Name == "av":
		fmt.Fprintf(b, "av(%s:%s)", t.AV.Proc, t.AV.Region)
	case t.Name == "count":
		b.WriteString("count(" + t.Count + ")")
	case t.Arg != nil:
		b.WriteString(t.Name + "(")
		writeTerm(b, *t.Arg)
		b.WriteByte(')')
	default:
		b.WriteString(t.Name + "(" + t.Addr.String() + ")")
	}
	switch {
	case t.Kind != TermFunc:
	case t.Before:
		b.WriteString("@before")
	case t.At > 0:
		fmt.Fprintf(b, "@%d", t.At)
	}
}

// procNames is every process name a story's events use: a set, and the
// same names sorted, for hints. It is made once for a story.
type procNames struct {
	set    map[string]bool
	sorted []string
}

// maxNamesListed bounds the process names a hint lists: a story may have
// ten thousand.
const maxNamesListed = 10

// noProcess is the error for a term naming a process no event of the
// story makes.
func (ev *evaluator) noProcess(t Term, name string) *inputError {
	names := ev.names.sorted
	hint := suggest(name, names)
	switch {
	case hint != "" || len(names) == 0:
	case len(names) > maxNamesListed:
		hint = fmt.Sprintf("its processes are %s, … (%d in all)", strings.Join(names[:maxNamesListed], ", "), len(names))
	default:
		hint = "its processes are " + strings.Join(names, ", ")
	}
	return &inputError{pos: or(t.procPos, t.Pos), msg: fmt.Sprintf("the story has no process %s", name), hint: hint}
}

func regionHint(p *engine.Process) string {
	if len(p.Regions) == 0 {
		return p.Name + " has no regions at this step"
	}
	names := make([]string, len(p.Regions))
	for i, r := range p.Regions {
		names[i] = r.Name
	}
	return p.Name + " has: " + strings.Join(names, ", ")
}

func pages(n int) string {
	if n == 1 {
		return "1 page"
	}
	return fmt.Sprintf("%d pages", n)
}

// or returns pos, or def if pos is not set.
func or(pos, def Pos) Pos {
	if pos.Line == 0 {
		return def
	}
	return pos
}
