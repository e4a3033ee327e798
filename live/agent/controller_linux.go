//go:build linux && (amd64 || arm64)

package agent

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// Controller starts and drives agents. Its methods may be called from one
// goroutine at a time per agent; Close may be called from any goroutine.
type Controller struct {
	// Timeout bounds the wait for one reply or one exit; an agent that
	// takes longer is killed and reported.
	Timeout time.Duration

	mu      sync.Mutex
	agents  []*Agent
	closed  bool
	wasSub  bool // the process was a child subreaper before Start
	devNull *os.File

	zmu    sync.Mutex // held while the zygote forks
	zygote *Agent     // the pristine agent every spawn forks; nil until the first
}

// Agent is one agent process: a story process.
type Agent struct {
	c     *Controller
	pid   int
	sock  int // the controller's end of the agent's socket
	pidfd int
	gone  bool
}

// Start makes the calling process a child subreaper, so that agents
// orphaned by an exit are reparented to it and reaped by it, and returns a
// controller. Close undoes it. Controllers of one process must not overlap.
func Start() (*Controller, error) {
	if os.Getenv(envAgent) == "1" {
		return nil, errors.New("this process was started as an agent but its main did not call agent.RunIfAgent")
	}
	var was uintptr
	if err := unix.Prctl(unix.PR_GET_CHILD_SUBREAPER, uintptr(unsafePtr(&was)), 0, 0, 0); err != nil {
		return nil, fmt.Errorf("reading the child subreaper flag: %w", err)
	}
	if err := unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); err != nil {
		return nil, fmt.Errorf("becoming a child subreaper: %w", err)
	}
	null, err := os.Open(os.DevNull)
	if err != nil {
		return nil, err
	}
	return &Controller{Timeout: 10 * time.Second, wasSub: was != 0, devNull: null}, nil
}

// Spawn starts a fresh agent, with nothing mapped in the story's range.
// The first call starts the zygote, the running program re-executed
// (see [Controller.exec]), which runs no story and maps nothing; every
// agent Spawn returns is a fork of it. A fork costs a fraction of a
// millisecond; an exec runs every package init of the program again
// (avdoc's take tens of milliseconds) before the agent answers. The
// fork copies only the zygote's Go runtime, whose mappings lie outside
// the story's range.
func (c *Controller) Spawn() (*Agent, error) {
	c.zmu.Lock()
	defer c.zmu.Unlock()
	var err error
	for try := 0; try < 2; try++ {
		if c.zygote == nil || c.zygote.gone || c.zygote.sock < 0 {
			if c.zygote, err = c.exec(); err != nil {
				return nil, err
			}
		}
		var a *Agent
		if a, err = c.zygote.Fork(); err == nil {
			return a, nil
		}
		// The zygote died (killed from outside?): end it, start another.
		c.zygote.closeSock()
		err = errors.Join(err, c.zygote.end())
	}
	return nil, fmt.Errorf("spawn: %w", err)
}

// exec starts an agent: the running program re-executed, with a fresh
// mm.
func (c *Controller) exec() (*Agent, error) {
	sv, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_SEQPACKET|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("spawn: socketpair: %w", err)
	}
	pidfd := -1
	attr := &syscall.ProcAttr{
		Env:   append(os.Environ(), envAgent+"=1"),
		Files: []uintptr{c.devNull.Fd(), c.devNull.Fd(), os.Stderr.Fd(), uintptr(sv[1])},
		Sys:   &syscall.SysProcAttr{PidFD: &pidfd},
	}
	pid, err := syscall.ForkExec("/proc/self/exe", []string{os.Args[0]}, attr)
	unix.Close(sv[1])
	if err != nil {
		unix.Close(sv[0])
		return nil, fmt.Errorf("spawn: starting an agent: %w", err)
	}
	a, err := c.add(pid, sv[0], pidfd)
	if err != nil {
		return nil, err
	}
	if _, err := a.call(request{Op: opPing}); err != nil {
		return nil, fmt.Errorf("spawn: agent %d does not answer: %w", pid, err)
	}
	return a, nil
}

// add registers an agent, or kills it if the controller is closed.
func (c *Controller) add(pid, sock, pidfd int) (*Agent, error) {
	a := &Agent{c: c, pid: pid, sock: sock, pidfd: pidfd}
	c.mu.Lock()
	closed := c.closed
	if !closed {
		c.agents = append(c.agents, a)
	}
	c.mu.Unlock()
	if closed {
		a.end()
		return nil, errors.New("the controller is closed")
	}
	return a, nil
}

