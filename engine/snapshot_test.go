package engine

import (
	"reflect"
	"strings"
	"testing"
	"unsafe"
)

// sameArray reports whether two slices begin at the same element: one
// shares the other's memory.
func sameArray[E any](a, b []E) bool { return len(a) > 0 && len(b) > 0 && &a[0] == &b[0] }

// sharedWith lists the slices of snapshot s that begin where a slice of t
// at the same place begins.
func sharedWith(s, t *State) []string {
	var out []string
	note := func(shared bool, what string) {
		if shared {
			out = append(out, what)
		}
	}
	note(sameArray(s.Procs, t.Procs), "procs")
	note(sameArray(s.VMAs, t.VMAs), "vmas")
	note(sameArray(s.AnonVMAs, t.AnonVMAs), "anon_vmas")
	note(sameArray(s.AVCs, t.AVCs), "avcs")
	note(sameArray(s.Pages, t.Pages), "pages")
	note(sameArray(s.Swap, t.Swap), "swap")
	for i := range min(len(s.Procs), len(t.Procs)) {
		note(sameArray(s.Procs[i].VMAs, t.Procs[i].VMAs), s.Procs[i].Name+" vmas")
		note(sameArray(s.Procs[i].Regions, t.Procs[i].Regions), s.Procs[i].Name+" regions")
	}
	for i := range min(len(s.VMAs), len(t.VMAs)) {
		note(sameArray(s.VMAs[i].Chain, t.VMAs[i].Chain), "chain of vma "+s.VMAName(s.VMAs[i].ID))
		note(sameArray(s.VMAs[i].PTEs, t.VMAs[i].PTEs), "ptes of vma "+s.VMAName(s.VMAs[i].ID))
	}
	for i := range min(len(s.AnonVMAs), len(t.AnonVMAs)) {
		note(sameArray(s.AnonVMAs[i].Head, t.AnonVMAs[i].Head), "head of anon_vma "+s.AnonVMAs[i].Name)
		note(sameArray(s.AnonVMAs[i].VMAs, t.AnonVMAs[i].VMAs), "vmas of anon_vma "+s.AnonVMAs[i].Name)
	}
	return out
}

// overwrite makes the machine write every PTE and page it has: each live
// process makes each of its regions writable, writes it, swaps it out,
// faults it back in, unmaps it and exits. Events the model refuses leave
// the state as it was; the others write through the machine, as any later
// step might.
func overwrite(m *Machine) {
	var steps [][]Event
	for _, p := range m.State().LiveProcs() {
		for _, r := range p.Regions {
			all := whole(p.Name, r.Name)
			steps = append(steps, []Event{mp(all, true), wr(all)}, []Event{so(all)}, []Event{wr(all)},
				[]Event{{Op: OpMunmap, Range: all}})
		}
		steps = append(steps, []Event{ex(p.Name)})
	}
	for _, evs := range steps {
		m.Step(evs) //nolint:errcheck // a refused event changes nothing
	}
}

// sharesOnlyCOW reports what snapshot s shares with the machine's state
// st other than the page array and page tables, which the machine copies
// before writing them (see cow.go).
func sharesOnlyCOW(s, st *State) []string {
	var out []string
	for _, what := range sharedWith(s, st) {
		if what != "pages" && !strings.HasPrefix(what, "ptes of vma ") {
			out = append(out, what)
		}
	}
	return out
}

