package live

import "github.com/avdoc/avdoc/engine"

// Result is step number step as a story sees it, made from what was
// observed after its events (o) and before them (before): the kernel's
// State labelled with model, the Log of what changed ([ObservedLog]),
// rmap walks (page_referenced) over the observed interval trees for the
// step's walk events, and the spec's invariants that the observed state
// breaks (New: those not in last, the step before's). A live step and a
// recorded one replayed are made alike.
func Result(step int, events []engine.Event, before, o *Observation, model *engine.Model, last []engine.Violation) engine.StepResult {
	r := engine.StepResult{Step: step, State: o.State(model), Log: ObservedLog(before, o)}
	for _, ev := range events {
		if ev.Op == engine.OpWalk {
			r.Walks = append(r.Walks, walks(&r.State, ev.Range)...)
		}
	}
	r.Violations = engine.Check(&r.State)
	r.New = newViolations(r.Violations, last)
	return r
}

// Recorded returns a copy of o without what changes from run to run of
// the same events on the same kernel, for keeping: process ids and page
// frame numbers.
func (o *Observation) Recorded() *Observation {
	c := *o
	c.Procs = append([]Proc(nil), o.Procs...)
	for i := range c.Procs {
		c.Procs[i].Pid = 0
	}
	c.Pages = append([]Page(nil), o.Pages...)
	for i := range c.Pages {
		c.Pages[i].PFN = 0
	}
	return &c
}

// walks walks each anonymous page of a range, as a story's walk event does.
func walks(st *engine.State, r engine.Range) []engine.Walk {
	p := st.ProcByName(r.Proc)
	if p == nil {
		return nil
	}
	reg, ok := p.Region(r.Region)
	if !ok {
		return nil
	}
	first, last := uint64(r.First), uint64(r.Last)
	if r.Whole {
		first, last = 0, uint64(reg.Pages-1)
	}
	var out []engine.Walk
	for a := reg.Start + first; a <= reg.Start+last; a++ {
		if pte, _ := st.PTEAt(p, a); pte != nil && pte.Kind == engine.PTEPage {
			out = append(out, st.Walk(pte.Page, "page_referenced"))
		}
	}
	return out
}

// newViolations returns the violations of now whose key was not broken
// before.
func newViolations(now, before []engine.Violation) []engine.Violation {
	old := map[string]bool{}
	for _, v := range before {
		old[v.Name+v.Key] = true
	}
	var out []engine.Violation
	for _, v := range now {
		if !old[v.Name+v.Key] {
			out = append(out, v)
		}
	}
	return out
}