// Close ends every agent: it closes their sockets (an agent exits at end
// of file), waits for each to exit (killing one that does not within
// Timeout), reaps them, and restores the subreaper flag.
func (c *Controller) Close() error {
	c.mu.Lock()
	agents := c.agents
	c.agents, c.closed = nil, true
	c.mu.Unlock()
	var errs []error
	for _, a := range agents {
		a.closeSock()
	}
	for _, a := range agents {
		errs = append(errs, a.end())
	}
	if !c.wasSub {
		errs = append(errs, unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0))
	}
	errs = append(errs, c.devNull.Close())
	return errors.Join(errs...)
}

// Pid returns the agent's process id.
func (a *Agent) Pid() int { return a.pid }

// Mmap maps an anonymous private region of pages at addr
// (MAP_FIXED_NOREPLACE, MADV_NOHUGEPAGE), read-write or read-only.
func (a *Agent) Mmap(addr uint64, pages int, writable bool) error {
	return a.do("mmap", request{Op: opMmap, A: addr, B: bytes(pages), C: prot(writable)})
}

// Touch reads, or writes, the first byte of each of pages pages from addr,
// faulting them in as the process's own access does. The agent must have
// them mapped, and writable for a write: a fault on an unmapped page, or a
// write to a read-only one, kills it.
func (a *Agent) Touch(addr uint64, pages int, write bool) error {
	req := request{Op: opTouch, A: addr, B: uint64(pages)}
	if write {
		req.C, req.D = 1, 0xa5
	}
	return a.do("touch", req)
}

// Mprotect makes pages from addr read-write or read-only.
func (a *Agent) Mprotect(addr uint64, pages int, writable bool) error {
	return a.do("mprotect", request{Op: opMprotect, A: addr, B: bytes(pages), C: prot(writable)})
}

// Munmap unmaps pages from addr.
func (a *Agent) Munmap(addr uint64, pages int) error {
	return a.do("munmap", request{Op: opMunmap, A: addr, B: bytes(pages)})
}

// Mremap resizes the mapping of oldPages at addr to newPages; with to
// non-zero it moves it there (MREMAP_MAYMOVE|MREMAP_FIXED), else it
// resizes in place.
func (a *Agent) Mremap(addr uint64, oldPages, newPages int, to uint64) error {
	req := request{Op: opMremap, A: addr, B: bytes(oldPages), C: bytes(newPages)}
	if to != 0 {
		req.D, req.E = unix.MREMAP_MAYMOVE|unix.MREMAP_FIXED, to
	}
	return a.do("mremap", req)
}

// Madvise gives advice (unix.MADV_DONTNEED, unix.MADV_PAGEOUT, ...) on
// pages from addr.
func (a *Agent) Madvise(addr uint64, pages int, advice int) error {
	return a.do("madvise", request{Op: opMadvise, A: addr, B: bytes(pages), C: uint64(advice)})
}

// Fork forks the agent for real and returns the child, an agent too.
func (a *Agent) Fork() (*Agent, error) {
	rep, fd, err := a.callFD(request{Op: opFork})
	if err == nil && rep.Errno != 0 {
		err = syscall.Errno(rep.Errno)
	}
	if err == nil && fd < 0 {
		err = errors.New("the reply carries no socket")
	}
	if err != nil {
		return nil, fmt.Errorf("fork of agent %d: %w", a.pid, err)
	}
	pid := int(rep.Val)
	pidfd, err := unix.PidfdOpen(pid, 0)
	if err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("fork of agent %d: pidfd_open(%d): %w", a.pid, pid, err)
	}
	return a.c.add(pid, fd, pidfd)
}

// Exit makes the agent exit (exit_group) and returns once it has: its mm
// is torn down by then.
func (a *Agent) Exit() error {
	if err := a.send(request{Op: opExit}); err != nil {
		return fmt.Errorf("exit of agent %d: %w", a.pid, err)
	}
	a.closeSock()
	if err := a.end(); err != nil {
		return fmt.Errorf("exit of agent %d: %w", a.pid, err)
	}
	return nil
}

func bytes(pages int) uint64 { return uint64(pages) * pageSize }

