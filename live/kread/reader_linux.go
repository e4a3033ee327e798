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
	p      *progs
	lo, hi uint64
	pids   map[uint32]bool
	// watching is the addresses in the watched map; a free-watch map
	// full is replaced by a larger one (grow).
	watching map[uint64]bool
	max      int // the most addresses it may watch: maxWatched
	// perTask: iterate each chosen process alone, not every task (until
	// the kernel refuses a per-task link)
	perTask bool
}

// progs is the loaded programs and maps of taskvma.bpf.c, attached.
type progs struct {
	objs     taskVMAObjects
	iter     *link.Iter
	frees    link.Link // kmem_cache_free
	pfree    link.Link // mm_page_free
	capacity int       // the watched map's max_entries
}

// The watched map's sizes: it starts as the C source declares it, and
// grows (by reloading the programs) up to maxWatched objects, 16 times
// what the largest shipped story needs (1,001,000 struct pages and 4,003
// VMAs, AVCs and anon_vmas in story 07).
const (
	minWatched = 1 << 16
	maxWatched = 1 << 24
)

// Open probes the kernel and loads the iterator for VMAs starting in
// [lo, hi). A kernel that cannot be read gives an *UnavailableError.
func Open(lo, hi uint64) (*Reader, error) {
	if err := Probe(); err != nil {
		return nil, err
	}
	p, err := loadProgs(lo, hi, minWatched)
	if err != nil {
		return nil, err
	}
	return &Reader{p: p, lo: lo, hi: hi, pids: map[uint32]bool{}, watching: map[uint64]bool{}, max: maxWatched, perTask: true}, nil
}

// loadProgs loads the programs, with a watched map of capacity entries
// (allocated as used: BPF_F_NO_PREALLOC), and attaches them.
func loadProgs(lo, hi uint64, capacity int) (*progs, error) {
	spec, err := loadTaskVMA()
	if err != nil {
		return nil, fmt.Errorf("reading the embedded BPF object: %w", err)
	}
	if err := errors.Join(spec.Variables["lo"].Set(lo), spec.Variables["hi"].Set(hi)); err != nil {
		return nil, err
	}
	spec.Maps["watched"].MaxEntries = uint32(capacity)
	spec.Maps["watched"].Flags |= unix.BPF_F_NO_PREALLOC
	p := &progs{capacity: capacity}
	if err := spec.LoadAndAssign(&p.objs, nil); err != nil {
		return nil, refused("loading the iter/task_vma program", err)
	}
	if p.iter, err = link.AttachIter(link.IterOptions{Program: p.objs.ReadVmas}); err != nil {
		return nil, errors.Join(refused("attaching the iter/task_vma program", err), p.close())
	}
	if p.frees, err = link.AttachTracing(link.TracingOptions{Program: p.objs.CountFrees}); err != nil {
		return nil, errors.Join(refused("attaching the tp_btf/kmem_cache_free program", err), p.close())
	}
	if p.pfree, err = link.AttachTracing(link.TracingOptions{Program: p.objs.CountPageFrees}); err != nil {
		return nil, errors.Join(refused("attaching the tp_btf/mm_page_free program", err), p.close())
	}
	return p, nil
}

// close detaches and unloads what was loaded.
func (p *progs) close() error {
	var err error
	if p.pfree != nil {
		err = p.pfree.Close()
	}
	if p.frees != nil {
		err = errors.Join(err, p.frees.Close())
	}
	if p.iter != nil {
		err = errors.Join(err, p.iter.Close())
	}
	return errors.Join(err, p.objs.Close())
}

// Close unloads the programs and maps.
func (r *Reader) Close() error { return r.p.close() }

// ProgramIDs returns the kernel's ids of the loaded programs, to check
// that Close unloads them.
func (r *Reader) ProgramIDs() ([]ebpf.ProgramID, error) {
	return programIDs(r.p.objs.ReadVmas, r.p.objs.CountFrees, r.p.objs.CountPageFrees)
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

// SetPids chooses the processes (thread group ids) to read.
func (r *Reader) SetPids(pids []int) error {
	want := map[uint32]bool{}
	for _, p := range pids {
		want[uint32(p)] = true
	}
	for p := range r.pids {
		if !want[p] {
			if err := r.p.objs.Pids.Delete(p); err != nil {
				return fmt.Errorf("forgetting pid %d: %w", p, err)
			}
			delete(r.pids, p)
		}
	}
	for p := range want {
		if !r.pids[p] {
			if err := r.p.objs.Pids.Put(p, uint8(1)); err != nil {
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
		return readIter(r.p.iter)
	}
	var out []VMA
	for _, pid := range slices.Sorted(maps.Keys(r.pids)) {
		vmas, err := r.readTask(int(pid))
		if errors.Is(err, unix.EINVAL) && out == nil {
			r.perTask = false // a kernel before 6.1
			return readIter(r.p.iter)
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
			if len(out) > 0 && repeats(out[len(out)-1], f) {
				return out, nil
			}
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

// repeats reports whether a VMA record (its fields f) goes back in the
// address space of the process of VMA last: the iterator has wrapped.
// An iterator linked to one task (6.18, kernel/bpf/task_iter.c) whose
// output takes more than one read(2) does not end: past the last VMA,
// the next read finds the task again and resumes from where the last
// read but one stopped, forever. A process's VMAs come in address order,
// so the first VMA at or below the one before it ends the reading.
func repeats(last VMA, f []uint64) bool { return int(f[0]) == last.Pid && f[2] <= last.Start }

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
