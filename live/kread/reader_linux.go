package kread

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/link"
	"golang.org/x/sys/unix"
)

// VMA is a vm_area_struct of a story process, with its same_vma chain.
type VMA struct {
	Pid     int
	Ptr     uint64 // the vm_area_struct's address: its identity
	Start   uint64 // vm_start, an address
	End     uint64 // vm_end
	Pgoff   uint64 // vm_pgoff
	Flags   uint64 // vm_flags (VM_ACCOUNT and the rest)
	AnonVMA uint64 // vma->anon_vma, or 0
	MM      uint64 // vma->vm_mm
	Chain   []AVC  // vma->anon_vma_chain, the same_vma list, head first
	Cut     bool   // the chain was longer than the reader reads
}

// AVC is a struct anon_vma_chain, with the anon_vma it links to and its
// node in that anon_vma's interval tree.
type AVC struct {
	Ptr     uint64
	VMA     uint64 // avc->vma
	AnonVMA AnonVMA
	Node    RBNode // avc->rb
}

// AnonVMA is a struct anon_vma as read through one AVC.
type AnonVMA struct {
	Ptr           uint64
	Root          uint64 // anon_vma->root
	Parent        uint64 // anon_vma->parent
	Refcount      int    // anon_vma->refcount
	NumChildren   uint64
	NumActiveVMAs uint64
	TreeRoot      uint64 // anon_vma->rb_root.rb_root.rb_node: an AVC's rb node
	Leftmost      uint64 // anon_vma->rb_root.rb_leftmost
}

// RBNode is the rb_node of an AVC in its anon_vma's interval tree.
type RBNode struct {
	Addr        uint64 // &avc->rb
	ParentColor uint64 // __rb_parent_color: the parent's address, colour in bit 0
	Left, Right uint64 // the children's rb_node addresses, or 0
	SubtreeLast uint64 // rb_subtree_last: the largest last pgoff below
}

// Parent returns the address of the node's parent rb_node, or 0.
func (n RBNode) Parent() uint64 { return n.ParentColor &^ 3 }

// Reader reads the VMAs of chosen processes within an address range.
// Close it to unload its programs.
type Reader struct {
	objs  taskVMAObjects
	iter  *link.Iter
	frees link.Link // kmem_cache_free
	pfree link.Link // mm_page_free
	pids  map[uint32]bool
	// perTask: iterate each chosen process alone, not every task (until
	// the kernel refuses a per-task link)
	perTask bool
}

// Open probes the kernel and loads the iterator for VMAs starting in
// [lo, hi). A kernel that cannot be read gives an *UnavailableError.
func Open(lo, hi uint64) (*Reader, error) {
	if err := Probe(); err != nil {
		return nil, err
	}
	spec, err := loadTaskVMA()
	if err != nil {
		return nil, fmt.Errorf("reading the embedded BPF object: %w", err)
	}
	if err := spec.Variables["lo"].Set(lo); err != nil {
		return nil, err
	}
	if err := spec.Variables["hi"].Set(hi); err != nil {
		return nil, err
	}
	r := &Reader{pids: map[uint32]bool{}, perTask: true}
	if err := spec.LoadAndAssign(&r.objs, nil); err != nil {
		return nil, refused("loading the iter/task_vma program", err)
	}
	r.iter, err = link.AttachIter(link.IterOptions{Program: r.objs.ReadVmas})
	if err != nil {
		r.objs.Close()
		return nil, refused("attaching the iter/task_vma program", err)
	}
	r.frees, err = link.AttachTracing(link.TracingOptions{Program: r.objs.CountFrees})
	if err != nil {
		r.iter.Close()
		r.objs.Close()
		return nil, refused("attaching the tp_btf/kmem_cache_free program", err)
	}
	r.pfree, err = link.AttachTracing(link.TracingOptions{Program: r.objs.CountPageFrees})
	if err != nil {
		r.frees.Close()
		r.iter.Close()
		r.objs.Close()
		return nil, refused("attaching the tp_btf/mm_page_free program", err)
	}
	return r, nil
}

// Close unloads the programs and maps.
func (r *Reader) Close() error {
	return errors.Join(r.pfree.Close(), r.frees.Close(), r.iter.Close(), r.objs.Close())
}

// ProgramIDs returns the kernel's ids of the loaded programs, to check
// that Close unloads them.
func (r *Reader) ProgramIDs() ([]ebpf.ProgramID, error) {
	return programIDs(r.objs.ReadVmas, r.objs.CountFrees, r.objs.CountPageFrees)
}

func programIDs(progs ...*ebpf.Program) ([]ebpf.ProgramID, error) {
	var out []ebpf.ProgramID
	for _, p := range progs {
		info, err := p.Info()
		if err != nil {
			return nil, err
		}
		id, ok := info.ID()
		if !ok {
			return nil, errors.New("the kernel gives no program ids")
		}
		out = append(out, id)
	}
	return out, nil
}