func prot(writable bool) uint64 {
	if writable {
		return unix.PROT_READ | unix.PROT_WRITE
	}
	return unix.PROT_READ
}

// do sends a request and turns a failed system call into an error.
func (a *Agent) do(what string, req request) error {
	rep, err := a.call(req)
	if err == nil && rep.Errno != 0 {
		err = syscall.Errno(rep.Errno)
	}
	if err != nil {
		return fmt.Errorf("%s in agent %d: %w", what, a.pid, err)
	}
	return nil
}

func (a *Agent) call(req request) (reply, error) {
	rep, fd, err := a.callFD(req)
	if fd >= 0 {
		unix.Close(fd)
	}
	return rep, err
}

func (a *Agent) send(req request) error {
	if a.gone || a.sock < 0 {
		return errors.New("the agent has exited or was killed")
	}
	var b [requestSize]byte
	for i, w := range []uint64{req.Op, req.A, req.B, req.C, req.D, req.E} {
		binary.NativeEndian.PutUint64(b[8*i:], w)
	}
	_, err := unix.Write(a.sock, b[:])
	return err
}

// callFD sends a request and waits, at most Timeout, for its reply and the
// descriptor passed with it (-1 if none).
func (a *Agent) callFD(req request) (reply, int, error) {
	if err := a.send(req); err != nil {
		return reply{}, -1, err
	}
	if err := waitReadable(a.sock, a.c.Timeout); err != nil {
		// A late reply would answer the next request: the agent is done.
		unix.PidfdSendSignal(a.pidfd, unix.SIGKILL, nil, 0)
		a.closeSock()
		return reply{}, -1, fmt.Errorf("no reply (%w); the agent is killed", err)
	}
	var b [replySize]byte
	oob := make([]byte, unix.CmsgSpace(4))
	n, oobn, _, _, err := unix.Recvmsg(a.sock, b[:], oob, unix.MSG_CMSG_CLOEXEC)
	if err != nil {
		return reply{}, -1, err
	}
	if n == 0 {
		return reply{}, -1, errors.New("the agent died (it touched an unmapped page, or wrote a read-only one?)")
	}
	rep := reply{Errno: binary.NativeEndian.Uint64(b[0:]), Val: binary.NativeEndian.Uint64(b[8:])}
	return rep, passedFD(oob[:oobn]), nil
}

// passedFD returns the descriptor an SCM_RIGHTS message carries, or -1.
func passedFD(oob []byte) int {
	msgs, err := unix.ParseSocketControlMessage(oob)
	if err != nil || len(msgs) != 1 {
		return -1
	}
	fds, err := unix.ParseUnixRights(&msgs[0])
	if err != nil || len(fds) != 1 {
		return -1
	}
	return fds[0]
}

func (a *Agent) closeSock() {
	if a.sock >= 0 {
		unix.Close(a.sock)
		a.sock = -1
	}
}

// end waits for the agent to exit, kills it if it does not within Timeout,
// reaps it if it is the controller's child, and releases its pidfd.
func (a *Agent) end() error {
	if a.gone {
		return nil
	}
	a.gone = true
	a.closeSock()
	defer unix.Close(a.pidfd)
	var err error
	if waitReadable(a.pidfd, a.c.Timeout) != nil {
		err = fmt.Errorf("agent %d did not exit; killed", a.pid)
		unix.PidfdSendSignal(a.pidfd, unix.SIGKILL, nil, 0)
		waitReadable(a.pidfd, a.c.Timeout)
	}
	var info unix.Siginfo
	for {
		e := unix.Waitid(unix.P_PIDFD, a.pidfd, &info, unix.WEXITED, nil)
		if e != unix.EINTR {
			if e != nil && e != unix.ECHILD { // ECHILD: an agent's child, reaped by the kernel
				err = errors.Join(err, fmt.Errorf("reaping agent %d: %w", a.pid, e))
			}
			return err
		}
	}
}

// waitReadable waits until fd is readable (a socket with a message or at
// end of file, a pidfd whose process exited), at most d.
func waitReadable(fd int, d time.Duration) error {
	deadline := time.Now().Add(d)
	for {
		ms := int(time.Until(deadline).Milliseconds())
		if ms <= 0 {
			return fmt.Errorf("timed out after %v", d)
		}
		fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
		n, err := unix.Poll(fds, ms)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
	}
}
