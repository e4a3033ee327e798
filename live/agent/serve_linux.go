//go:build linux && (amd64 || arm64)

package agent

import (
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Everything in this file runs in forked agents, whose copy of the Go
// runtime is dead (only the forking thread exists in the child): each
// function is //go:nosplit (the stack never grows), //go:norace, allocates
// nothing, makes only raw system calls and calls only functions of this
// file. Addresses of story memory are reached with unsafe.Add.

// serve answers requests on the socket fd until the controller is gone
// (end of file), then exits. It never returns.
//
//go:nosplit
//go:norace
func serve(fd uintptr) {
	blockSignals()
	ignoreSIGCHLD()
	var req request
	for {
		n, e := sys6(unix.SYS_RECVFROM, fd, uintptr(unsafe.Pointer(&req)), requestSize, 0, 0, 0)
		if e == syscall.EINTR {
			continue
		}
		if e != 0 {
			exitGroup(3)
		}
		if n == 0 { // end of file: the controller closed the socket or died
			exitGroup(0)
		}
		fd = handle(fd, &req)
		req = request{}
	}
}

// handle serves one request and sends its reply; it returns the socket to
// serve next, which is a new one in the child of a fork.
//
//go:nosplit
//go:norace
func handle(fd uintptr, req *request) uintptr {
	var rep reply
	pass := -1
	switch req.Op {
	case opMmap:
		rep.Errno = mmapFixed(req)
	case opTouch:
		rep.Val = touch(req.A, req.B, req.C == 1, byte(req.D))
	case opMprotect:
		_, e := sys6(unix.SYS_MPROTECT, uintptr(req.A), uintptr(req.B), uintptr(req.C), 0, 0, 0)
		rep.Errno = uint64(e)
	case opMunmap:
		_, e := sys6(unix.SYS_MUNMAP, uintptr(req.A), uintptr(req.B), 0, 0, 0, 0)
		rep.Errno = uint64(e)
	case opMremap:
		r, e := sys6(unix.SYS_MREMAP, uintptr(req.A), uintptr(req.B), uintptr(req.C), uintptr(req.D), uintptr(req.E), 0)
		rep.Errno, rep.Val = uint64(e), uint64(r)
	case opMadvise:
		_, e := sys6(unix.SYS_MADVISE, uintptr(req.A), uintptr(req.B), uintptr(req.C), 0, 0, 0)
		rep.Errno = uint64(e)
	case opFork:
		child, sock, pid, e := forkAgent(fd)
		if pid == 0 && e == 0 {
			return child // the child serves its own socket and sends no reply
		}
		rep.Errno, rep.Val, pass = uint64(e), uint64(pid), sock
	case opExit:
		exitGroup(0)
	case opPing:
		r, _ := sys6(unix.SYS_GETPID, 0, 0, 0, 0, 0, 0)
		rep.Val = uint64(r)
	default:
		rep.Errno = uint64(syscall.EINVAL)
	}
	sendReply(fd, &rep, pass)
	if pass >= 0 {
		sys6(unix.SYS_CLOSE, uintptr(pass), 0, 0, 0, 0, 0)
	}
	return fd
}

// mmapFixed maps an anonymous private region exactly at req.A, refusing to
// replace anything, and keeps transparent huge pages out of it.
//
//go:nosplit
//go:norace
func mmapFixed(req *request) uint64 {
	flags := uintptr(unix.MAP_PRIVATE | unix.MAP_ANONYMOUS | unix.MAP_FIXED_NOREPLACE)
	r, e := sys6(unix.SYS_MMAP, uintptr(req.A), uintptr(req.B), uintptr(req.C), flags, ^uintptr(0), 0)
	if e != 0 {
		return uint64(e)
	}
	if r != uintptr(req.A) { // a kernel before 4.17 takes the flag as a hint
		sys6(unix.SYS_MUNMAP, r, uintptr(req.B), 0, 0, 0, 0)
		return uint64(syscall.EEXIST)
	}
	_, e = sys6(unix.SYS_MADVISE, r, uintptr(req.B), unix.MADV_NOHUGEPAGE, 0, 0, 0)
	return uint64(e)
}

// touch reads or writes the first byte of each of n pages from addr, as a
// user access would: the page faults of a read or a write. It returns the
// sum of the bytes read, so that the loads are not optimised away.
//
//go:nosplit
//go:norace
func touch(addr, n uint64, write bool, b byte) uint64 {
	var sum uint64
	for i := uint64(0); i < n; i++ {
		p := (*byte)(unsafe.Add(unsafe.Pointer(nil), uintptr(addr+i*pageSize)))
		if write {
			*p = b
		} else {
			sum += uint64(*p)
		}
	}
	return sum
}

// forkAgent makes a socket pair and forks. In the child (pid 0) it returns
// the child's end, having closed every other socket of the agent; in the
// parent it returns the controller's end, to pass on, and the child's pid.
//
//go:nosplit
//go:norace
func forkAgent(fd uintptr) (child uintptr, ctl int, pid int, e syscall.Errno) {
	var sv [2]int32
	_, e = sys6(unix.SYS_SOCKETPAIR, unix.AF_UNIX, unix.SOCK_SEQPACKET|unix.SOCK_CLOEXEC, 0, uintptr(unsafe.Pointer(&sv)), 0, 0)
	if e != 0 {
		return 0, -1, -1, e
	}
	r, e := sys6(unix.SYS_CLONE, uintptr(syscall.SIGCHLD), 0, 0, 0, 0, 0)
	if e != 0 {
		sys6(unix.SYS_CLOSE, uintptr(sv[0]), 0, 0, 0, 0, 0)
		sys6(unix.SYS_CLOSE, uintptr(sv[1]), 0, 0, 0, 0, 0)
		return 0, -1, -1, e
	}
	if r == 0 {
		blockSignals()
		sys6(unix.SYS_CLOSE, fd, 0, 0, 0, 0, 0)
		sys6(unix.SYS_CLOSE, uintptr(sv[1]), 0, 0, 0, 0, 0)
		return uintptr(sv[0]), -1, 0, 0
	}
	sys6(unix.SYS_CLOSE, uintptr(sv[0]), 0, 0, 0, 0, 0)
	return 0, int(sv[1]), int(r), 0
}

// cmsgRights is a control message carrying one file descriptor.
type cmsgRights struct {
	hdr unix.Cmsghdr
	fd  int32
	_   int32
}

// sendReply sends rep, with the descriptor pass attached if it is not -1.
//
//go:nosplit
//go:norace
func sendReply(fd uintptr, rep *reply, pass int) {
	var iov unix.Iovec
	var msg unix.Msghdr
	var cm cmsgRights
	iov.Base = (*byte)(unsafe.Pointer(rep))
	iov.Len = replySize
	msg.Iov = &iov
	msg.Iovlen = 1
	if pass >= 0 {
		cm.hdr.Len = uint64(unsafe.Sizeof(cm.hdr)) + 4
		cm.hdr.Level = unix.SOL_SOCKET
		cm.hdr.Type = unix.SCM_RIGHTS
		cm.fd = int32(pass)
		msg.Control = (*byte)(unsafe.Pointer(&cm))
		msg.Controllen = uint64(unsafe.Sizeof(cm))
	}
	for {
		_, e := sys6(unix.SYS_SENDMSG, fd, uintptr(unsafe.Pointer(&msg)), unix.MSG_NOSIGNAL, 0, 0, 0)
		if e != syscall.EINTR {
			if e != 0 {
				exitGroup(3) // the controller is gone
			}
			return
		}
	}
}

// blockSignals blocks every signal of the calling thread: a forked agent
// has no Go runtime left to handle one (SIGKILL and SIGSTOP still work).
//
//go:nosplit
//go:norace
func blockSignals() {
	all := ^uint64(0)
	sys6(unix.SYS_RT_SIGPROCMASK, unix.SIG_SETMASK, uintptr(unsafe.Pointer(&all)), 0, 8, 0, 0)
}

// kernelSigaction is the kernel's struct sigaction on amd64 and arm64.
type kernelSigaction struct {
	handler, flags, restorer uintptr
	mask                     uint64
}

// ignoreSIGCHLD sets SIGCHLD to SIG_IGN, so that the kernel reaps an
// agent's children as they exit: no zombie waits for a parent that is
// blocked in its request loop. Forked agents inherit it.
//
//go:nosplit
//go:norace
func ignoreSIGCHLD() {
	act := kernelSigaction{handler: 1} // SIG_IGN
	sys6(unix.SYS_RT_SIGACTION, uintptr(syscall.SIGCHLD), uintptr(unsafe.Pointer(&act)), 0, 8, 0, 0)
}

//go:nosplit
//go:norace
func exitGroup(code int) {
	for {
		sys6(unix.SYS_EXIT_GROUP, uintptr(code), 0, 0, 0, 0, 0)
	}
}

//go:nosplit
//go:norace
func sys6(trap, a1, a2, a3, a4, a5, a6 uintptr) (uintptr, syscall.Errno) {
	r, _, e := syscall.RawSyscall6(trap, a1, a2, a3, a4, a5, a6)
	return r, e
}
