package engine

import (
	"fmt"
	"slices"
	"strconv"
)

// Invariant describes one invariant of kernel-rmap-spec §11 that the
// engine checks after every step.
type Invariant struct {
	Name string
	Text string
}

// Invariants returns the invariants the engine checks, in the order of
// kernel-rmap-spec §11.
func Invariants() []Invariant {
	return []Invariant{
		{"I1", "every AVC is on its VMA's same_vma list and its anon_vma's same_anon_vma list, once each"},
		{"I2", "no VMA has two AVCs to the same anon_vma"},
		{"I3", "a VMA's anon_vma is on its chain, at the head"},
		{"I4", "a VMA without an anon_vma has an empty chain"},
		{"I5", "a VMA's chain lists every anon_vma after its descendants; the tail is a root"},
		{"I6", "VMAs of one mm that share an anon_vma have the same chain"},
		{"I7", "nothing live points at a freed anon_vma, and an anon_vma with an empty list is freed"},
		{"I8", "(2.6.36+) every live anon_vma's root is a live root: av.root.root == av.root"},
		{"I9", "(3.19+) degree, or num_children and num_active_vmas, count what they claim to"},
		{"I10", "(3.7+) each AVC is filed in the interval tree under its VMA's current page-offset range"},
		{"R1", "every PTE of a mapped page is in a VMA on page->mapping's list, at the address page->index gives"},
		{"R2", "page->mapping of a mapped page is a live anon_vma"},
		{"R3", "(2.6.36+) a mapped page's anon_vma has the same root as the anon_vma of every VMA mapping it"},
		{"R4", "every PTE of a page computes the same page->index"},
		{"R5", "an rmap walk of a mapped page finds every PTE that maps it"},
		{"R6", "a swap slot's count is the number of swap entries that hold it"},
	}
}

// checker checks a state. Its buffers outlive a check, so that a machine
// checking a million pages after every step allocates them once.
type checker struct {
	s *State
	// everyPage checks page by page even where scanPTEs found every page
	// right, for tests that compare the two.
	everyPage bool
	// count counts the PTEs mapping each page, by page id - 1.
	count []int32
	// first and mapped list every PTE that maps a page, grouped by page:
	// page id's are mapped[first[id-1]:first[id]], in VMA and address
	// order.
	first  []int
	mapped []Mapping
	// onList counts, for each VMA, its entries on the list of its own
	// anon_vma (2.6.7-2.6.33); onChain and onHead count, for each AVC, its
	// entries on its VMA's same_vma list and on its anon_vma's
	// same_anon_vma list.
	onList, onChain, onHead []int
	// users counts the live VMAs using each anon_vma, and children the
	// live anon_vmas with a list whose parent it is (a root counting
	// itself): what degree, num_active_vmas and num_children claim.
	users, children []int
	// held counts the swap entries holding each swap slot.
	held []int
	// pointedAt marks the anon_vmas that a live VMA or AVC points at.
	pointedAt []bool
	// seen and gen mark the anon_vmas met on the chain being checked:
	// seen[av] == gen.
	seen []int
	gen  int
	// listed caches the VMAs on each anon_vma's list, sorted, for R1.
	// isListed marks those of anon_vma marked: mark[vma] == markGen; it
	// has searched asked times in the list of anon_vma asking.
	listed         map[AVID][]VMAID
	mark           []int
	markGen        int
	marked, asking AVID
	asked          int
	out            []Violation
}

// Check returns the invariants s breaks, each instance named with the
// objects involved, in a fixed order.
//
// Each design is checked against the invariants of its own structures:
// anon_vma_chain against all of them (2.6.34-rc3 against 2.6.34's design,
// so its bugs show), 2.6.7-2.6.33 against their analogues for a list of
// VMAs, 2.6.6 against those about pages and swap.
func Check(s *State) []Violation {
	var c checker
	return c.run(s)
}