// Watch asks the reader to count the frees of the kernel objects at these
// addresses, from now on: slab objects (kmem_cache_free) and struct pages
// (mm_page_free).
func (r *Reader) Watch(addrs []uint64) error {
	for _, a := range addrs {
		err := r.objs.Watched.Update(a, uint64(0), ebpf.UpdateNoExist)
		if err != nil && !errors.Is(err, ebpf.ErrKeyExist) {
			return fmt.Errorf("watching %#x: %w", a, err)
		}
	}
	return nil
}

// Freed returns the watched addresses freed since they were watched, and
// stops watching them: an object seen there again is a new one.
func (r *Reader) Freed() ([]uint64, error) {
	var out []uint64
	var addr, n uint64
	it := r.objs.Watched.Iterate()
	for it.Next(&addr, &n) {
		if n > 0 {
			out = append(out, addr)
		}
	}
	if err := it.Err(); err != nil {
		return nil, fmt.Errorf("reading the freed objects: %w", err)
	}
	for _, a := range out {
		if err := r.objs.Watched.Delete(a); err != nil {
			return nil, fmt.Errorf("forgetting %#x: %w", a, err)
		}
	}
	return out, nil
}

// SetPids chooses the processes (thread group ids) to read.
func (r *Reader) SetPids(pids []int) error {
	want := map[uint32]bool{}
	for _, p := range pids {
		want[uint32(p)] = true
	}
	for p := range r.pids {
		if !want[p] {
			if err := r.objs.Pids.Delete(p); err != nil {
				return fmt.Errorf("forgetting pid %d: %w", p, err)
			}
			delete(r.pids, p)
		}
	}
	for p := range want {
		if !r.pids[p] {
			if err := r.objs.Pids.Put(p, uint8(1)); err != nil {
				return fmt.Errorf("choosing pid %d: %w", p, err)
			}
			r.pids[p] = true
		}
	}
	return nil
}

// VMAs runs the iterator: the chosen processes' VMAs in the range, in
// address order within a process. Every process must be blocked
// meanwhile, or the lists may move under it.
//
// Where the kernel can link the iterator to one task (6.1+), it runs once
// a process and visits that process only; elsewhere it runs once over
// every task of the machine, and the program skips the others.
func (r *Reader) VMAs() ([]VMA, error) {
	if !r.perTask {
		return readIter(r.iter)
	}
	var out []VMA
	for _, pid := range slices.Sorted(maps.Keys(r.pids)) {
		vmas, err := r.readTask(int(pid))
		if errors.Is(err, unix.EINVAL) && out == nil {
			r.perTask = false // a kernel before 6.1
			return readIter(r.iter)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, vmas...)
	}
	return out, nil
}

// readIter runs an iterator link once and parses what it writes.
func readIter(it *link.Iter) ([]VMA, error) {
	rd, err := it.Open()
	if err != nil {
		return nil, fmt.Errorf("running the task_vma iterator: %w", err)
	}
	defer rd.Close()
	vmas, err := parse(bufio.NewReaderSize(rd, 1<<16))
	if err != nil {
		return nil, fmt.Errorf("reading the task_vma iterator: %w", err)
	}
	return vmas, nil
}

// The record kinds of taskvma.bpf.c.
const (
	recVMA = 1
	recAVC = 2
	recCut = 3
)

// recWords is the size of one record, in 64-bit words.
const recWords = 16

// parse decodes the iterator's records.
func parse(rd io.Reader) ([]VMA, error) {
	var out []VMA
	var w [recWords]uint64
	for {
		err := binary.Read(rd, binary.NativeEndian, &w)
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		kind, f := w[0], w[1:]
		if kind != recVMA && len(out) == 0 {
			return nil, fmt.Errorf("record of kind %d before any VMA", kind)
		}
		switch kind {
		case recVMA:
			out = append(out, VMA{Pid: int(f[0]), Ptr: f[1], Start: f[2], End: f[3], Pgoff: f[4], Flags: f[5], AnonVMA: f[6], MM: f[7]})
		case recAVC:
			v := &out[len(out)-1]
			v.Chain = append(v.Chain, AVC{Ptr: f[0], VMA: f[1],
				AnonVMA: AnonVMA{Ptr: f[2], Root: f[3], Parent: f[4], Refcount: int(int32(f[5])), NumChildren: f[6], NumActiveVMAs: f[7], TreeRoot: f[12], Leftmost: f[13]},
				Node:    RBNode{Addr: f[14], ParentColor: f[8], Left: f[9], Right: f[10], SubtreeLast: f[11]}})
		case recCut:
			out[len(out)-1].Cut = true
		default:
			return nil, fmt.Errorf("unknown record kind %d", kind)
		}
	}
}

// Unloaded waits, at most 2 s, until the kernel has unloaded the program
// with that id, and says if it has not. A closed tracing link, and with it
// its program, is freed after an RCU grace period.
func Unloaded(id ebpf.ProgramID) error {
	for i := 0; ; i++ {
		p, err := ebpf.NewProgramFromID(id)
		if errors.Is(err, os.ErrNotExist) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("looking for program %d: %w", id, err)
		}
		p.Close()
		if i == 100 {
			return fmt.Errorf("program %d is still loaded 2 s after it was closed", id)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
