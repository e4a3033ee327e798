package pidfig

import (
	"errors"
	"fmt"
	"os"
	"strconv"

	"github.com/avdoc/avdoc/engine"
	"github.com/avdoc/avdoc/live"
	"github.com/avdoc/avdoc/live/kread"
	"github.com/avdoc/avdoc/story"
)

// Result is what [Read] found.
type Result struct {
	// Observation is the processes' reverse map, with ids in order of
	// first sight: processes breadth first, VMAs in address order.
	Observation *live.Observation
	// Story is the observation as a one-step story result under the live
	// kernel, for the figure printers (illustrate.Figure).
	Story *story.Result
	// Notes say what was left out: processes, VMAs or pages past the
	// limits, processes that exited while being read, struct page unread.
	Notes []string
}

// Read reads the anonymous memory of process pid and its descendants from
// the live kernel: a BPF task_vma iterator for the VMAs, their chains and
// anon_vmas, /proc for the page tables and mapcounts, and struct page for
// page->mapping. It never stops, traces or writes to the processes: they
// run on meanwhile, so what it reads of one process is consistent (read
// under its mmap lock) but two may be read a moment apart.
func Read(pid int, lim Limits) (*Result, error) {
	if pid <= 0 {
		return nil, &BadPidError{Pid: strconv.Itoa(pid), Reason: "want a process id, 1 or more"}
	}
	tasks, more, err := tree(pid, lim.Procs)
	if err != nil {
		return nil, err
	}
	if err := kread.Probe(); err != nil {
		return nil, err
	}
	rd, err := kread.Open(0, ^uint64(0))
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	b := newBuilder(lim)
	if more > 0 {
		b.note("%d more descendants of %s are not drawn (at most %d processes)", more, tasks[0].name(), lim.Procs)
	}
	pr, err := live.OpenStructPages()
	if err != nil {
		var u *kread.UnavailableError
		if !errors.As(err, &u) {
			return nil, err
		}
		b.note("page->mapping is not shown: %v", err)
	} else {
		defer pr.Close()
	}
	if err := b.read(rd, pr, tasks); err != nil {
		return nil, err
	}
	return b.result(tasks[0]), nil
}

// read reads every process's VMAs, page tables and struct pages.
func (b *builder) read(rd *kread.Reader, pr *kread.PageReader, tasks []task) error {
	pids := make([]int, len(tasks))
	for i, t := range tasks {
		pids[i] = t.pid
	}
	if err := rd.SetPids(pids); err != nil {
		return err
	}
	raw, err := rd.VMAs()
	if err != nil {
		return err
	}
	byPid := map[int][]kread.VMA{}
	for _, v := range raw {
		byPid[v.Pid] = append(byPid[v.Pid], v)
	}
	for i, t := range tasks {
		b.proc(i+1, t, byPid[t.pid])
	}
	if pr != nil {
		if err := b.structPages(pr); err != nil {
			return err
		}
	}
	if b.cut > 0 {
		b.note("%d more anonymous VMAs are not drawn (at most %d VMAs)", b.cut, b.lim.VMAs)
	}
	if b.unread > 0 {
		b.note("%d pages of %d VMAs are not read, from %s on (at most %d pages in all)", b.unread, b.cutPTEs, b.firstCut, b.lim.Pages)
	}
	b.trees()
	b.bare()
	return nil
}

// result is the observation as a figure's one-step story.
func (b *builder) result(first task) *Result {
	o := b.o
	o.Release = live.KernelRelease()
	k := story.Kernel{Model: story.LiveModel(), Live: true, Release: o.Release}
	st := o.State(&k.Model)
	title := fmt.Sprintf("%s and its descendants", first.name())
	if len(o.Procs) == 1 {
		title = first.name()
	}
	s := &story.Story{File: "pid " + strconv.Itoa(first.pid), Title: title, Kernels: []story.Kernel{k}, Steps: []story.Step{{}}}
	run := story.Run{Kernel: k, Steps: []story.StepRun{{StepResult: engine.StepResult{Step: 1, State: st}}}}
	return &Result{Observation: o, Story: &story.Result{Story: s, Runs: []story.Run{run}}, Notes: b.notes}
}

// readMaps reads a process's /proc/PID/maps.
func readMaps(pid int) ([]mapping, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/maps", pid))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return parseMaps(f)
}
