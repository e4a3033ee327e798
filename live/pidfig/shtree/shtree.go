// Package shtree starts a small real process tree for the tests of
// `avdoc live --pid`: a shell that forks a subshell, which forks another,
// without exec, so that the three share anonymous memory as fork left it.
package shtree

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Start starts the tree, each process blocked reading a pipe that is
// closed when the test ends, and returns the pids of the shell, its
// child and its grandchild.
func Start(t testing.TB) [3]int {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("/bin/sh", "-c", "( ( read x <&3 ) & read y <&3 ) & read z <&3")
	cmd.ExtraFiles = []*os.File{r}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	r.Close()
	t.Cleanup(func() {
		w.Close()
		cmd.Wait()
	})
	pids := [3]int{cmd.Process.Pid}
	for i := 1; i < 3; i++ {
		pids[i] = onlyChild(t, pids[i-1])
	}
	return pids
}

// onlyChild waits for pid's one child and returns it.
func onlyChild(t testing.TB, pid int) int {
	t.Helper()
	for range 1000 {
		b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/children", pid, pid))
		if f := strings.Fields(string(b)); len(f) == 1 {
			k, _ := strconv.Atoi(f[0])
			return k
		}
		time.Sleep(10 * time.Millisecond) // how often to look, not a limit
	}
	t.Fatalf("process %d has no child after 10 s", pid)
	return 0
}
