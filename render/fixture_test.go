package render

import "github.com/avdoc/avdoc/engine"

// fixture builds an engine.State by hand, handing out ids in creation order
// as the machine does, so that tests do not depend on the machine.
type fixture struct{ st engine.State }

func (f *fixture) proc(name string, parent engine.ProcID) engine.ProcID {
	id := engine.ProcID(len(f.st.Procs) + 1)
	f.st.Procs = append(f.st.Procs, engine.Process{ID: id, Name: name, Parent: parent})
	return id
}

// vma maps a region of p and returns the one VMA covering it.
func (f *fixture) vma(p engine.ProcID, region string, start uint64, pages int) engine.VMAID {
	id := engine.VMAID(len(f.st.VMAs) + 1)
	f.st.VMAs = append(f.st.VMAs, engine.VMA{ID: id, Proc: p, Region: region, Start: start, End: start + uint64(pages),
		Pgoff: start, Writable: true, PTEs: make([]engine.PTE, pages)})
	pr := f.st.Proc(p)
	pr.VMAs = append(pr.VMAs, id)
	pr.Regions = append(pr.Regions, engine.Region{Name: region, Start: start, Pages: pages})
	return id
}

func (f *fixture) av(name string) engine.AVID {
	id := engine.AVID(len(f.st.AnonVMAs) + 1)
	f.st.AnonVMAs = append(f.st.AnonVMAs, engine.AnonVMA{ID: id, Name: name})
	return id
}

// prepare gives v a new anon_vma of its own, as anon_vma_prepare does.
func (f *fixture) prepare(v engine.VMAID, name string) engine.AVID {
	a := f.av(name)
	f.link(v, a)
	f.st.VMA(v).AnonVMA = a
	return a
}

// link adds an AVC as anon_vma_chain_link does: at the head of the VMA's
// same_vma list and the tail of the anon_vma's same_anon_vma list.
func (f *fixture) link(v engine.VMAID, a engine.AVID) engine.AVCID {
	id := engine.AVCID(len(f.st.AVCs) + 1)
	f.st.AVCs = append(f.st.AVCs, engine.AVC{ID: id, VMA: v, AnonVMA: a})
	vm := f.st.VMA(v)
	vm.Chain = append([]engine.AVCID{id}, vm.Chain...)
	f.st.AnonVMA(a).Head = append(f.st.AnonVMA(a).Head, id)
	return id
}

// page faults in a new page at page i of v, pointing at anon_vma a.
func (f *fixture) page(v engine.VMAID, i int, a engine.AVID) engine.PageID {
	vm := f.st.VMA(v)
	id := engine.PageID(len(f.st.Pages) + 1)
	f.st.Pages = append(f.st.Pages, engine.Page{ID: id, Index: vm.Pgoff + uint64(i), Mapping: a})
	f.mapPage(v, i, id)
	return id
}

// mapPage makes page i of v map pg.
func (f *fixture) mapPage(v engine.VMAID, i int, pg engine.PageID) {
	f.st.VMA(v).PTEs[i] = engine.PTE{Kind: engine.PTEPage, Page: pg}
	f.st.Page(pg).Mapcount++
}

// unmap clears page i of v.
func (f *fixture) unmap(v engine.VMAID, i int) {
	if pte := &f.st.VMA(v).PTEs[i]; pte.Kind == engine.PTEPage {
		f.st.Page(pte.Page).Mapcount--
	}
	f.st.VMA(v).PTEs[i] = engine.PTE{}
}

// single is one process with one two-page heap VMA, its anon_vma, one AVC
// and one page.
func single() *engine.State {
	var f fixture
	p := f.proc("P", 0)
	v := f.vma(p, "heap", 0x100, 2)
	a := f.prepare(v, "P:heap")
	f.page(v, 0, a)
	return &f.st
}

