package engine

// 2.6.6's pte_chain order. page_add_rmap (mm/rmap.c, v2.6.6) puts a new
// PTE pointer in front of the others: the direct pointer becomes
// ptes[NRPTE-1] and the new one ptes[NRPTE-2] of a fresh chain, later
// ones fill the head block downwards from pte_chain_idx and a full block
// gets a new one in front. page_referenced and try_to_unmap walk from the
// head block's pte_chain_idx up, block after block: newest first.
// page_remove_rmap moves the head's newest pointer into the hole it
// leaves (`pc->ptes[i] = start->ptes[victim_i]`). So with each PTE's
// place counted from the oldest (ChainPos 1) to the newest (ChainLen),
// an addition takes ChainLen+1, a removal gives its place to the newest,
// and a walk goes from ChainLen down: the blocks never show.

// chainEntry is where a PTE on a pte_chain is: a process and a page
// number, which splits and merges of VMAs do not change.
type chainEntry struct {
	proc ProcID
	addr uint64
}

// chainAdd puts the PTE at page number a of v, which maps a page, at the
// head of the page's pte_chain. The machine keeps the chain's entries only
// while it holds two or more, as the kernel keeps a lone PTE pointer in
// struct page (PG_direct); when a second one comes, the first is at hint
// if the caller knows where (fork: the parent's PTE at the same address),
// else found among the page's mappings. It does nothing in the models
// without pte_chains; that test is small enough to inline into a fault,
// which pays no call for it.
func (m *Machine) chainAdd(v *VMA, a uint64, hint *chainEntry) {
	if m.model.Design == DesignPTEChain {
		m.chainAddPTE(v, a, hint)
	}
}

// chainAddPTE is chainAdd in 2.6.6.
func (m *Machine) chainAddPTE(v *VMA, a uint64, hint *chainEntry) {
	m.ownPTEs(v)
	pte := &v.PTEs[a-v.Start]
	pg := m.page(pte.Page)
	pg.ChainLen++
	pte.ChainPos = pg.ChainLen
	this := chainEntry{v.Proc, a}
	switch {
	case pg.ChainLen == 1:
		return
	case pg.ChainLen == 2 && hint == nil:
		first := m.firstMapping(pg.ID, this)
		hint = &first
	}
	if m.chains == nil {
		m.chains = map[PageID][]chainEntry{}
	}
	if pg.ChainLen == 2 {
		m.chains[pg.ID] = []chainEntry{*hint, this}
		return
	}
	m.chains[pg.ID] = append(m.chains[pg.ID], this)
}

// firstMapping finds the PTE at place 1 of page id's chain, other than
// not.
func (m *Machine) firstMapping(id PageID, not chainEntry) chainEntry {
	for mp := range m.st.mappers(id) {
		v := m.st.VMA(mp.VMA)
		if e := (chainEntry{v.Proc, mp.Addr}); e != not && v.PTEs[mp.Addr-v.Start].ChainPos == 1 {
			return e
		}
	}
	return chainEntry{}
}

// chainDel takes the PTE at place pos off page id's pte_chain: the newest
// PTE takes its place. Like chainAdd, it inlines to a test in the models
// without pte_chains.
func (m *Machine) chainDel(id PageID, pos uint32) {
	if m.model.Design == DesignPTEChain && pos != 0 {
		m.chainDelPTE(id, pos)
	}
}

// chainDelPTE is chainDel in 2.6.6, for a PTE on a chain (pos > 0).
func (m *Machine) chainDelPTE(id PageID, pos uint32) {
	pg := m.page(id)
	if pg.ChainLen <= 1 {
		pg.ChainLen = 0
		return
	}
	chain := m.chains[id]
	if int(pos) > len(chain) {
		return
	}
	newest := chain[len(chain)-1]
	chain[pos-1] = newest
	m.chains[id] = chain[:len(chain)-1]
	pg.ChainLen--
	if pos <= pg.ChainLen {
		if pte, _ := m.pteAt(m.st.Proc(newest.proc), newest.addr); pte != nil {
			pte.ChainPos = pos
		}
	}
	if pg.ChainLen == 1 {
		delete(m.chains, id)
	}
}