// run is Check, reusing c's buffers.
func (c *checker) run(s *State) []Violation {
	if s.Model == nil {
		return nil
	}
	c.s, c.out = s, nil
	clear(c.listed)
	c.mark, c.markGen, c.marked, c.asking = ints(c.mark, len(s.VMAs)+1), 0, 0, 0
	defer func() { c.s, c.out = nil, nil }()
	pagesOK := c.scanPTEs()
	switch s.Model.Design {
	case DesignAnonVMAChain:
		c.countLinks()
		c.chainStructure()
	case DesignAnonVMAList:
		c.countListEntries()
		c.listStructure()
	}
	if !pagesOK || c.everyPage {
		c.checkPages()
	}
	c.swapCounts()
	return c.out
}

// checkPages checks R1 to R5 page by page, in page order, with each
// page's mappings in VMA and address order.
func (c *checker) checkPages() {
	s := c.s
	c.collectMappings()
	for i := range s.Pages {
		mapped := c.mapped[c.first[i]:c.first[i+1]]
		if len(mapped) == 0 {
			continue
		}
		if s.Model.Design != DesignPTEChain {
			c.page(&s.Pages[i], mapped)
		}
		c.pageRoot(&s.Pages[i], mapped)
	}
}

func (c *checker) chainStructure() {
	s := c.s
	for i := range s.AVCs {
		c.avc(&s.AVCs[i])
	}
	for i := range s.VMAs {
		if v := &s.VMAs[i]; !v.Gone {
			c.vma(v)
		}
	}
	c.sameAnonVMA()
	for i := range s.AnonVMAs {
		c.anonVMA(&s.AnonVMAs[i])
		c.root(&s.AnonVMAs[i])
		c.counters(&s.AnonVMAs[i])
	}
}

// countLinks counts, in one pass over each list, what the checks of the
// anon_vma_chain structures ask of every AVC and anon_vma, so that no
// check searches a list once per object on it.
func (c *checker) countLinks() {
	s := c.s
	c.onChain = ints(c.onChain, len(s.AVCs))
	c.onHead = ints(c.onHead, len(s.AVCs))
	c.pointedAt = bools(c.pointedAt, len(s.AnonVMAs))
	c.seen, c.gen = ints(c.seen, len(s.AnonVMAs)+1), 0
	for i := range s.VMAs {
		v := &s.VMAs[i]
		for _, id := range v.Chain {
			if c.isAVC(id) && s.AVC(id).VMA == v.ID {
				c.onChain[id-1]++
			}
		}
		if !v.Gone && c.isAnonVMA(v.AnonVMA) {
			c.pointedAt[v.AnonVMA-1] = true
		}
	}
	for i := range s.AnonVMAs {
		a := &s.AnonVMAs[i]
		for _, id := range a.Head {
			if c.isAVC(id) && s.AVC(id).AnonVMA == a.ID {
				c.onHead[id-1]++
			}
		}
	}
	for i := range s.AVCs {
		if avc := &s.AVCs[i]; !avc.Freed && c.isAnonVMA(avc.AnonVMA) {
			c.pointedAt[avc.AnonVMA-1] = true
		}
	}
	if s.Model.Reuse == ReuseNone {
		return
	}
	c.users = ints(c.users, len(s.AnonVMAs))
	c.children = ints(c.children, len(s.AnonVMAs))
	for i := range s.VMAs {
		if v := &s.VMAs[i]; !v.Gone && c.isAnonVMA(v.AnonVMA) {
			c.users[v.AnonVMA-1]++
		}
	}
	for i := range s.AnonVMAs {
		b := &s.AnonVMAs[i]
		if b.Freed || len(b.Head) == 0 {
			continue
		}
		if parent := b.Parent; parent == 0 {
			c.children[b.ID-1]++ // a root is its own parent
		} else if c.isAnonVMA(parent) {
			c.children[parent-1]++
		}
	}
}

// countListEntries counts each VMA's entries on the list of its own
// anon_vma (2.6.7-2.6.33), in one pass over the lists.
func (c *checker) countListEntries() {
	s := c.s
	c.onList = ints(c.onList, len(s.VMAs))
	for i := range s.AnonVMAs {
		a := &s.AnonVMAs[i]
		for _, id := range a.VMAs {
			if id >= 1 && int(id) <= len(s.VMAs) && s.VMA(id).AnonVMA == a.ID {
				c.onList[id-1]++
			}
		}
	}
}

