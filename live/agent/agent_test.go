//go:build linux && (amd64 || arm64)

package agent

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// envHelper makes the test binary a controller that spawns a chain of
// agents, prints their pids and waits to be killed.
const envHelper = "AVDOC_TEST_CONTROLLER"

// base is where the tests map their regions: far from the Go runtime's own
// mappings.
const base = 0x100000000000

func TestMain(m *testing.M) {
	RunIfAgent()
	if os.Getenv(envHelper) == "1" {
		os.Exit(helper())
	}
	os.Exit(m.Run())
}

// helper starts a controller with a 3-deep fork chain P -> C -> G, each with a
// written page, prints the pids and sleeps until killed.
func helper() int {
	c, err := Start()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	chain, err := forkChain(c, 3)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	var pids []string
	for _, a := range chain {
		pids = append(pids, strconv.Itoa(a.Pid()))
	}
	fmt.Println(strings.Join(pids, " "))
	time.Sleep(time.Hour)
	return 0
}

// forkChain spawns an agent with one written page at base and forks it n-1
// times, each child forking the next; every agent writes its page.
func forkChain(c *Controller, n int) ([]*Agent, error) {
	a, err := c.Spawn()
	if err != nil {
		return nil, err
	}
	if err := a.Mmap(base, 4, true); err != nil {
		return nil, err
	}
	chain := []*Agent{a}
	for len(chain) < n {
		if err := a.Touch(base, 1, true); err != nil {
			return nil, err
		}
		if a, err = a.Fork(); err != nil {
			return nil, err
		}
		chain = append(chain, a)
	}
	return chain, a.Touch(base, 1, true)
}

func startController(t *testing.T) *Controller {
	t.Helper()
	c, err := Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := c.Close(); err != nil {
			t.Error(err)
		}
	})
	return c
}

// ppid reads the parent pid of a live process from /proc/PID/stat.
func ppid(t *testing.T, pid int) int {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		t.Fatal(err)
	}
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
	n, err := strconv.Atoi(f[1])
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func mapsHas(t *testing.T, pid int, addr uint64) bool {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/maps", pid))
	if err != nil {
		t.Fatal(err)
	}
	return strings.Contains(string(b), fmt.Sprintf("%x-", addr))
}

func TestForkChainParentsAndReparenting(t *testing.T) {
	c := startController(t)
	chain, err := forkChain(c, 3)
	if err != nil {
		t.Fatal(err)
	}
	p, child, grand := chain[0], chain[1], chain[2]
	// A spawned agent is a fork of the zygote, the controller's child.
	if got := ppid(t, c.zygote.Pid()); got != os.Getpid() {
		t.Errorf("the zygote's parent is %d, want the controller %d", got, os.Getpid())
	}
	if mapsHas(t, c.zygote.Pid(), base) {
		t.Errorf("the zygote maps %#x: it must stay pristine", uint64(base))
	}
	for i, want := range []int{c.zygote.Pid(), p.Pid(), child.Pid()} {
		if got := ppid(t, chain[i].Pid()); got != want {
			t.Errorf("agent %d: parent %d, want %d", i, got, want)
		}
		if !mapsHas(t, chain[i].Pid(), base) {
			t.Errorf("agent %d has no mapping at %#x", i, uint64(base))
		}
	}
	if err := child.Exit(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(fmt.Sprintf("/proc/%d", child.Pid())); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("exited agent %d still in /proc (a zombie?): %v", child.Pid(), err)
	}
	if got := ppid(t, grand.Pid()); got != os.Getpid() {
		t.Errorf("orphaned agent's parent is %d, want the subreaper %d", got, os.Getpid())
	}
	if err := grand.Touch(base, 4, false); err != nil {
		t.Errorf("the orphan no longer answers: %v", err)
	}
}

func TestRequestsFailCleanly(t *testing.T) {
	c := startController(t)
	a, err := c.Spawn()
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Mmap(base, 2, true); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		do   func() error
		want error
	}{
		{"mmap over a mapping", func() error { return a.Mmap(base+pageSize, 2, true) }, unix.EEXIST},
		{"mprotect of unmapped pages", func() error { return a.Mprotect(base+16*pageSize, 1, false) }, unix.ENOMEM},
		{"madvise with a bad advice", func() error { return a.Madvise(base, 1, 12345) }, unix.EINVAL},
	}
	for _, tt := range tests {
		if err := tt.do(); !errors.Is(err, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, err, tt.want)
		}
	}
	if err := a.Touch(base+64*pageSize, 1, true); err == nil || !strings.Contains(err.Error(), "died") {
		t.Errorf("a write to an unmapped page: got %v, want the agent reported dead", err)
	}
}

// TestNothingOutlivesController kills a controller holding a fork chain of
// three agents and checks that every agent exits by itself (status 0, at end
// of file on its socket) rather than lingering.
func TestNothingOutlivesController(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGKILL, syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) { killController(t, sig) })
	}
}

func killController(t *testing.T, sig syscall.Signal) {
	// The test process adopts the orphaned agents, to reap them and read
	// how they ended.
	startController(t)
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
	if err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("helper printed no pids: %v", err)
	}
	pidfds := openPidfds(t, strings.Fields(line))
	if err := cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	for pid, fd := range pidfds {
		if err := waitReadable(fd, 10*time.Second); err != nil {
			unix.PidfdSendSignal(fd, unix.SIGKILL, nil, 0)
			t.Errorf("agent %d outlived its controller: %v", pid, err)
		}
		var info unix.Siginfo
		// ECHILD: the agent's parent agent outlived it and the kernel
		// reaped it (agents ignore SIGCHLD); else the test reaps it.
		err := unix.Waitid(unix.P_PIDFD, fd, &info, unix.WEXITED, nil)
		if err != nil && err != unix.ECHILD {
			t.Errorf("reaping agent %d: %v", pid, err)
		} else if code := siginfoStatus(&info); err == nil && code != 0 {
			t.Errorf("agent %d ended with status %d, want 0 (exit at end of file)", pid, code)
		}
		unix.Close(fd)
	}
}

