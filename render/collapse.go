package render

import (
	"fmt"
	"slices"
	"strings"

	"github.com/avdoc/avdoc/engine"
)

// Past autoProcs drawn processes, runs of at least minAutoRun alike ones
// are drawn as stacks (all but the first and last of each run), and runs
// of at least minPageRun alike pages always are.
const (
	autoProcs  = 12
	minAutoRun = 4
	minPageRun = 12
)

// procRun is a run of processes drawn as one stack; the first stands for
// them all.
type procRun struct {
	first, last engine.ProcID
	n           int
}

// pageRun is a run of alike pages drawn as one stack, pages first..last.
type pageRun struct {
	first, last engine.PageID
}

// collapse finds the runs of processes to stack: those opt.Collapse names
// or, when many processes are drawn, runs of alike ones; a process whose
// VMA a walk visits stays on its own. The members after each run's first
// are hidden.
func (s *scene) collapse(st *engine.State, opt Options) {
	var runs [][]int
	switch {
	case len(opt.Collapse) > 0:
		runs = namedRuns(st, s.proc, opt.Collapse)
	case countTrue(s.proc) > autoProcs:
		runs = alikeRuns(st, s.proc, walkedProcs(st, opt.Walk))
	}
	for _, r := range runs {
		if len(r) < 2 {
			continue
		}
		if s.hidden == nil {
			s.hidden, s.stackOf = make([]bool, len(st.Procs)), make([]int, len(st.Procs))
		}
		s.stackOf[r[0]] = len(r)
		for _, i := range r[1:] {
			s.hidden[i], s.proc[i] = true, false
		}
		s.stacks = append(s.stacks, procRun{first: st.Procs[r[0]].ID, last: st.Procs[r[len(r)-1]].ID, n: len(r)})
	}
}

// namedRuns returns the runs of drawn processes, consecutive in creation
// order, that are all named in names.
func namedRuns(st *engine.State, drawn []bool, names []string) [][]int {
	named := make(map[string]bool, len(names)) // only looked up
	for _, n := range names {
		named[n] = true
	}
	var runs [][]int
	var cur []int
	for i, p := range st.Procs {
		if !drawn[i] {
			continue
		}
		if named[p.Name] {
			cur = append(cur, i)
			continue
		}
		runs, cur = append(runs, cur), nil
	}
	return append(runs, cur)
}

// alikeRuns returns, for each run of at least minAutoRun drawn processes
// with the same shape, the members between its first and its last.
func alikeRuns(st *engine.State, drawn, keep []bool) [][]int {
	var runs [][]int
	var cur []int
	shape := ""
	flush := func() {
		if len(cur) >= minAutoRun {
			runs = append(runs, cur[1:len(cur)-1])
		}
		cur = nil
	}
	for i := range st.Procs {
		if !drawn[i] || keep[i] {
			flush()
			continue
		}
		if sh := procShape(st, &st.Procs[i]); sh != shape || len(cur) == 0 {
			flush()
			shape = sh
		}
		cur = append(cur, i)
	}
	flush()
	return runs
}

// procShape sums up what a drawing of a process shows, so that processes
// with the same shape can share a stack: its parent, and per VMA the
// region, size, protection, chain length, whether its anon_vma is its own,
// and how many of its PTEs map pages, the zero page and swap.
func procShape(st *engine.State, p *engine.Process) string {
	var b strings.Builder
	fmt.Fprintf(&b, "parent %d", p.Parent)
	for _, id := range p.VMAs {
		if !valid(int(id), len(st.VMAs)) || st.VMA(id).Gone {
			continue
		}
		v := st.VMA(id)
		var kinds [4]int
		for _, pte := range v.PTEs {
			kinds[pte.Kind%4]++
		}
		own := valid(int(v.AnonVMA), len(st.AnonVMAs)) && strings.HasPrefix(st.AnonVMA(v.AnonVMA).Name, p.Name+":")
		fmt.Fprintf(&b, "; %s %d %t %d %t %v", v.Region, v.Pages(), v.Writable, len(v.Chain), own, kinds)
	}
	return b.String()
}

// walkedProcs flags the processes whose VMAs a walk visits.
func walkedProcs(st *engine.State, w *engine.Walk) []bool {
	out := make([]bool, len(st.Procs))
	if w == nil {
		return out
	}
	for _, v := range w.Visits {
		if valid(int(v.VMA), len(st.VMAs)) {
			out[st.VMA(v.VMA).Proc-1] = true
		}
	}
	return out
}

// hiddenVMAs flags the VMAs of the hidden members of stacks.
func (s *scene) hiddenVMAs(st *engine.State) []bool {
	out := make([]bool, len(st.VMAs))
	for i, v := range st.VMAs {
		out[i] = !v.Gone && s.hidden[v.Proc-1]
	}
	return out
}

