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
	for i := 0; i < len(out); i++ {
		kids, err := children(out[i].pid)
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