func openPidfds(t *testing.T, pids []string) map[int]int {
	t.Helper()
	if len(pids) != 3 {
		t.Fatalf("helper printed %q, want 3 pids", pids)
	}
	out := map[int]int{}
	for _, s := range pids {
		pid, err := strconv.Atoi(s)
		if err != nil {
			t.Fatal(err)
		}
		fd, err := unix.PidfdOpen(pid, 0)
		if err != nil {
			t.Fatalf("agent %d is not running before the kill: %v", pid, err)
		}
		out[pid] = fd
	}
	return out
}

// siginfoStatus returns si_status of a SIGCHLD siginfo: the exit code, or
// minus the signal that killed the child.
func siginfoStatus(info *unix.Siginfo) int {
	// After signo, errno, code and a pad come si_pid, si_uid, si_status.
	raw := (*[16]int32)(unsafe.Pointer(info))
	if info.Code != 1 { // not CLD_EXITED
		return -int(raw[6])
	}
	return int(raw[6])
}

// TestStoppedAgentDoesNotHang stops an agent (SIGSTOP): a request to it
// fails after Timeout instead of hanging, the agent is killed (a late
// reply would answer the next request), and Close reaps it.
func TestStoppedAgentDoesNotHang(t *testing.T) {
	c, err := Start()
	if err != nil {
		t.Fatal(err)
	}
	c.Timeout = 200 * time.Millisecond
	a, err := c.Spawn()
	if err != nil {
		c.Close()
		t.Fatal(err)
	}
	pidfd, err := unix.PidfdOpen(a.Pid(), 0)
	if err != nil {
		c.Close()
		t.Fatal(err)
	}
	defer unix.Close(pidfd)
	if err := unix.Kill(a.Pid(), unix.SIGSTOP); err != nil {
		c.Close()
		t.Fatal(err)
	}
	if err := a.Mmap(base, 1, true); err == nil || !strings.Contains(err.Error(), "no reply") {
		t.Errorf("a request to a stopped agent: got %v, want no reply", err)
	}
	if err := a.Touch(base, 1, true); err == nil {
		t.Error("a request to the killed agent succeeded")
	}
	if err := c.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if waitReadable(pidfd, time.Second) != nil {
		t.Error("the stopped agent is still running after Close")
	}
	if _, err := os.Stat(fmt.Sprintf("/proc/%d", a.Pid())); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the stopped agent was not reaped: %v", err)
	}
}

// TestStoppedAgentIsKilledAtClose stops an agent, so that it cannot see its
// socket close: Close kills it after Timeout, says so, and reaps it.
func TestStoppedAgentIsKilledAtClose(t *testing.T) {
	c, err := Start()
	if err != nil {
		t.Fatal(err)
	}
	c.Timeout = 200 * time.Millisecond
	a, err := c.Spawn()
	if err == nil {
		err = unix.Kill(a.Pid(), unix.SIGSTOP)
	}
	if err != nil {
		c.Close()
		t.Fatal(err)
	}
	if err := c.Close(); err == nil || !strings.Contains(err.Error(), "did not exit; killed") {
		t.Errorf("Close with a stopped agent: got %v, want it reported killed", err)
	}
	if _, err := os.Stat(fmt.Sprintf("/proc/%d", a.Pid())); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the stopped agent was not reaped: %v", err)
	}
}

func TestSpawnOutlivesAKilledZygote(t *testing.T) {
	c := startController(t)
	a, err := c.Spawn()
	if err != nil {
		t.Fatal(err)
	}
	first := c.zygote.Pid()
	if err := unix.Kill(first, unix.SIGKILL); err != nil {
		t.Fatal(err)
	}
	b, err := c.Spawn()
	if err != nil {
		t.Fatalf("spawn after the zygote was killed: %v", err)
	}
	if c.zygote.Pid() == first || ppid(t, b.Pid()) != c.zygote.Pid() {
		t.Errorf("spawned %d under %d, the zygote now %d (was %d); want a new zygote", b.Pid(), ppid(t, b.Pid()), c.zygote.Pid(), first)
	}
	for _, ag := range []*Agent{a, b} {
		if mapsHas(t, ag.Pid(), base) {
			t.Errorf("agent %d starts with a mapping at %#x", ag.Pid(), uint64(base))
		}
		if err := ag.Mmap(base, 1, true); err != nil {
			t.Errorf("agent %d: %v", ag.Pid(), err)
		}
	}
}

// BenchmarkSpawnExec is the baseline: an agent started by re-executing
// the program (the test binary: avdoc's package inits cost far more).
func BenchmarkSpawnExec(b *testing.B) { benchSpawn(b, (*Controller).exec) }

// BenchmarkSpawn is Spawn: a fork of the zygote.
func BenchmarkSpawn(b *testing.B) { benchSpawn(b, (*Controller).Spawn) }

func benchSpawn(b *testing.B, spawn func(*Controller) (*Agent, error)) {
	c, err := Start()
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Spawn(); err != nil { // the zygote starts outside the timing
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		a, err := spawn(c)
		if err != nil {
			b.Fatal(err)
		}
		if err := a.Exit(); err != nil {
			b.Fatal(err)
		}
	}
}