// TestSnapshotsShareWhatDidNotChange: a step that changes nothing gives a
// snapshot made of the previous one's slices; a snapshot shares with the
// machine only the page array and page tables, which the machine copies
// before it writes them; and whatever the machine does afterwards (COW,
// exit, munmap, swapout, writing every page again), no snapshot changes:
// pages, PTEs, chains, same_anon_vma lists and anon_vma lists of VMAs.
func TestSnapshotsShareWhatDidNotChange(t *testing.T) {
	for _, model := range []string{"2.6.33", "2.6.34", "3.7"} {
		t.Run(model, func(t *testing.T) {
			m := New(mustModel(t, model))
			steps := [][]Event{
				{sp("P"), mm("P", "heap", 4, 0, true), wr(whole("P", "heap"))},
				{fk("P", "C"), fk("P", "D")},
				{{Op: OpWalk, Range: rng("P", "heap", 0, 0)}}, // changes nothing
				{wr(rng("C", "heap", 0, 1)), mp(rng("D", "heap", 2, 3), false)},
				{ex("C"), {Op: OpMunmap, Range: rng("P", "heap", 3, 3)}},
				{so(whole("D", "heap")), fk("D", "E")},
			}
			var snaps []StepResult
			var copies []State
			for i, evs := range steps {
				res, err := m.Step(evs)
				if err != nil {
					t.Fatalf("step %d: %v", i+1, err)
				}
				if shared := sharesOnlyCOW(&res.State, m.State()); len(shared) > 0 {
					t.Errorf("step %d: the snapshot shares more than pages and PTEs with the machine's own state: %v", i+1, shared)
				}
				snaps, copies = append(snaps, res), append(copies, res.State.clone())
			}
			s2, s3 := &snaps[1].State, &snaps[2].State
			shared := sharedWith(s3, s2)
			for _, want := range []string{"pages", "P vmas", "C regions", "ptes of vma P:heap", "ptes of vma C:heap"} {
				if !contains(shared, want) {
					t.Errorf("step 3 changed nothing, but its snapshot does not share the %s of step 2's (it shares %v)", want, shared)
				}
			}
			if model != "2.6.33" && (!contains(shared, "avcs") || !contains(shared, "chain of vma C:heap") || !contains(shared, "head of anon_vma P:heap")) {
				t.Errorf("step 3's snapshot does not share chains and heads with step 2's: it shares %v", shared)
			}
			if model == "2.6.33" && !contains(shared, "vmas of anon_vma P:heap") {
				t.Errorf("step 3's snapshot does not share the anon_vma's list of VMAs: it shares %v", shared)
			}
			if shared := sharedWith(&snaps[3].State, s3); contains(shared, "pages") || contains(shared, "ptes of vma C:heap") {
				t.Errorf("step 4 wrote C's pages, but its snapshot shares %v with step 3's", shared)
			}
			overwrite(m)
			for i := range snaps {
				if !reflect.DeepEqual(snaps[i].State, copies[i]) {
					t.Errorf("the snapshot of step %d changed after later steps", i+1)
				}
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestSnapshotsStayPutRandom runs random sequences under every model and
// checks that no snapshot changes afterwards, and that the machine's
// check finds what a fresh Check finds, also where a process B of 4096
// pages makes the machine keep its checker's buffers from step to step.
func TestSnapshotsStayPutRandom(t *testing.T) {
	seeds, bigSeeds := uint64(300), uint64(20)
	if testing.Short() {
		seeds, bigSeeds = 50, 5
	}
	big := []Event{sp("B"), mm("B", "heap", 4096, 0x100000, true), wr(whole("B", "heap"))}
	for _, name := range ModelNames() {
		model := mustModel(t, name)
		for seed := uint64(1); seed <= seeds; seed++ {
			m := New(model)
			withB := seed <= bigSeeds
			steps := [][]Event{}
			if withB {
				steps = append(steps, big)
			}
			for _, ev := range genSequence(seed, 24) {
				steps = append(steps, []Event{ev})
			}
			var snaps []StepResult
			var copies []State
			for i, evs := range steps {
				res, _ := m.Step(evs)
				if fresh := Check(&res.State); !reflect.DeepEqual(fresh, res.Violations) {
					t.Fatalf("%s seed %d step %d: the machine's check found %v, a fresh one %v", name, seed, i+1, res.Violations, fresh)
				}
				if !withB { // copying B's pages at every step takes long
					snaps, copies = append(snaps, res), append(copies, res.State.clone())
				}
			}
			if (m.check != nil) != withB {
				t.Fatalf("%s seed %d: the machine keeps a checker: %v; want %v", name, seed, m.check != nil, withB)
			}
			overwrite(m)
			for i := range snaps {
				if !reflect.DeepEqual(snaps[i].State, copies[i]) {
					t.Fatalf("%s seed %d: the snapshot of step %d changed after later steps", name, seed, i+1)
				}
			}
		}
	}
}

// TestObjectSizes holds the sizes of the objects a story makes by the
// million: story 07's states are a million pages and as many PTEs per
// kernel and step that changes them.
func TestObjectSizes(t *testing.T) {
	for _, c := range []struct {
		what      string
		got, want uintptr
	}{
		{"Page", unsafe.Sizeof(Page{}), 40},
		{"PTE", unsafe.Sizeof(PTE{}), 16},
	} {
		if c.got > c.want {
			t.Errorf("a %s takes %d bytes, more than %d", c.what, c.got, c.want)
		}
	}
}

// TestUnchangedSeesEveryField: sameProc, sameVMA and sameAnonVMA tell
// apart two objects that differ in any one field, so that a field added
// later cannot make Step reuse the violations of a state that changed.
func TestUnchangedSeesEveryField(t *testing.T) {
	for _, c := range []struct {
		obj  any
		same func(a, b any) bool
	}{
		{Process{}, func(a, b any) bool { p, q := a.(Process), b.(Process); return sameProc(&p, &q) }},
		{VMA{}, func(a, b any) bool { v, w := a.(VMA), b.(VMA); return sameVMA(&v, &w) }},
		{AnonVMA{}, func(a, b any) bool { v, w := a.(AnonVMA), b.(AnonVMA); return sameAnonVMA(&v, &w) }},
	} {
		base := reflect.New(reflect.TypeOf(c.obj)).Elem()
		for i := range base.NumField() {
			if f := base.Field(i); f.Kind() == reflect.Slice {
				f.Set(reflect.MakeSlice(f.Type(), 1, 1))
			}
		}
		if !c.same(base.Interface(), base.Interface()) {
			t.Fatalf("a %T differs from itself", c.obj)
		}
		for i := range base.NumField() {
			changed := reflect.New(base.Type()).Elem()
			changed.Set(base)
			switch f := changed.Field(i); f.Kind() {
			case reflect.Int, reflect.Int32:
				f.SetInt(f.Int() + 1)
			case reflect.Uint64:
				f.SetUint(f.Uint() + 1)
			case reflect.String:
				f.SetString(f.String() + "x")
			case reflect.Bool:
				f.SetBool(!f.Bool())
			case reflect.Slice:
				f.Set(reflect.MakeSlice(f.Type(), 1, 1)) // equal, but elsewhere
			default:
				t.Fatalf("%T.%s is a %s: teach this test to change it", c.obj, base.Type().Field(i).Name, f.Kind())
			}
			if c.same(base.Interface(), changed.Interface()) {
				t.Errorf("two %Ts that differ in %s are the same to unchanged", c.obj, base.Type().Field(i).Name)
			}
		}
	}
}