func (c *checker) isAVC(id AVCID) bool    { return id >= 1 && int(id) <= len(c.s.AVCs) }
func (c *checker) isAnonVMA(id AVID) bool { return id >= 1 && int(id) <= len(c.s.AnonVMAs) }

// big reports whether c's buffers are worth keeping for the next check:
// a big state saves their allocation at every step, and a search that
// keeps thousands of machines with small states keeps no buffers in each.
func (c *checker) big() bool { return cap(c.count)+cap(c.first)+cap(c.mapped) >= 4096 }

// ints returns buf resized to n zeros, reusing its memory.
func ints(buf []int, n int) []int {
	if cap(buf) < n {
		return make([]int, n)
	}
	buf = buf[:n]
	clear(buf)
	return buf
}

// bools is ints for flags.
func bools(buf []bool, n int) []bool {
	if cap(buf) < n {
		return make([]bool, n)
	}
	buf = buf[:n]
	clear(buf)
	return buf
}

// listStructure checks 2.6.7-2.6.33's analogues of I1 (each VMA with an
// anon_vma is on that anon_vma's list, once, and the list holds nothing
// else) and I7 (nothing live points at a freed anon_vma; an empty one is
// freed).
func (c *checker) listStructure() {
	s := c.s
	for i := range s.VMAs {
		v := &s.VMAs[i]
		if v.Gone || v.AnonVMA == 0 {
			continue
		}
		a := s.AnonVMA(v.AnonVMA)
		if a.Freed {
			c.add("I7", fmt.Sprintf("av %d vma %d", a.ID, v.ID), "%s points at anon_vma %s, which was freed", s.VMAName(v.ID), a.Name)
		} else if n := c.onList[v.ID-1]; n != 1 {
			c.add("I1", fmt.Sprintf("vma %d", v.ID), "%s has anon_vma %s but is on its list %d times, not once", s.VMAName(v.ID), a.Name, n)
		}
	}
	for i := range s.AnonVMAs {
		a := &s.AnonVMAs[i]
		for _, id := range a.VMAs {
			if v := s.VMA(id); v.Gone || v.AnonVMA != a.ID {
				c.add("I1", fmt.Sprintf("av %d vma %d", a.ID, id), "the list of anon_vma %s holds %s, which is gone or has another anon_vma", a.Name, s.VMAName(id))
			}
		}
		if !a.Freed && len(a.VMAs) == 0 {
			c.add("I7", fmt.Sprintf("av %d leak", a.ID), "anon_vma %s has no VMAs left but was not freed", a.Name)
		}
	}
}

func (c *checker) add(name, key, format string, args ...any) {
	c.out = append(c.out, Violation{Name: name, Key: name + " " + key, Msg: fmt.Sprintf(format, args...)})
}

// collectMappings finds every PTE mapping each page: one pass counts them
// per page, one files them, grouped by page, in one array.
func (c *checker) collectMappings() {
	s := c.s
	n := len(s.Pages)
	first := ints(c.first, n+1)
	total := 0
	for i := range s.VMAs {
		if v := &s.VMAs[i]; !v.Gone {
			for _, pte := range v.PTEs {
				if pte.Kind == PTEPage {
					first[pte.Page]++ // first[id] counts page id's for now
					total++
				}
			}
		}
	}
	for i := 1; i <= n; i++ {
		first[i] += first[i-1] // first[id] is where page id's end
	}
	if cap(c.mapped) < total {
		c.mapped = make([]Mapping, total)
	}
	mapped := c.mapped[:total]
	for i := len(s.VMAs) - 1; i >= 0; i-- { // filed from the end, backwards
		v := &s.VMAs[i]
		if v.Gone {
			continue
		}
		for j := len(v.PTEs) - 1; j >= 0; j-- {
			if pte := v.PTEs[j]; pte.Kind == PTEPage {
				first[pte.Page]--
				mapped[first[pte.Page]] = Mapping{VMA: v.ID, Addr: v.Start + uint64(j)}
			}
		}
	}
	// Now first[id] is where page id's start, and first[id-1] where page
	// id-1's start: shift by one.
	copy(first, first[1:])
	first[n] = total
	c.first, c.mapped = first, mapped
}

