package pidfig

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/avdoc/avdoc/engine"
	"github.com/avdoc/avdoc/live"
	"github.com/avdoc/avdoc/live/kread"
)

const pageSize = 4096

// builder assembles the observation of a process tree.
type builder struct {
	lim   Limits
	o     *live.Observation
	vma   ids
	avc   ids
	av    ids
	page  ids
	swap  ids
	nodes map[uint64]int       // AVC ids by their rb_node's address
	rb    map[int]kread.RBNode // the rb_nodes, by AVC id
	roots map[int]uint64       // anon_vma id -> its tree's root rb_node
	vmas  int                  // VMAs read
	ptes  int                  // page table entries read
	cut   int                  // VMAs left out past the limit
	// unread pages of cutPTEs VMAs, from firstCut on, past the limit
	unread, cutPTEs int
	firstCut        string
	pfns            []uint64 // the pages seen, in page id order
	notes           []string
}

// ids names kernel objects by small ids, in order of first sight.
type ids map[uint64]int

func (x ids) id(addr uint64) int {
	if addr == 0 {
		return 0
	}
	if id, ok := x[addr]; ok {
		return id
	}
	x[addr] = len(x) + 1
	return len(x)
}

func newBuilder(lim Limits) *builder {
	return &builder{lim: lim, o: &live.Observation{}, vma: ids{}, avc: ids{}, av: ids{}, page: ids{}, swap: ids{},
		nodes: map[uint64]int{}, rb: map[int]kread.RBNode{}, roots: map[int]uint64{}}
}

func (b *builder) note(format string, args ...any) {
	b.notes = append(b.notes, fmt.Sprintf(format, args...))
}

// proc records process id (1-based) and its anonymous VMAs: the iterator's
// VMAs that /proc/PID/maps shows as anonymous, with the same range.
func (b *builder) proc(id int, t task, raw []kread.VMA) {
	p := live.Proc{Name: t.name(), Pid: t.pid, Parent: t.parent + 1}
	maps, err := readMaps(t.pid)
	if err != nil {
		b.note("%s exited while being read (%v)", t.name(), err)
		p.Exited = true
	}
	anon := map[uint64]mapping{}
	for _, m := range maps {
		if m.anonymous() {
			anon[m.start] = m
		}
	}
	taken := map[string]int{}
	for _, v := range raw {
		m, ok := anon[v.Start]
		if !ok || m.end != v.End {
			continue // a file mapping, or one that changed between the two reads
		}
		if b.vmas == b.lim.VMAs {
			b.cut++
			continue
		}
		if _, seen := b.vma[v.Ptr]; seen {
			continue // an mm shared with a process read before (CLONE_VM)
		}
		b.vmas++
		r := engine.Region{Name: unique(taken, m.region()), Start: v.Start / pageSize, Pages: int((v.End - v.Start) / pageSize)}
		p.Regions = append(p.Regions, r)
		p.VMAs = append(p.VMAs, b.addVMA(id, t, p.Name+":"+r.Name, v))
	}
	b.o.Procs = append(b.o.Procs, p)
}

// unique returns name, or name#2 and on if the process has it already.
func unique(taken map[string]int, name string) string {
	taken[name]++
	if n := taken[name]; n > 1 {
		return fmt.Sprintf("%s#%d", name, n)
	}
	return name
}

// addVMA records a VMA of process proc, its chain and anon_vmas and its
// page table, and returns its id. name names the anon_vma it owns, if no
// VMA read before owns it.
func (b *builder) addVMA(proc int, t task, name string, v kread.VMA) int {
	id := b.vma.id(v.Ptr)
	ov := live.VMA{ID: id, Proc: proc, Start: v.Start / pageSize, End: v.End / pageSize, Pgoff: v.Pgoff,
		Flags: v.Flags, Writable: v.Flags&live.VMWrite != 0, Accounted: v.Flags&live.VMAccount != 0,
		AnonVMA: b.av.id(v.AnonVMA), ChainCut: v.Cut}
	for _, c := range v.Chain {
		ov.Chain = append(ov.Chain, b.addAVC(id, ov, c))
	}
	if ov.AnonVMA != 0 {
		if a := at(&b.o.AnonVMAs, ov.AnonVMA); a.Name == "" {
			a.Name = name
		}
	}
	b.readPTEs(t, name, &ov)
	*at(&b.o.VMAs, id) = ov
	return id
}

// addAVC records an AVC of VMA v (id vid) and its anon_vma.
func (b *builder) addAVC(vid int, v live.VMA, c kread.AVC) int {
	id := b.avc.id(c.Ptr)
	av := b.av.id(c.AnonVMA.Ptr)
	*at(&b.o.AVCs, id) = live.AVC{ID: id, VMA: vid, AnonVMA: av, First: v.Pgoff, Last: v.Pgoff + v.End - v.Start - 1}
	a, x := at(&b.o.AnonVMAs, av), c.AnonVMA
	a.ID, a.Root, a.Parent = av, b.av.id(x.Root), b.av.id(x.Parent)
	a.Refcount, a.NumChildren, a.NumActiveVMAs = x.Refcount, int(x.NumChildren), int(x.NumActiveVMAs)
	b.nodes[c.Node.Addr], b.rb[id], b.roots[av] = id, c.Node, x.TreeRoot
	return id
}

// at returns a pointer to s[id-1], growing s as needed.
func at[E any](s *[]E, id int) *E {
	for len(*s) < id {
		var zero E
		*s = append(*s, zero)
	}
	return &(*s)[id-1]
}

// trees orders each anon_vma's AVCs as its interval tree does, an
// in-order walk from the root node through the nodes read. Where a node
// was not read (an AVC of a VMA outside the tree of processes, or a file
// mapping's), the tree is incomplete: its AVCs read are listed by the
// pgoff they are filed under.
func (b *builder) trees() {
	for av, root := range b.roots {
		a := &b.o.AnonVMAs[av-1]
		a.Tree, a.TreeComplete = b.inOrder(root)
		if !a.TreeComplete {
			a.Tree = nil
			for _, c := range b.o.AVCs {
				if c.AnonVMA == av {
					a.Tree = append(a.Tree, c.ID)
				}
			}
			slices.SortStableFunc(a.Tree, func(x, y int) int { return cmp.Compare(b.o.AVCs[x-1].First, b.o.AVCs[y-1].First) })
		}
	}
}

// inOrder walks a tree from its root rb_node; false if a node was not read.
func (b *builder) inOrder(root uint64) ([]int, bool) {
	var out []int
	seen := map[uint64]bool{}
	var walk func(addr uint64) bool
	walk = func(addr uint64) bool {
		if addr == 0 {
			return true
		}
		id, ok := b.nodes[addr]
		if !ok || seen[addr] {
			return false
		}
		seen[addr] = true
		n := b.rb[id]
		if !walk(n.Left) {
			return false
		}
		out = append(out, id)
		return walk(n.Right)
	}
	return out, walk(root)
}

// bare fills in the anon_vmas known only as another's root or parent, or
// as a page's mapping: no VMA read links them. They are named "outside"
// (of the tree of processes read).
func (b *builder) bare() {
	n := 0
	for i := 1; i <= len(b.av); i++ {
		a := at(&b.o.AnonVMAs, i)
		if a.ID == 0 {
			a.ID = i
		}
		if a.Name == "" {
			n++
			a.Name = fmt.Sprintf("outside#%d", n)
		}
	}
}
