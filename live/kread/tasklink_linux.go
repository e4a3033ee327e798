package kread

import (
	"fmt"
	"slices"
	"unsafe"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/link"
	"golang.org/x/sys/unix"
)

// The bpf(2) command and attach type a task iterator link is made with.
const (
	bpfLinkCreate = 28 // BPF_LINK_CREATE
	bpfTraceIter  = 28 // BPF_TRACE_ITER
)

// iterTaskInfo is union bpf_iter_link_info's task member: iterate one task
// (tid), the tasks of one process (pid), or of a pidfd's.
type iterTaskInfo struct {
	tid, pid, pidFD uint32
	_               uint32 // the union is 16 bytes long
}

// linkCreateAttr is union bpf_attr's link_create member, for an iterator.
type linkCreateAttr struct {
	progFD, targetFD, attachType, flags uint32
	iterInfo                            uint64
	iterInfoLen                         uint32
	_                                   uint32
}

// attachTask attaches an iterator program to one task only (Linux 6.1+),
// so that a run visits that task's VMAs rather than every task's.
// cilium/ebpf's AttachIter does not take the task, hence the raw bpf(2).
func attachTask(prog *ebpf.Program, tid int) (*link.Iter, error) {
	info := iterTaskInfo{tid: uint32(tid)}
	attr := linkCreateAttr{progFD: uint32(prog.FD()), attachType: bpfTraceIter,
		iterInfo: uint64(uintptr(unsafe.Pointer(&info))), iterInfoLen: uint32(unsafe.Sizeof(info))}
	fd, _, errno := unix.Syscall(unix.SYS_BPF, bpfLinkCreate, uintptr(unsafe.Pointer(&attr)), unsafe.Sizeof(attr))
	if errno != 0 {
		return nil, fmt.Errorf("linking the iterator to task %d: %w", tid, errno)
	}
	l, err := link.NewFromFD(int(fd))
	if err != nil {
		unix.Close(int(fd))
		return nil, err
	}
	it, ok := l.(*link.Iter)
	if !ok {
		l.Close()
		return nil, fmt.Errorf("linking the iterator to task %d: got a %T", tid, l)
	}
	return it, nil
}

// readTask runs the iterator over one task's VMAs. A kernel before 6.1
// may ignore the task and visit every one: only the task's VMAs are kept.
func (r *Reader) readTask(tid int) ([]VMA, error) {
	it, err := attachTask(r.p.objs.ReadVmas, tid)
	if err != nil {
		return nil, err
	}
	defer it.Close()
	vmas, err := readIter(it)
	return slices.DeleteFunc(vmas, func(v VMA) bool { return v.Pid != tid }), err
}