// avc checks I1 for one live AVC.
func (c *checker) avc(a *AVC) {
	if a.Freed {
		return
	}
	s := c.s
	v, av := s.VMA(a.VMA), s.AnonVMA(a.AnonVMA)
	key := func() string { return "avc " + strconv.Itoa(int(a.ID)) }
	switch {
	case v.Gone:
		c.add("I1", key(), "AVC %d is live but its VMA %s was freed", a.ID, s.VMAName(v.ID))
	case c.onChain[a.ID-1] != 1:
		c.add("I1", key(), "AVC %d is on the same_vma list of %s %d times, not once", a.ID, s.VMAName(v.ID), c.onChain[a.ID-1])
	case c.onHead[a.ID-1] != 1:
		c.add("I1", key(), "AVC %d is on the same_anon_vma list of anon_vma %s %d times, not once", a.ID, av.Name, c.onHead[a.ID-1])
	case s.Model.IntervalTree && (a.First != v.Pgoff || a.Last != v.Pgoff+uint64(v.Pages())-1):
		c.add("I10", key(), "AVC %d is filed under page offsets %#x..%#x, but %s now covers %#x..%#x",
			a.ID, a.First, a.Last, s.VMAName(v.ID), v.Pgoff, v.Pgoff+uint64(v.Pages())-1)
	}
}

// vmaKey is the violation key of a VMA.
func vmaKey(id VMAID) string { return "vma " + strconv.Itoa(int(id)) }

// vma checks I1 (back pointers), I2, I3, I4 and I5 for one live VMA.
func (c *checker) vma(v *VMA) {
	s := c.s
	c.gen++ // a new chain: no anon_vma seen on it yet
	for _, id := range v.Chain {
		a := s.AVC(id)
		if a.Freed || a.VMA != v.ID {
			c.add("I1", vmaKey(v.ID)+fmt.Sprintf(" avc %d", id), "the chain of %s holds AVC %d, which is freed or belongs to another VMA", s.VMAName(v.ID), id)
			continue
		}
		if c.seen[a.AnonVMA] == c.gen {
			c.add("I2", vmaKey(v.ID)+fmt.Sprintf(" av %d", a.AnonVMA), "%s has two AVCs to anon_vma %s", s.VMAName(v.ID), s.AnonVMA(a.AnonVMA).Name)
		}
		c.seen[a.AnonVMA] = c.gen
	}
	switch {
	case v.AnonVMA == 0 && len(v.Chain) > 0:
		c.add("I4", vmaKey(v.ID), "%s has no anon_vma but %d AVC(s) on its chain", s.VMAName(v.ID), len(v.Chain))
	case v.AnonVMA != 0 && c.seen[v.AnonVMA] != c.gen:
		c.add("I3", vmaKey(v.ID), "%s has anon_vma %s but no AVC linking it there: its chain is %s",
			s.VMAName(v.ID), s.AnonVMA(v.AnonVMA).Name, c.chainNames(v))
	case v.AnonVMA != 0 && s.Model.Reuse == ReuseNone && s.AVC(v.Chain[0]).AnonVMA != v.AnonVMA:
		c.add("I3", vmaKey(v.ID)+" head", "%s has anon_vma %s, but the head of its chain is anon_vma %s",
			s.VMAName(v.ID), s.AnonVMA(v.AnonVMA).Name, s.AnonVMA(s.AVC(v.Chain[0]).AnonVMA).Name)
	}
	c.chainOrder(v)
}

