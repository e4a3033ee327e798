package live

import (
	"errors"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/avdoc/avdoc/engine"
	"github.com/avdoc/avdoc/live/agent"
	"github.com/avdoc/avdoc/live/kread"
	"golang.org/x/sys/unix"
)

func TestMain(m *testing.M) {
	agent.RunIfAgent()
	if os.Getenv(envHelper) == "1" {
		os.Exit(helper())
	}
	os.Exit(m.Run())
}

// open opens a session, or skips (fails under CI=true, where the live
// kernel must be readable) when the kernel cannot be read here.
func open(t testing.TB) *Session {
	t.Helper()
	s, err := Open()
	var u *kread.UnavailableError
	if errors.As(err, &u) && os.Getenv("CI") != "true" {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
	return s
}

// run applies events written as in a story ("spawn P", "mmap P heap 4 at
// 16", "write P:heap:0..1", "mprotect P:heap:1 ro", "fork P C") and
// observes the result.
func run(t testing.TB, s *Session, events ...string) *Observation {
	t.Helper()
	for _, text := range events {
		if err := s.Apply(event(t, text)); err != nil {
			t.Fatalf("%s: %v", text, err)
		}
	}
	o, err := s.Observe()
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// event parses the few event forms the tests use ("mmap P a 2 at 16 ro").
func event(t testing.TB, text string) engine.Event {
	t.Helper()
	w := strings.Fields(text)
	ev := engine.Event{Writable: true}
	for _, op := range engine.Ops() {
		if op.String() == w[0] {
			ev.Op = op
		}
	}
	switch ev.Op {
	case engine.OpSpawn, engine.OpExit:
		ev.Proc = w[1]
	case engine.OpFork:
		ev.Proc, ev.Child = w[1], w[2]
	case engine.OpMmap:
		ev.Proc, ev.Region, ev.Pages = w[1], w[2], atoi(t, w[3])
		for i := 4; i < len(w); i++ {
			switch w[i] {
			case "at":
				i++
				ev.At, ev.HasAt = uint64(atoi(t, w[i])), true
			case "ro":
				ev.Writable = false
			}
		}
	default:
		ev.Range = rangeArg(t, w[1])
		ev.Writable = len(w) < 3 || w[2] == "rw"
	}
	return ev
}

func rangeArg(t testing.TB, s string) engine.Range {
	p := strings.Split(s, ":")
	r := engine.Range{Proc: p[0], Region: p[1], Whole: len(p) == 2}
	if len(p) == 3 {
		first, last, _ := strings.Cut(p[2], "..")
		r.First = atoi(t, first)
		r.Last = r.First
		if last != "" {
			r.Last = atoi(t, last)
		}
	}
	return r
}

func atoi(t testing.TB, s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	return n
}

// vmasOf returns the live VMAs of the named process.
func vmasOf(t testing.TB, o *Observation, name string) []VMA {
	t.Helper()
	for _, p := range o.Procs {
		if p.Name == name && !p.Exited {
			var out []VMA
			for _, id := range p.VMAs {
				out = append(out, o.VMAs[id-1])
			}
			return out
		}
	}
	t.Fatalf("no live process %s", name)
	return nil
}

// chainAVs returns the anon_vmas of a VMA's chain, head first.
func chainAVs(o *Observation, v VMA) []int {
	var out []int
	for _, id := range v.Chain {
		out = append(out, o.AVCs[id-1].AnonVMA)
	}
	return out
}

// TestForkChainOfThree checks a fork chain P -> C -> G against the rules of
// anon_vma_fork since 6.0 (mm/rmap.c): each child gets its own anon_vma,
// first on its chain, then its parent's chain in order; parent is the
// forking VMA's anon_vma, root the oldest; num_children counts the children
// (a root counts itself too), num_active_vmas the VMAs using it; each child
// pins the root (refcount).
func TestForkChainOfThree(t *testing.T) {
	s := open(t)
	o := run(t, s, "spawn P", "mmap P heap 4 at 16", "write P:heap:0", "fork P C", "fork C G")
	p, c, g := vmasOf(t, o, "P"), vmasOf(t, o, "C"), vmasOf(t, o, "G")
	if len(p) != 1 || len(c) != 1 || len(g) != 1 {
		t.Fatalf("VMAs: P %d, C %d, G %d; want one each", len(p), len(c), len(g))
	}
	a, b, d := p[0].AnonVMA, c[0].AnonVMA, g[0].AnonVMA
	if a == 0 || b == 0 || d == 0 || a == b || b == d || a == d {
		t.Fatalf("anon_vmas P %d, C %d, G %d: want three distinct", a, b, d)
	}
	chains := map[string][2][]int{
		"P": {chainAVs(o, p[0]), {a}},
		"C": {chainAVs(o, c[0]), {b, a}},
		"G": {chainAVs(o, g[0]), {d, b, a}},
	}
	for name, ch := range chains {
		if !slices.Equal(ch[0], ch[1]) {
			t.Errorf("%s's chain: anon_vmas %v, want %v", name, ch[0], ch[1])
		}
	}
	want := []AnonVMA{
		{ID: a, Name: "P:heap", Root: a, Parent: a, Refcount: 3, NumChildren: 2, NumActiveVMAs: 1},
		{ID: b, Name: "C:heap", Root: a, Parent: a, Refcount: 1, NumChildren: 1, NumActiveVMAs: 1},
		{ID: d, Name: "G:heap", Root: a, Parent: b, Refcount: 1, NumChildren: 0, NumActiveVMAs: 1},
	}
	for _, w := range want {
		got := o.AnonVMAs[w.ID-1]
		got.Tree, got.TreeComplete = nil, false
		if !reflect.DeepEqual(got, w) {
			t.Errorf("anon_vma %d: got %+v, want %+v", w.ID, got, w)
		}
	}
	// The root's tree files P's AVC, then C's and G's, all for pgoff 16..19:
	// the walk visits them in fork order.
	walk := o.WalkOrder(a, 16)
	want3 := []int{p[0].Chain[0], c[0].Chain[1], g[0].Chain[2]}
	if !slices.Equal(walk, want3) || !o.AnonVMAs[a-1].TreeComplete {
		t.Errorf("walk of the root for pgoff 16: %v, want %v", walk, want3)
	}
}

// TestWriteAfterForkCopies checks that a page shared by fork (one page,
// mapcount 2, under P's anon_vma, no longer PG_anon_exclusive) is copied
// when the child writes it: the copy goes under the child's own anon_vma,
// exclusive (wp_page_copy, folio_add_new_anon_rmap), and each page is then
// mapped once.
func TestWriteAfterForkCopies(t *testing.T) {
	s := open(t)
	o := run(t, s, "spawn P", "mmap P heap 2 at 16", "write P:heap:0", "fork P C")
	if !o.StructPages {
		t.Fatalf("struct page unread: %v", s.PagesErr())
	}
	pv, cv := vmasOf(t, o, "P")[0], vmasOf(t, o, "C")[0]
	pp, cp := pv.PTEs[0], cv.PTEs[0]
	want := Page{ID: pp.Page, PFN: o.Pages[pp.Page-1].PFN, Mapcount: 2, Mapping: pv.AnonVMA, Index: 16}
	if pp.Kind != engine.PTEPage || pp != cp || o.Pages[pp.Page-1] != want {
		t.Fatalf("after fork: P %+v, C %+v, page %+v; want one page mapped twice, %+v", pp, cp, o.Pages[pp.Page-1], want)
	}
	o = run(t, s, "write C:heap:0")
	pp, cp = vmasOf(t, o, "P")[0].PTEs[0], vmasOf(t, o, "C")[0].PTEs[0]
	wants := map[int]Page{
		pp.Page: {ID: pp.Page, PFN: o.Pages[pp.Page-1].PFN, Mapcount: 1, Mapping: pv.AnonVMA, Index: 16},
		cp.Page: {ID: cp.Page, PFN: o.Pages[cp.Page-1].PFN, Mapcount: 1, Mapping: cv.AnonVMA, Index: 16, AnonExclusive: true},
	}
	for id, w := range wants {
		if got := o.Pages[id-1]; pp.Page == cp.Page || got != w {
			t.Errorf("after C's write: page %+v, want %+v", got, w)
		}
	}
	if o.LargeFolios {
		t.Errorf("a story page is in a large folio: MADV_NOHUGEPAGE did not keep it small")
	}
}

// TestMprotectSplitsInThree checks that mprotect of the middle pages of a
// faulted VMA splits it into three VMAs sharing its anon_vma, each with
// its own AVC in that anon_vma's tree (__split_vma, anon_vma_clone).
func TestMprotectSplitsInThree(t *testing.T) {
	s := open(t)
	o := run(t, s, "spawn P", "mmap P heap 4 at 16", "write P:heap:0..3", "mprotect P:heap:1..2 ro")
	vs := vmasOf(t, o, "P")
	if len(vs) != 3 {
		t.Fatalf("got %d VMAs, want 3", len(vs))
	}
	bounds := [][3]uint64{{16, 17, 1}, {17, 19, 0}, {19, 20, 1}}
	av := vs[0].AnonVMA
	for i, v := range vs {
		w := bounds[i]
		if v.Start != w[0] || v.End != w[1] || v.Writable != (w[2] == 1) || v.AnonVMA != av || len(v.Chain) != 1 {
			t.Errorf("VMA %d: [%d,%d) writable %v anon_vma %d chain %v; want [%d,%d) writable %v anon_vma %d, one AVC",
				i, v.Start, v.End, v.Writable, v.AnonVMA, v.Chain, w[0], w[1], w[2] == 1, av)
		}
	}
	if a := o.AnonVMAs[av-1]; a.NumActiveVMAs != 3 || len(a.Tree) != 3 || !a.TreeComplete {
		t.Errorf("anon_vma %+v: want 3 active VMAs and 3 AVCs in its tree", a)
	}
}

// TestFreedAnonVMAKeepsItsID checks that an exited child's anon_vma is seen
// freed and that the next child's anon_vma gets a new id, though the slab
// may hand it the same address (anon_vma_cachep is SLAB_TYPESAFE_BY_RCU).
func TestFreedAnonVMAKeepsItsID(t *testing.T) {
	s := open(t)
	o := run(t, s, "spawn P", "mmap P heap 1 at 16", "write P:heap:0", "fork P C")
	c := vmasOf(t, o, "C")[0]
	o = run(t, s, "exit C", "fork P D")
	d := vmasOf(t, o, "D")[0]
	if old := o.AnonVMAs[c.AnonVMA-1]; !old.Gone || !old.Freed {
		t.Errorf("C's anon_vma after C's exit: %+v; want gone and freed", old)
	}
	if d.AnonVMA == c.AnonVMA || o.AnonVMAs[d.AnonVMA-1].Gone {
		t.Errorf("D's anon_vma has id %d, C's had %d: want a new, live one", d.AnonVMA, c.AnonVMA)
	}
	if old := o.VMAs[c.ID-1]; !old.Gone {
		t.Errorf("C's VMA after C's exit: %+v; want gone", old)
	}
}

// TestStateNamesAsStoriesDo checks the engine State built from an
// observation: story names for VMAs and anon_vmas, chains and pages.
func TestStateNamesAsStoriesDo(t *testing.T) {
	s := open(t)
	o := run(t, s, "spawn P", "mmap P heap 4 at 16", "write P:heap:0..1", "fork P C", "mprotect C:heap:3 ro")
	st := o.State(nil)
	c := st.ProcByName("C")
	if c == nil || len(c.VMAs) != 2 {
		t.Fatalf("process C in the State: %+v; want two VMAs", c)
	}
	wantNames := []string{"C:heap[0..2]", "C:heap[3..3]"}
	for i, id := range c.VMAs {
		if got := st.VMAName(id); got != wantNames[i] {
			t.Errorf("VMA %d of C is named %q, want %q", i, got, wantNames[i])
		}
	}
	v := st.VMA(c.VMAs[0])
	var chain []string
	for _, id := range v.Chain {
		chain = append(chain, st.AnonVMA(st.AVC(id).AnonVMA).Name)
	}
	if !slices.Equal(chain, []string{"C:heap", "P:heap"}) {
		t.Errorf("C's chain in the State: %v, want [C:heap P:heap]", chain)
	}
	pte, _ := st.PTEAt(c, 17)
	if pte == nil || pte.Kind != engine.PTEPage {
		t.Fatalf("C's page 17 in the State: %+v; want a page", pte)
	}
	if pg := st.Page(pte.Page); pg.Mapcount != 2 || pg.Index != 17 || pg.Mapping == 0 || st.AnonVMA(pg.Mapping).Name != "P:heap" {
		t.Errorf("C's page 17 in the State: %+v; want mapped twice, index 17, under P:heap", pg)
	}
}

// TestMremapKeepsPgoffAndIndex checks that a region moved by mremap keeps
// its vm_pgoff, its anon_vma and its pages' page->index (move_vma copies
// the VMA with its pgoff), so the VMA's Pgoff no longer equals its Start.
func TestMremapKeepsPgoffAndIndex(t *testing.T) {
	s := open(t)
	o := run(t, s, "spawn P", "mmap P heap 2 at 16", "write P:heap:0..1")
	av := vmasOf(t, o, "P")[0].AnonVMA
	if err := s.Mremap(rangeArg(t, "P:heap"), 64, 2); err != nil {
		t.Fatal(err)
	}
	o, err := s.Observe()
	if err != nil {
		t.Fatal(err)
	}
	vs := vmasOf(t, o, "P")
	if len(vs) != 1 || vs[0].Start != 64 || vs[0].End != 66 || vs[0].Pgoff != 16 || vs[0].AnonVMA != av {
		t.Fatalf("after mremap: %+v; want one VMA [64,66) with pgoff 16 and anon_vma %d", vs, av)
	}
	for i, p := range vs[0].PTEs {
		if pg := o.Pages[p.Page-1]; p.Kind != engine.PTEPage || pg.Index != uint64(16+i) || pg.Mapping != av {
			t.Errorf("page %d after mremap: %+v; want index %d under anon_vma %d", i, pg, 16+i, av)
		}
	}
}

// TestMadviseDontneedZapsButKeepsAnonVMA checks MADV_DONTNEED: the page's
// PTE is cleared (the page freed), the VMA keeps its anon_vma.
func TestMadviseDontneedZapsButKeepsAnonVMA(t *testing.T) {
	s := open(t)
	o := run(t, s, "spawn P", "mmap P heap 2 at 16", "write P:heap:0..1")
	v := vmasOf(t, o, "P")[0]
	if err := s.Madvise(rangeArg(t, "P:heap:0"), unix.MADV_DONTNEED); err != nil {
		t.Fatal(err)
	}
	o, err := s.Observe()
	if err != nil {
		t.Fatal(err)
	}
	after := vmasOf(t, o, "P")[0]
	if after.PTEs[0].Kind != engine.PTENone || after.PTEs[1].Kind != engine.PTEPage || after.AnonVMA != v.AnonVMA {
		t.Errorf("after MADV_DONTNEED of page 0: %+v; want page 0 unmapped, page 1 mapped, anon_vma %d", after, v.AnonVMA)
	}
	// Gone, but not necessarily freed yet: a per-CPU LRU batch may still
	// hold a reference to it.
	if gone := o.Pages[v.PTEs[0].Page-1]; !gone.Gone {
		t.Errorf("the zapped page: %+v; want gone", gone)
	}
	// A new page there is another page, even at the same PFN.
	o = run(t, s, "write P:heap:0")
	if p := vmasOf(t, o, "P")[0].PTEs[0]; p.Kind != engine.PTEPage || p.Page == v.PTEs[0].Page {
		t.Errorf("page 0 written again: %+v; want a page with a new id (the old one was %d)", p, v.PTEs[0].Page)
	}
}

// TestZappedPagesSeenFreed checks that the frees of story pages are seen
// (mm_page_free): of 64 pages zapped by MADV_DONTNEED, all but those a
// per-CPU LRU batch may still hold (at most 31 a CPU in 6.18) are freed by
// the time 64 more pages are faulted.
func TestZappedPagesSeenFreed(t *testing.T) {
	s := open(t)
	o := run(t, s, "spawn P", "mmap P heap 64 at 16", "write P:heap", "mmap P more 64 at 200")
	zapped := map[int]bool{}
	for _, p := range vmasOf(t, o, "P")[0].PTEs {
		zapped[p.Page] = true
	}
	if err := s.Madvise(rangeArg(t, "P:heap"), unix.MADV_DONTNEED); err != nil {
		t.Fatal(err)
	}
	o = run(t, s, "write P:more")
	freed := 0
	for id := range zapped {
		if p := o.Pages[id-1]; p.Freed {
			freed++
		} else if !p.Gone {
			t.Errorf("zapped page %+v still seen", p)
		}
	}
	if freed < 64-2*31 {
		t.Errorf("%d of 64 zapped pages seen freed, want at least %d", freed, 64-2*31)
	}
}

// TestObservedStatesKeepTheInvariants runs a story-like sequence live and
// checks every observed state, as the engine's State under the 6.0 model,
// against the invariants of kernel-rmap-spec §11 (engine.Check), and that
// an rmap walk of each page over the observed interval trees visits the
// VMAs the kernel's tree order gives and finds every mapping (mapcount).
func TestObservedStatesKeepTheInvariants(t *testing.T) {
	model, err := engine.Lookup("6.0")
	if err != nil {
		t.Fatal(err)
	}
	s := open(t)
	steps := [][]string{
		{"spawn P", "mmap P heap 4 at 16", "write P:heap:0..1"},
		{"fork P C"},
		{"write C:heap:0", "read C:heap:2"},
		{"fork C G", "mprotect G:heap:1..2 ro"},
		{"exit C"},
		{"fork P D", "munmap P:heap:3"},
	}
	for i, events := range steps {
		o := run(t, s, events...)
		st := o.State(&model)
		for _, v := range engine.Check(&st) {
			t.Errorf("step %d: %s", i+1, v)
		}
		for _, pg := range o.Pages {
			if !pg.Gone {
				checkWalk(t, i+1, o, &st, pg)
			}
		}
	}
}

// checkWalk compares the engine's walk of a page over an observed State
// with the kernel's interval tree order: the walk visits a prefix of it,
// stopping once it has found every mapping (folio_referenced_one and
// try_to_unmap's done() stop there), and finds them all.
func checkWalk(t *testing.T, step int, o *Observation, st *engine.State, pg Page) {
	t.Helper()
	w := st.Walk(engine.PageID(pg.ID), "try_to_unmap")
	var got, want []int
	for _, v := range w.Visits {
		got = append(got, int(v.VMA))
	}
	for _, avc := range o.WalkOrder(pg.Mapping, pg.Index) {
		want = append(want, o.AVCs[avc-1].VMA)
	}
	if len(got) > len(want) || !slices.Equal(got, want[:len(got)]) || w.Found != pg.Mapcount || w.Oops != nil {
		t.Errorf("step %d: %s; want visits of VMAs %v and %d found", step, st.DescribeWalk(&w), want, pg.Mapcount)
	}
}

// TestSameStorySameObservation runs the same events in two sessions: the
// observations are equal but for what the machine chooses (pids, PFNs).
func TestSameStorySameObservation(t *testing.T) {
	events := []string{"spawn P", "mmap P heap 4 at 16", "write P:heap:0..2", "fork P C", "write C:heap:1",
		"fork C G", "mprotect G:heap:0 ro", "exit C"}
	var obs []*Observation
	for range 2 {
		o := run(t, open(t), events...)
		for i := range o.Procs {
			o.Procs[i].Pid = 0
		}
		for i := range o.Pages {
			o.Pages[i].PFN = 0
		}
		obs = append(obs, o)
	}
	if !reflect.DeepEqual(obs[0], obs[1]) {
		t.Errorf("two runs of one story observed differently:\n%+v\n%+v", obs[0], obs[1])
	}
	if len(obs[0].AnonVMAs) < 3 || len(obs[0].Pages) < 4 {
		t.Errorf("observed %d anon_vmas and %d pages; want at least 3 and 4", len(obs[0].AnonVMAs), len(obs[0].Pages))
	}
}

// TestStepWalksAndChecks runs steps through Step, as a story would: a walk
// event gives an rmap walk over the kernel's trees that finds every
// mapping, and the observed states break no invariant.
func TestStepWalksAndChecks(t *testing.T) {
	model, err := engine.Lookup("6.0")
	if err != nil {
		t.Fatal(err)
	}
	s := open(t)
	var r engine.StepResult
	for i, step := range [][]string{{"spawn P", "mmap P heap 2 at 16", "write P:heap"}, {"fork P C", "fork C G", "walk G:heap"}} {
		var evs []engine.Event
		for _, text := range step {
			evs = append(evs, event(t, text))
		}
		if r, err = s.Step(evs, &model); err != nil {
			t.Fatal(err)
		}
		if r.Step != i+1 || len(r.Violations) != 0 || r.State.Model != &model {
			t.Errorf("step %d: numbered %d, violations %v", i+1, r.Step, r.Violations)
		}
	}
	if len(r.Walks) != 2 {
		t.Fatalf("walk G:heap made %d walks, want 2", len(r.Walks))
	}
	for _, w := range r.Walks {
		if len(w.Visits) != 3 || w.Found != 3 || w.Mapcount != 3 {
			t.Errorf("%s: want 3 VMAs visited, 3 mappings found", r.State.DescribeWalk(&w))
		}
	}
	refusals := []struct {
		events []string
		msg    string // in the refusal of the last event
	}{
		{[]string{"swapout P:heap:0"}, "swapout P:heap:0 cannot run on the live kernel: swap events need `--swap zram|file`"},
		{[]string{"write P:heap:0", "mmap P low 1 at 16"}, "the live kernel refused mmap"},
	}
	for _, tt := range refusals {
		var evs []engine.Event
		for _, text := range tt.events {
			evs = append(evs, event(t, text))
		}
		r, err := s.Step(evs, &model)
		var refused engine.Errors
		if !errors.As(err, &refused) || len(refused) != 1 || refused[0].Event != len(evs)-1 || !strings.Contains(refused[0].Error(), tt.msg) {
			t.Errorf("%q: %v; want the last event refused with %q", tt.events, err, tt.msg)
		}
		if r.State.ProcByName("P") == nil {
			t.Errorf("%q: the refused step observed no state", tt.events)
		}
	}
}
