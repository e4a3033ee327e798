package pidfig

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"github.com/avdoc/avdoc/live/pidfig/shtree"

	"github.com/avdoc/avdoc/engine"
	"github.com/avdoc/avdoc/live"
	"github.com/avdoc/avdoc/live/agent"
	"github.com/avdoc/avdoc/live/kread"
	"golang.org/x/sys/unix"
)

func TestMain(m *testing.M) {
	agent.RunIfAgent() // struct page is calibrated with an agent: the test binary doubles as one
	os.Exit(m.Run())
}

// read reads the tree from pid, skipping where the kernel cannot be read
// (failing under CI=true).
func read(t *testing.T, pid int, lim Limits) *Result {
	t.Helper()
	res, err := Read(pid, lim)
	var u *kread.UnavailableError
	if errors.As(err, &u) && os.Getenv("CI") != "true" {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestReadShellTree: the processes, their [heap] VMAs' chains (one AVC
// more a generation: the kernel's anon_vma_fork), each anon_vma named by
// the VMA that owns it, and every page under an anon_vma of its VMA's
// chain, mapped by as many PTEs of the tree as its mapcount says.
func TestReadShellTree(t *testing.T) {
	pids := shtree.Start(t)
	res := read(t, pids[0], DefaultLimits())
	o := res.Observation
	if len(o.Procs) != 3 || len(res.Notes) != 0 {
		t.Fatalf("%d processes, notes %q; want P, C, G and no notes", len(o.Procs), res.Notes)
	}
	st := res.Story.Runs[0].Steps[0].State
	for i, p := range o.Procs {
		if want := fmt.Sprintf("sh[%d]", pids[i]); p.Name != want || p.Parent != i {
			t.Errorf("process %d: %s, parent %d; want %s, parent %d", i+1, p.Name, p.Parent, want, i)
		}
		heap := vmaNamed(t, &st, p.Name+":[heap]")
		var chain []string
		for _, c := range heap.Chain {
			chain = append(chain, st.AnonVMA(st.AVC(c).AnonVMA).Name)
		}
		want := []string{"sh[" + strconv.Itoa(pids[i]) + "]:[heap]"}
		for j := i - 1; j >= 0; j-- {
			want = append(want, fmt.Sprintf("sh[%d]:[heap]", pids[j]))
		}
		if fmt.Sprint(chain) != fmt.Sprint(want) {
			t.Errorf("%s:[heap] chain %q; want %q", p.Name, chain, want)
		}
	}
	checkPages(t, o)
	if v := engine.Check(&st); len(v) != 0 {
		t.Errorf("the kernel's state breaks the model's invariants: %v", v)
	}
}

func vmaNamed(t *testing.T, st *engine.State, name string) *engine.VMA {
	t.Helper()
	for i := range st.VMAs {
		if st.VMAName(st.VMAs[i].ID) == name {
			return &st.VMAs[i]
		}
	}
	t.Fatalf("no VMA %s", name)
	return nil
}

// checkPages: each page is under an anon_vma of the chain of every VMA
// that maps it, and its mapcount is the number of PTEs that map it (the
// tree's root was exec'd: no process outside the tree shares its pages).
func checkPages(t *testing.T, o *live.Observation) {
	t.Helper()
	ptes := map[int]int{}
	for _, v := range o.VMAs {
		for _, p := range v.PTEs {
			if p.Kind != engine.PTEPage {
				continue
			}
			ptes[p.Page]++
			pg := o.Pages[p.Page-1]
			onChain := false
			for _, c := range v.Chain {
				onChain = onChain || o.AVCs[c-1].AnonVMA == pg.Mapping
			}
			if !onChain {
				t.Errorf("page %d (pfn %#x) of VMA %d: mapping %d is on none of its chain's anon_vmas", pg.ID, pg.PFN, v.ID, pg.Mapping)
			}
		}
	}
	if len(ptes) == 0 {
		t.Fatal("no pages read")
	}
	for id, n := range ptes {
		if pg := o.Pages[id-1]; pg.Mapcount != n {
			t.Errorf("page %d: mapcount %d, mapped by %d PTEs of the tree", id, pg.Mapcount, n)
		}
	}
}

// TestLimits: what lies past a limit is left out, and a note says so.
func TestLimits(t *testing.T) {
	pids := shtree.Start(t)
	for _, tt := range []struct {
		lim         Limits
		procs, vmas int
		ptes        int // at most
		note        string
	}{
		{Limits{Procs: 2, VMAs: 256, Pages: 1 << 18}, 2, -1, 1 << 18, "1 more descendants of sh[" + strconv.Itoa(pids[0]) + "] are not drawn (at most 2 processes)"},
		{Limits{Procs: 64, VMAs: 1, Pages: 1 << 18}, 3, 1, 1 << 18, "VMAs are not drawn (at most 1 VMAs)"},
		{Limits{Procs: 64, VMAs: 256, Pages: 3}, 3, -1, 3, "VMAs are not read, from sh[" + strconv.Itoa(pids[0]) + "]:[heap] on (at most 3 pages in all)"},
	} {
		res := read(t, pids[0], tt.lim)
		o, n := res.Observation, 0
		for _, v := range o.VMAs {
			n += len(v.PTEs)
		}
		notes := strings.Join(res.Notes, "\n")
		if len(o.Procs) != tt.procs || tt.vmas >= 0 && len(o.VMAs) != tt.vmas || n > tt.ptes || !strings.Contains(notes, tt.note) {
			t.Errorf("%+v: %d processes, %d VMAs, %d PTEs, notes:\n%s\nwant %d processes, %d VMAs, at most %d PTEs, a note %q",
				tt.lim, len(o.Procs), len(o.VMAs), n, notes, tt.procs, tt.vmas, tt.ptes, tt.note)
		}
	}
}

// TestBadPid: a pid that names no process is bad input (exit 2), before
// anything is loaded.
func TestBadPid(t *testing.T) {
	for _, pid := range []int{0, -1, 1 << 30} {
		_, err := Read(pid, DefaultLimits())
		var bad *BadPidError
		if !errors.As(err, &bad) || ExitCode(err) != ExitBadInput {
			t.Errorf("pid %d: %v (exit %d); want a BadPidError, exit 2", pid, err, ExitCode(err))
		}
	}
}

// TestScanChildren: where /proc/PID/task/TID/children is missing, the
// parent pids of /proc/PID/stat give the same tree.
func TestScanChildren(t *testing.T) {
	pids := shtree.Start(t)
	kidsOf := scanChildren()
	for i := 0; i < 2; i++ {
		if got, err := kidsOf(pids[i]); err != nil || fmt.Sprint(got) != fmt.Sprint([]int{pids[i+1]}) {
			t.Errorf("children of %d: %v, %v; want [%d]", pids[i], got, err, pids[i+1])
		}
	}
	for _, tt := range []struct {
		line      string
		pid, ppid int
		ok        bool
	}{
		{"42 (sh) S 7 42 42 0", 42, 7, true},
		{"43 (a) b) (c) R 1 43", 43, 1, true},
		{"44 (x", 0, 0, false},
		{"45 (x) S", 0, 0, false},
	} {
		pid, ppid, ok := parseStat(tt.line)
		if pid != tt.pid || ppid != tt.ppid || ok != tt.ok {
			t.Errorf("%q: %d, %d, %v; want %d, %d, %v", tt.line, pid, ppid, ok, tt.pid, tt.ppid, tt.ok)
		}
	}
}

// TestReservationsUseNoPageLimit: a PROT_NONE reservation of 1 GiB (as
// Go's and Java's runtimes make) is drawn, but its page table is not
// read, so it does not use up the page limit (1 GiB of address space).
func TestReservationsUseNoPageLimit(t *testing.T) {
	pids := shtree.Start(t)
	res := read(t, pids[0], Limits{Procs: 64, VMAs: 256, Pages: 1 << 18})
	if len(res.Notes) != 0 {
		t.Fatalf("notes %q on the shell alone", res.Notes)
	}
	// The test's own process, with a reservation made for the test.
	mem, err := unix.Mmap(-1, 0, 1<<30, unix.PROT_NONE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS|unix.MAP_NORESERVE)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Munmap(mem)
	res = read(t, os.Getpid(), Limits{Procs: 1, VMAs: 1 << 12, Pages: 1 << 18})
	first := uint64(uintptr(unsafe.Pointer(unsafe.SliceData(mem)))) / pageSize
	found := false
	for _, v := range res.Observation.VMAs {
		if v.Start <= first && first+1<<18 <= v.End && v.Flags&vmRead == 0 {
			found = len(v.PTEs) == 0
		}
	}
	if !found {
		t.Errorf("the reservation at page %#x: not drawn, or its page table read; notes %q", first, res.Notes)
	}
}