// chainOrder checks I5: every anon_vma comes after its descendants, so
// the tail is the root of the family.
func (c *checker) chainOrder(v *VMA) {
	s := c.s
	for i, id := range v.Chain {
		later := s.AVC(id).AnonVMA
		for _, jd := range v.Chain[:i] {
			if earlier := s.AVC(jd).AnonVMA; c.descends(later, earlier) {
				c.add("I5", vmaKey(v.ID), "the chain of %s lists anon_vma %s before its descendant %s: %s",
					s.VMAName(v.ID), s.AnonVMA(earlier).Name, s.AnonVMA(later).Name, c.chainNames(v))
				return
			}
		}
	}
	n := len(v.Chain)
	if n == 0 {
		return
	}
	tail := s.AnonVMA(s.AVC(v.Chain[n-1]).AnonVMA)
	if tail.Parent != 0 || (s.Model.Root && tail.Root != tail.ID) {
		c.add("I5", vmaKey(v.ID)+" tail", "the tail of the chain of %s is anon_vma %s, not the root of its family: %s",
			s.VMAName(v.ID), tail.Name, c.chainNames(v))
		return
	}
	for _, id := range v.Chain {
		if a := s.AnonVMA(s.AVC(id).AnonVMA); s.Model.Root && a.Root != tail.ID {
			c.add("I5", vmaKey(v.ID)+" root", "anon_vma %s on the chain of %s has root %s, not the chain's tail %s",
				a.Name, s.VMAName(v.ID), s.avName(a.Root), tail.Name)
		}
	}
}

// descends reports whether anon_vma a descends from anon_vma b.
func (c *checker) descends(a, b AVID) bool {
	// At most one step per anon_vma: a state observed from a kernel, where a
	// root is its own parent, may hold a cycle the engine never makes.
	steps := len(c.s.AnonVMAs)
	for p := c.s.AnonVMA(a).Parent; p != 0 && steps > 0; p, steps = c.s.AnonVMA(p).Parent, steps-1 {
		if p == b {
			return true
		}
	}
	return false
}

func (c *checker) chainNames(v *VMA) string {
	names := make([]string, len(v.Chain))
	for i, id := range v.Chain {
		names[i] = c.s.AnonVMA(c.s.AVC(id).AnonVMA).Name
	}
	return fmt.Sprintf("%v", names)
}

// sameAnonVMA checks I6: VMAs of one mm with the same anon_vma have equal
// chains (as sets).
func (c *checker) sameAnonVMA() {
	s := c.s
	for i := range s.Procs {
		p := &s.Procs[i]
		if p.Exited {
			continue
		}
		for i, a := range p.VMAs {
			for _, b := range p.VMAs[i+1:] {
				va, vb := s.VMA(a), s.VMA(b)
				if va.AnonVMA != 0 && va.AnonVMA == vb.AnonVMA && !slices.Equal(c.chainSet(va), c.chainSet(vb)) {
					c.add("I6", fmt.Sprintf("vma %d vma %d", a, b), "%s and %s share anon_vma %s but their chains differ: %s and %s",
						s.VMAName(a), s.VMAName(b), s.AnonVMA(va.AnonVMA).Name, c.chainNames(va), c.chainNames(vb))
				}
			}
		}
	}
}

func (c *checker) chainSet(v *VMA) []AVID {
	set := make([]AVID, len(v.Chain))
	for i, id := range v.Chain {
		set[i] = c.s.AVC(id).AnonVMA
	}
	slices.Sort(set)
	return set
}

// anonVMA checks I7 for one anon_vma: freed ones are not pointed at by a
// live VMA or AVC, live ones have a non-empty list.
func (c *checker) anonVMA(a *AnonVMA) {
	s := c.s
	key := "av " + strconv.Itoa(int(a.ID))
	if !a.Freed {
		if len(a.Head) == 0 && a.Refcount == 0 {
			c.add("I7", key+" leak", "anon_vma %s has no AVCs left and no references, but was not freed", a.Name)
		}
		return
	}
	if !c.pointedAt[a.ID-1] {
		return
	}
	for i := range s.VMAs {
		if v := &s.VMAs[i]; !v.Gone && v.AnonVMA == a.ID {
			c.add("I7", key+fmt.Sprintf(" vma %d", v.ID), "%s points at anon_vma %s, which was freed", s.VMAName(v.ID), a.Name)
		}
	}
	for i := range s.AVCs {
		if avc := &s.AVCs[i]; !avc.Freed && avc.AnonVMA == a.ID {
			c.add("I7", key+fmt.Sprintf(" avc %d", avc.ID), "AVC %d links %s to anon_vma %s, which was freed",
				avc.ID, s.VMAName(avc.VMA), a.Name)
		}
	}
}

