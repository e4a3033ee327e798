package live

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/avdoc/avdoc/engine"
	"github.com/avdoc/avdoc/live/kread"
	"github.com/cilium/ebpf"
	"golang.org/x/sys/unix"
)

// envHelper makes the test binary run a live session, print its agents'
// pids and its programs' ids, and wait to be killed.
const envHelper = "AVDOC_TEST_LIVE_SESSION"

// helper runs a session with a fork chain of three, prints "pids; ids"
// and sleeps until killed.
func helper() int {
	s, err := Open()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	for _, ev := range []engine.Event{
		{Op: engine.OpSpawn, Proc: "P"},
		{Op: engine.OpMmap, Proc: "P", Region: "heap", Pages: 2, At: 16, HasAt: true, Writable: true},
		{Op: engine.OpWrite, Range: engine.Range{Proc: "P", Region: "heap", Whole: true}},
		{Op: engine.OpFork, Proc: "P", Child: "C"},
		{Op: engine.OpFork, Proc: "C", Child: "G"},
	} {
		if err := s.Apply(ev); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	ids, err := s.ProgramIDs()
	if _, oerr := s.Observe(); err != nil || oerr != nil {
		fmt.Fprintln(os.Stderr, err, oerr)
		return 1
	}
	fmt.Println(strings.Trim(fmt.Sprint(s.Pids()), "[]") + ";" + strings.Trim(fmt.Sprint(ids), "[]"))
	time.Sleep(time.Hour)
	return 0
}

// TestKilledSessionLeavesNothing kills a process in the middle of a live
// session, by SIGKILL, SIGTERM and SIGINT, and checks that its agents exit
// and its BPF programs are unloaded.
func TestKilledSessionLeavesNothing(t *testing.T) {
	open(t) // skips where the live kernel cannot be read, but not in CI
	for _, sig := range []syscall.Signal{syscall.SIGKILL, syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) { killSession(t, sig) })
	}
}

func killSession(t *testing.T, sig syscall.Signal) {
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), envHelper+"=1")
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	pidText, idText, ok := strings.Cut(strings.TrimSpace(line), ";")
	if err != nil || !ok {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("the helper printed %q: %v", line, err)
	}
	pidfds := map[int]int{}
	for _, f := range strings.Fields(pidText) {
		pid, _ := strconv.Atoi(f)
		fd, err := unix.PidfdOpen(pid, 0)
		if err != nil {
			t.Fatalf("agent %d not running before the kill: %v", pid, err)
		}
		defer unix.Close(fd)
		pidfds[pid] = fd
	}
	cmd.Process.Signal(sig)
	cmd.Wait()
	for pid, fd := range pidfds {
		if !exited(fd) {
			unix.PidfdSendSignal(fd, unix.SIGKILL, nil, 0)
			t.Errorf("agent %d outlived the session's process", pid)
		}
	}
	for _, f := range strings.Fields(idText) {
		id, _ := strconv.Atoi(f)
		if err := kread.Unloaded(ebpf.ProgramID(id)); err != nil {
			t.Error(err)
		}
	}
	if len(pidfds) != 3 || len(strings.Fields(idText)) == 0 {
		t.Errorf("the helper printed %q: want 3 pids and program ids", line)
	}
}

// exited waits up to 10 s for the process of a pidfd to exit.
func exited(fd int) bool {
	for i := 0; i < 1000; i++ {
		fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
		if n, err := unix.Poll(fds, 10); n > 0 || (err != nil && err != unix.EINTR) {
			return n > 0
		}
	}
	return false
}
