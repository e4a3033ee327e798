package kread

import (
	"errors"
	"os"
	"reflect"
	"slices"
	"testing"

	"github.com/avdoc/avdoc/live/agent"
)

func TestMain(m *testing.M) {
	agent.RunIfAgent()
	os.Exit(m.Run())
}

// base is where the tests map their regions.
const base = 0x100000000000

// openReader opens a reader, or skips (fails under CI=true) when the live
// kernel cannot be read here.
func openReader(t *testing.T, lo, hi uint64) *Reader {
	t.Helper()
	r, err := Open(lo, hi)
	needReadable(t, err)
	t.Cleanup(func() {
		if err := r.Close(); err != nil {
			t.Error(err)
		}
	})
	return r
}

func TestForkedVMAChain(t *testing.T) {
	r := openReader(t, base, base+1<<30)
	p := spawnAgent(t)
	if err := p.Mmap(base, 4, true); err != nil {
		t.Fatal(err)
	}
	if err := p.Touch(base, 1, true); err != nil {
		t.Fatal(err)
	}
	ch, err := p.Fork()
	if err != nil {
		t.Fatal(err)
	}
	if err := r.SetPids([]int{p.Pid(), ch.Pid()}); err != nil {
		t.Fatal(err)
	}
	vmas, err := r.VMAs()
	if err != nil {
		t.Fatal(err)
	}
	if len(vmas) != 2 || vmas[0].Pid != p.Pid() || vmas[1].Pid != ch.Pid() {
		t.Fatalf("read %+v; want P's VMA, then C's", vmas)
	}
	pv, cv := vmas[0], vmas[1]
	// anon_vma_fork: the child's chain is its own anon_vma, then the
	// parent's (anon_vma_clone links the parent's AVCs, then the new one
	// goes at the head).
	if len(pv.Chain) != 1 || len(cv.Chain) != 2 || cv.Chain[0].AnonVMA.Ptr != cv.AnonVMA || cv.Chain[1].AnonVMA.Ptr != pv.AnonVMA {
		t.Errorf("chains: P %+v, C %+v; want [P's av] and [C's av, P's av]", pv.Chain, cv.Chain)
	}
	if a := cv.Chain[0].AnonVMA; a.Root != pv.AnonVMA || a.Parent != pv.AnonVMA || a.Refcount != 1 {
		t.Errorf("C's anon_vma %+v: want root and parent P's %#x, refcount 1", a, pv.AnonVMA)
	}
	// The iterator over every task of the machine, for kernels before
	// 6.1, reads the same.
	r.perTask = false
	all, err := r.VMAs()
	if err != nil || !reflect.DeepEqual(all, vmas) {
		t.Errorf("the iterator over every task read %+v, %v; want %+v", all, err, vmas)
	}
}

// TestCloseUnloadsAndFreesAreSeen checks that the free of an anon_vma (the
// child's, at its exit) is counted, and that Close leaves no program loaded.
func TestCloseUnloadsAndFreesAreSeen(t *testing.T) {
	r, err := Open(base, base+1<<30)
	needReadable(t, err)
	ids, err := r.ProgramIDs()
	if err != nil {
		t.Fatal(err)
	}
	freed := childAnonVMAFreed(t, r)
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if !freed {
		t.Error("the exited child's anon_vma was not seen freed")
	}
	for _, id := range ids {
		if err := Unloaded(id); err != nil {
			t.Error(err)
		}
	}
}

// childAnonVMAFreed forks an agent, watches the child's anon_vma, makes the
// child exit and reports whether the reader saw that anon_vma freed.
func childAnonVMAFreed(t *testing.T, r *Reader) bool {
	ch, vmas := forkedChild(t, r)
	av := vmas[0].AnonVMA
	must(t, r.Watch([]uint64{av, vmas[0].Chain[1].AnonVMA.Ptr}))
	if got, err := r.Freed(); err != nil || len(got) != 0 {
		t.Fatalf("freed before the exit: %v, %v", got, err)
	}
	must(t, ch.Exit())
	got, err := r.Freed()
	if err != nil {
		t.Fatal(err)
	}
	// The parent's anon_vma lives on: only the child's may be reported.
	return slices.Equal(got, []uint64{av})
}

func must(t *testing.T, errs ...error) {
	t.Helper()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

// needReadable fails the test on err, or skips it when the live kernel
// cannot be read here, except under CI=true, where it must be.
func needReadable(t testing.TB, err error) {
	t.Helper()
	var u *UnavailableError
	if errors.As(err, &u) && os.Getenv("CI") != "true" {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// spawnAgent starts a controller and one agent, stopped when the test ends.
// forkedChild has an agent fault in a page at base and fork, points r at
// the child, and returns the child and its one VMA, which has an
// anon_vma.
func forkedChild(t *testing.T, r *Reader) (*agent.Agent, []VMA) {
	t.Helper()
	p := spawnAgent(t)
	must(t, p.Mmap(base, 1, true), p.Touch(base, 1, true))
	ch, err := p.Fork()
	if err != nil {
		t.Fatal(err)
	}
	must(t, r.SetPids([]int{ch.Pid()}))
	vmas, err := r.VMAs()
	if err != nil || len(vmas) != 1 || vmas[0].AnonVMA == 0 {
		t.Fatalf("the child's VMAs: %+v, %v; want one with an anon_vma", vmas, err)
	}
	return ch, vmas
}

func spawnAgent(t testing.TB) *agent.Agent {
	t.Helper()
	c, err := agent.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	p, err := c.Spawn()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestManyVMAsEnd: a process whose VMAs take more than one read of the
// per-task iterator (300 VMAs, a chain each: about 75 KB) is read once,
// whole, in order. The kernel's iterator alone would repeat its last
// reads forever.
func TestManyVMAsEnd(t *testing.T) {
	r := openReader(t, base, base+1<<30)
	p := spawnAgent(t)
	const n = 300
	for i := range n {
		addr := base + uint64(2*i)*4096 // a page's gap between two: no merge
		must(t, p.Mmap(addr, 1, true), p.Touch(addr, 1, true))
	}
	must(t, r.SetPids([]int{p.Pid()}))
	vmas, err := r.VMAs()
	if err != nil || len(vmas) != n {
		t.Fatalf("read %d VMAs, %v; want %d", len(vmas), err, n)
	}
	for i, v := range vmas {
		if v.Start != base+uint64(2*i)*4096 || len(v.Chain) != 1 {
			t.Fatalf("VMA %d: %+v; want one at page %d with a chain of one", i, v, 2*i)
		}
	}
}