// page checks R1, R2 and R5 for a mapped page.
//
// R5 is decided without running the walk: a walk iterates the page's
// anon_vma's VMAs, counting a VMA only where the PTE at the page's
// address maps the page, until it has counted mapcount of them; so it
// finds every mapping exactly when mapcount is right and every mapping
// lies in a listed VMA at the address page->index gives, which is R1.
// That keeps a check linear in the size of the state.
func (c *checker) page(pg *Page, mapped []Mapping) {
	s := c.s
	key := pageKey(pg.ID)
	if pg.Mapping == 0 || s.AnonVMA(pg.Mapping).Freed {
		what := "no anon_vma"
		if pg.Mapping != 0 {
			what = "anon_vma " + s.AnonVMA(pg.Mapping).Name + ", which was freed"
		}
		c.add("R2", key(), "page %d is mapped %d time(s) but page->mapping points at %s", pg.ID, len(mapped), what)
		return
	}
	av := s.AnonVMA(pg.Mapping)
	found := 0
	for _, mp := range mapped {
		v := s.VMA(mp.VMA)
		switch {
		case !c.isListed(av, v.ID):
			c.add("R1", key()+fmt.Sprintf(" vma %d", v.ID), "page %d is mapped by %s, which is not on the list of anon_vma %s (page->mapping): the rmap cannot find that PTE",
				pg.ID, s.VMAName(v.ID), av.Name)
		case pg.Index < v.Pgoff || v.Start+(pg.Index-v.Pgoff) != mp.Addr:
			c.add("R1", key()+fmt.Sprintf(" vma %d addr", v.ID), "page %d is mapped by %s at %#x, but page->index does not lead there",
				pg.ID, s.VMAName(v.ID), mp.Addr)
		default:
			found++
		}
	}
	if pg.Mapcount != len(mapped) {
		found = min(found, pg.Mapcount)
	}
	if found != len(mapped) {
		c.add("R5", key(), "an rmap walk of page %d finds %d of the %d PTEs that map it", pg.ID, found, len(mapped))
	}
}

// pageKey returns a function making a page's violation key, so that the
// string is only built for a page that breaks something.
func pageKey(id PageID) func() string {
	return func() string { return "page " + strconv.Itoa(int(id)) }
}

// isListed reports whether VMA v is on anon_vma av's list. It searches
// the sorted list until it has made as many searches for av as the list is
// long, then marks the list's VMAs and answers by looking at the marks,
// until asked about another anon_vma: pages in id order mostly share their
// anon_vma with the page before, and a page mapped a thousand times asks
// about it a thousand times.
func (c *checker) isListed(av *AnonVMA, v VMAID) bool {
	if c.marked == av.ID {
		return c.mark[v] == c.markGen
	}
	if c.asking != av.ID {
		c.asking, c.asked = av.ID, 0
	}
	listed := c.listedVMAs(av)
	if c.asked++; c.asked < len(listed) {
		_, ok := slices.BinarySearch(listed, v)
		return ok
	}
	c.markGen++
	for _, id := range listed {
		if id >= 1 && int(id) < len(c.mark) {
			c.mark[id] = c.markGen
		}
	}
	c.marked = av.ID
	return c.mark[v] == c.markGen
}

// listedVMAs returns the VMAs on an anon_vma's list (through its AVCs
// from 2.6.34), sorted, computed once per check.
func (c *checker) listedVMAs(av *AnonVMA) []VMAID {
	if set, ok := c.listed[av.ID]; ok {
		return set
	}
	var set []VMAID
	c.s.eachCandidate(av, 0, func(cd candidate) bool { set = append(set, cd.VMA); return true })
	for _, id := range av.Head { // the interval tree's every AVC, whatever the index
		set = append(set, c.s.AVC(id).VMA)
	}
	slices.Sort(set)
	set = slices.Compact(set)
	if c.listed == nil {
		c.listed = map[AVID][]VMAID{}
	}
	c.listed[av.ID] = set
	return set
}