// hiddenAnonVMAs flags the anon_vmas that only hidden members of stacks
// link to, through vma->anon_vma or an AVC.
func (s *scene) hiddenAnonVMAs(st *engine.State) []bool {
	out := make([]bool, len(st.AnonVMAs))
	if s.hidden == nil {
		return out
	}
	shown := make([]bool, len(st.AnonVMAs))
	for i := range st.VMAs {
		v := &st.VMAs[i]
		if v.Gone || !valid(int(v.Proc), len(st.Procs)) {
			continue
		}
		into := shown
		if s.hidden[v.Proc-1] {
			into = out
		}
		for _, id := range linkedAnonVMAs(st, v) {
			into[id-1] = true
		}
	}
	for i := range out {
		out[i] = out[i] && !shown[i]
	}
	return out
}

// linkedAnonVMAs returns the anon_vmas a VMA links to: its own and those
// of the AVCs on its chain.
func linkedAnonVMAs(st *engine.State, v *engine.VMA) []engine.AVID {
	var out []engine.AVID
	if valid(int(v.AnonVMA), len(st.AnonVMAs)) {
		out = append(out, v.AnonVMA)
	}
	for _, id := range v.Chain {
		if valid(int(id), len(st.AVCs)) && valid(int(st.AVC(id).AnonVMA), len(st.AnonVMAs)) {
			out = append(out, st.AVC(id).AnonVMA)
		}
	}
	return out
}

// findPageRuns stacks each run of at least minPageRun drawn pages, one
// after the other by id and by index, that are alike: the same mapping,
// mapcount, swap-cache state and first drawn mapper. A walked page stays
// on its own.
func (s *scene) findPageRuns(st *engine.State, w *engine.Walk) {
	start, end := -1, -1 // the run so far: pages [start, end)
	for i := range s.page.all() {
		if start >= 0 && (i != end || !s.alikePages(st, start, i) || walks(w, i)) {
			s.addPageRun(st, start, end)
			start = -1
		}
		if start < 0 {
			if walks(w, i) {
				continue
			}
			start = i
		}
		end = i + 1
	}
	if start >= 0 {
		s.addPageRun(st, start, end)
	}
}

func walks(w *engine.Walk, i int) bool { return w != nil && int(w.Page) == i+1 }

// alikePages reports whether page i continues the run that starts at
// page first.
func (s *scene) alikePages(st *engine.State, first, i int) bool {
	a, b := &st.Pages[first], &st.Pages[i]
	return b.Index == a.Index+uint64(i-first) && b.Mapping == a.Mapping && b.Mapcount == a.Mapcount &&
		(b.Swap != 0) == (a.Swap != 0) && s.mapperOf(i) == s.mapperOf(first)
}

func (s *scene) mapperOf(i int) engine.VMAID { return s.mapper.of(i) }

// addPageRun stacks pages [from, to) when there are enough of them.
func (s *scene) addPageRun(st *engine.State, from, to int) {
	if to-from < minPageRun {
		return
	}
	s.pageRuns = append(s.pageRuns, pageRun{first: st.Pages[from].ID, last: st.Pages[to-1].ID})
	for i := from + 1; i < to; i++ {
		s.page.remove(i)
	}
}

// pageRunOf returns the run page id heads or belongs to, if any.
func (s *scene) pageRunOf(id engine.PageID) (pageRun, bool) {
	i, found := slices.BinarySearchFunc(s.pageRuns, id, func(r pageRun, id engine.PageID) int { return int(r.first) - int(id) })
	if !found {
		i--
	}
	if i >= 0 && i < len(s.pageRuns) && s.pageRuns[i].first <= id && id <= s.pageRuns[i].last {
		return s.pageRuns[i], true
	}
	return pageRun{}, false
}

// shownPage returns the drawn node that stands for page id: itself, or
// the first page of its run; 0 if the page is not drawn.
func (s *scene) shownPage(id engine.PageID) engine.PageID {
	if r, ok := s.pageRunOf(id); ok {
		return r.first
	}
	if s.page.has(int(id) - 1) {
		return id
	}
	return 0
}

// stackSize returns how many processes the drawn process stands for: 1
// unless it heads a stack.
func (s *scene) stackSize(id engine.ProcID) int {
	if s.stackOf == nil || !valid(int(id), len(s.stackOf)) || s.stackOf[id-1] < 2 {
		return 1
	}
	return s.stackOf[id-1]
}

// stackOfRun returns the run of processes that p heads.
func (s *scene) stackOfRun(id engine.ProcID) (procRun, bool) {
	for _, r := range s.stacks {
		if r.first == id {
			return r, true
		}
	}
	return procRun{}, false
}