// forked is single after P forked C: C's VMA links to P's anon_vma (AVC 2)
// and to its own (AVC 3), and both map page 1.
func forked() (*fixture, engine.VMAID) {
	var f fixture
	p := f.proc("P", 0)
	pv := f.vma(p, "heap", 0x100, 2)
	pa := f.prepare(pv, "P:heap")
	f.page(pv, 0, pa)
	c := f.proc("C", p)
	cv := f.vma(c, "heap", 0x100, 2)
	f.link(cv, pa)
	f.prepare(cv, "C:heap")
	f.mapPage(cv, 0, 1)
	return &f, cv
}

func fork() *engine.State {
	f, _ := forked()
	return &f.st
}

// cow is forked after both map page 1 at index 1 too and C wrote page 0:
// C's copy (page 3) points at C's anon_vma, the shared page 2 at P's.
func cow() *engine.State {
	f, cv := forked()
	f.page(1, 1, 1)
	f.mapPage(cv, 1, 2)
	f.unmap(cv, 0)
	f.page(cv, 0, 2)
	return &f.st
}

// freed is the 2.6.34-rc3 oops: P maps a page whose page->mapping is C's
// anon_vma, and C has exited, freeing that anon_vma and C's AVCs.
func freed() *engine.State {
	f, cv := forked()
	f.st.Page(1).Mapping = 2
	f.unmap(cv, 0)
	f.st.Procs[1].Exited = true
	f.st.VMA(cv).Gone = true
	f.st.AnonVMA(2).Freed = true
	f.st.AnonVMA(1).Head = f.st.AnonVMA(1).Head[:1]
	f.st.AnonVMA(2).Head = nil
	f.st.AVC(2).Freed = true
	f.st.AVC(3).Freed = true
	return &f.st
}

// ptes is one process whose four-page VMA holds a page, the zero page, a
// swap entry whose page is still in the swap cache, and nothing.
func ptes() *engine.State {
	var f fixture
	p := f.proc("P", 0)
	v := f.vma(p, "heap", 0x100, 4)
	a := f.prepare(v, "P:heap")
	f.page(v, 0, a)
	f.st.VMA(v).PTEs[1] = engine.PTE{Kind: engine.PTEZero}
	sw := f.page(v, 2, a)
	f.unmap(v, 2)
	f.st.Swap = []engine.SwapSlot{{ID: 1, Count: 1, Page: sw, Index: 0x102}}
	f.st.Page(sw).Swap = 1
	f.st.VMA(v).PTEs[2] = engine.PTE{Kind: engine.PTESwap, Swap: 1}
	return &f.st
}

// hostile is single with names that need escaping everywhere.
func hostile() *engine.State {
	var f fixture
	p := f.proc("<b>&amp;\"P\\N\"]]>{x}\n", 0)
	v := f.vma(p, "he<a>p&\\", 0x100, 1)
	a := f.prepare(v, "<i>\"av\"</i>\\G&lt;")
	f.page(v, 0, a)
	return &f.st
}

// walkFork is try_to_unmap of page 1 in fork(): it visits P's VMA through
// AVC 1 and C's through AVC 2 and finds the page in both.
func walkFork() *engine.Walk {
	return &engine.Walk{Page: 1, Func: "try_to_unmap", Mapcount: 2, AnonVMA: 1, Found: 2,
		Visits: []engine.Visit{{VMA: 1, AVC: 1, Addr: 0x100, Found: true}, {VMA: 2, AVC: 2, Addr: 0x100, Found: true}}}
}

// walkOops is page_referenced of page 1 in freed(): page->mapping leads to
// C's freed anon_vma.
func walkOops() *engine.Walk {
	return &engine.Walk{Page: 1, Func: "page_referenced", Mapcount: 1, AnonVMA: 2,
		Oops: &engine.Oops{Page: 1, AnonVMA: 2, Msg: "anon_vma C:heap was freed"}}
}

// leak is a process with no VMAs left and an anon_vma nothing links to.
func leak() *engine.State {
	var f fixture
	f.proc("P", 0)
	f.av("P:heap")
	return &f.st
}