// root checks I8 for one live anon_vma.
func (c *checker) root(a *AnonVMA) {
	s := c.s
	if !s.Model.Root || a.Freed {
		return
	}
	if a.Root == 0 {
		c.add("I8", fmt.Sprintf("av %d", a.ID), "anon_vma %s has no root", a.Name)
		return
	}
	switch r := s.AnonVMA(a.Root); {
	case r.Freed:
		c.add("I8", fmt.Sprintf("av %d", a.ID), "the root of anon_vma %s, %s, was freed", a.Name, r.Name)
	case r.Root != r.ID:
		c.add("I8", fmt.Sprintf("av %d", a.ID), "the root of anon_vma %s, %s, is not a root itself", a.Name, r.Name)
	}
}

// counters checks I9: 3.19's degree, or 6.0's num_children and
// num_active_vmas, against what they count.
func (c *checker) counters(a *AnonVMA) {
	s := c.s
	if s.Model.Reuse == ReuseNone || a.Freed {
		return
	}
	vmas, children := c.users[a.ID-1], c.children[a.ID-1]
	key := fmt.Sprintf("av %d", a.ID)
	if s.Model.Reuse == ReuseDegree && a.Degree != vmas+children {
		c.add("I9", key, "anon_vma %s has degree %d, but %d VMA(s) use it and %d anon_vma(s) descend from it (a root counting itself)",
			a.Name, a.Degree, vmas, children)
	}
	if s.Model.Reuse == ReuseCounters && (a.NumChildren != children || a.NumActiveVMAs != vmas) {
		c.add("I9", key, "anon_vma %s has num_children %d and num_active_vmas %d, but %d child(ren) (a root counting itself) and %d VMA(s)",
			a.Name, a.NumChildren, a.NumActiveVMAs, children, vmas)
	}
}

// pageRoot checks R3 (same root as every mapper's anon_vma, 2.6.36+) and
// R4 (one index for every mapping) for a mapped page.
func (c *checker) pageRoot(pg *Page, mapped []Mapping) {
	s := c.s
	indexes := 0 // how many different indexes the mappings compute
	var first uint64
	for i, mp := range mapped {
		v := s.VMA(mp.VMA)
		if idx := mp.Addr - v.Start + v.Pgoff; i == 0 || idx != first {
			if i == 0 {
				first = idx
			}
			indexes++
		}
		if !s.Model.Root || pg.Mapping == 0 || v.AnonVMA == 0 {
			continue
		}
		if pr, vr := s.AnonVMA(pg.Mapping).Root, s.AnonVMA(v.AnonVMA).Root; pr != vr {
			c.add("R3", fmt.Sprintf("page %d vma %d", pg.ID, v.ID), "page %d's anon_vma has root %s, but %s, which maps it, has root %s",
				pg.ID, s.avName(pr), s.VMAName(v.ID), s.avName(vr))
		}
	}
	// 2.6.6 finds an anonymous page through its pte_chain, never through
	// an index computed from vm_pgoff, which its merges do not keep
	// consistent (PgoffBlindMerge): R4 is an invariant from 2.6.7.
	if indexes > 1 && s.Model.Design != DesignPTEChain {
		c.add("R4", fmt.Sprintf("page %d", pg.ID), "the %d mappings of page %d do not all compute the same page index", len(mapped), pg.ID)
	}
}

// swapCounts checks R6: each swap slot's count is the number of swap
// entries holding it, which scanPTEs counted.
func (c *checker) swapCounts() {
	s, held := c.s, c.held
	for i := range s.Swap {
		if sl := &s.Swap[i]; !sl.Freed && sl.Count != held[i] {
			c.add("R6", fmt.Sprintf("swap %d", sl.ID), "swap slot %d has count %d, but %d swap entries hold it", sl.ID, sl.Count, held[i])
		}
	}
}
