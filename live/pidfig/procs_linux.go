package pidfig

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// task is a process of the tree: its pid, its parent's index in the tree
// (-1 for the first), and its name.
type task struct {
	pid    int
	parent int
	comm   string
}

// name is how a figure names the process: "comm[pid]".
func (t task) name() string { return fmt.Sprintf("%s[%d]", t.comm, t.pid) }

// tree returns process pid and its descendants, breadth first and by pid
// among siblings, at most max of them; more says how many were left out
// (at least; the rest of the tree is not walked).
func tree(pid, max int) (out []task, more int, err error) {
	comm, err := readComm(pid)
	if err != nil {
		return nil, 0, err
	}
	out = []task{{pid: pid, parent: -1, comm: comm}}
	kidsOf := children
	if _, err := children(pid); err != nil {
		kidsOf = scanChildren() // a kernel without CONFIG_PROC_CHILDREN
	}
	for i := 0; i < len(out); i++ {
		kids, err := kidsOf(out[i].pid)
		if err != nil {
			continue // it exited meanwhile: no children to read
		}
		for _, k := range kids {
			if len(out) == max {
				more++
				continue
			}
			c, err := readComm(k)
			if err != nil {
				continue // it exited meanwhile
			}
			out = append(out, task{pid: k, parent: i, comm: c})
		}
	}
	return out, more, nil
}

// readComm reads a process's name, its control characters made visible.
func readComm(pid int) (string, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
	if errors.Is(err, os.ErrNotExist) {
		return "", &BadPidError{Pid: strconv.Itoa(pid), Reason: "no such process"}
	}
	if err != nil {
		return "", fmt.Errorf("reading the name of process %d: %w", pid, err)
	}
	return printable(strings.TrimSuffix(string(b), "\n")), nil
}

// children returns the pids of a process's children, the children of
// each of its threads (/proc/PID/task/TID/children), sorted.
func children(pid int) ([]int, error) {
	files, err := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/children", pid))
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("process %d: no children files", pid)
	}
	var out []int
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			continue // the thread exited
		}
		for _, w := range strings.Fields(string(b)) {
			if k, err := strconv.Atoi(w); err == nil {
				out = append(out, k)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// scanChildren returns the children of each process as their parent pids
// in /proc/PID/stat say, read once: where /proc/PID/task/TID/children
// is missing.
func scanChildren() func(int) ([]int, error) {
	kids := map[int][]int{}
	dirs, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, f := range dirs {
		b, err := os.ReadFile(f)
		if err != nil {
			continue // it exited
		}
		if pid, ppid, ok := parseStat(string(b)); ok {
			kids[ppid] = append(kids[ppid], pid)
		}
	}
	return func(pid int) ([]int, error) { return slices.Sorted(slices.Values(kids[pid])), nil }
}

// parseStat returns the pid and parent pid of a /proc/PID/stat line,
// "pid (comm) state ppid ...", where comm may hold spaces and parentheses.
func parseStat(line string) (pid, ppid int, ok bool) {
	open, end := strings.IndexByte(line, ' '), strings.LastIndexByte(line, ')')
	if open < 0 || end < 0 {
		return 0, 0, false
	}
	f := strings.Fields(line[end+1:])
	pid, err1 := strconv.Atoi(line[:open])
	if len(f) < 2 || err1 != nil {
		return 0, 0, false
	}
	ppid, err2 := strconv.Atoi(f[1])
	return pid, ppid, err2 == nil
}
