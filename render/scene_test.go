package render

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/avdoc/avdoc/engine"
)

// TestPickPagesPlain: the pages a scene draws, their first drawn mappers
// and the runs of alike pages it stacks are those of the plain definition
// (a pass over every page, which pickPages avoids), on random states with
// leaks, freed and shared pages, swap entries, stacks and filters.
func TestPickPagesPlain(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := range 400 {
		st := randomState(rng)
		opt := randomOptions(rng, st)
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			s := sceneBeforePages(st, opt)
			want, wantMapper := plainPickPages(st, &s, len(opt.Only) > 0)
			s.pickPages(st, len(opt.Only) > 0, &ledToMemo{})
			for i := range st.Pages {
				if s.page.has(i) != want[i] || s.mapperOf(i) != wantMapper[i] {
					t.Fatalf("page %d: drawn %v, mapper %d; want %v, %d", i+1, s.page.has(i), s.mapperOf(i), want[i], wantMapper[i])
				}
			}
			if opt.Walk != nil && valid(int(opt.Walk.Page), len(st.Pages)) && !st.Page(opt.Walk.Page).Freed {
				want[opt.Walk.Page-1] = true
				s.page.add(int(opt.Walk.Page) - 1)
			}
			wantRuns := plainPageRuns(st, want, wantMapper, opt.Walk)
			s.findPageRuns(st, opt.Walk)
			if !slices.Equal(s.pageRuns, wantRuns) {
				t.Fatalf("page runs %v, want %v", s.pageRuns, wantRuns)
			}
			for i := range st.Pages {
				if s.page.has(i) != want[i] {
					t.Fatalf("page %d: drawn %v after the runs, want %v", i+1, s.page.has(i), want[i])
				}
			}
			if s.page.len() != countTrue(want) {
				t.Fatalf("%d pages drawn, want %d", s.page.len(), countTrue(want))
			}
		})
	}
}

// TestLedToMemo: the memo gives back what it found only for a state whose
// VMAs of the set share their page tables, pages and swap slots with the
// state it found them in.
func TestLedToMemo(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 100 {
		st := randomState(rng)
		set := make([]bool, len(st.VMAs))
		for i := range set {
			set[i] = rng.IntN(2) == 0
		}
		var memo ledToMemo
		if got := memo.ledTo(st, set); !slices.Equal(got, ledTo(st, set)) {
			t.Fatal("a first ledTo differs from ledTo")
		}
		same := *st // shares every slice
		if got := memo.ledTo(&same, set); len(got) > 0 && &got[0] != &memo.out[0] {
			t.Fatal("the memo did not serve a state that shares its slices")
		}
		changed := *st
		changed.VMAs = slices.Clone(st.VMAs)
		for i := range changed.VMAs {
			v := &changed.VMAs[i]
			v.PTEs = slices.Clone(v.PTEs)
			for j := range v.PTEs {
				if rng.IntN(4) == 0 {
					v.PTEs[j] = engine.PTE{Kind: engine.PTEPage, Page: engine.PageID(rng.IntN(len(st.Pages) + 1))}
				}
			}
		}
		if got := memo.ledTo(&changed, set); !slices.Equal(got, ledTo(&changed, set)) {
			t.Fatal("the memo served a state with other page tables")
		}
	}
}

// sceneBeforePages is selectScene up to the choice of pages.
func sceneBeforePages(st *engine.State, opt Options) scene {
	s := scene{
		proc: make([]bool, len(st.Procs)), vma: make([]bool, len(st.VMAs)),
		av: make([]bool, len(st.AnonVMAs)), avc: make([]bool, len(st.AVCs)),
		page: newPageSet(len(st.Pages)), slot: make([]bool, len(st.Swap)),
	}
	s.pickProcs(st, opt.Only)
	s.collapse(st, opt)
	s.pickVMAs(st)
	s.pickAVCs(st)
	return s
}

// plainPickPages is pickPages by its definition, over every page: the
// live pages a drawn VMA leads to and, unless filtered, every other live
// page that is mapped or in the swap cache and that no hidden member of a
// stack leads to; and per page the first drawn VMA that leads to it.
func plainPickPages(st *engine.State, s *scene, filtered bool) ([]bool, []engine.VMAID) {
	firstOf := func(set []bool) []engine.VMAID {
		out := make([]engine.VMAID, len(st.Pages))
		for i, v := range st.VMAs {
			if !set[i] {
				continue
			}
			for _, pte := range v.PTEs {
				if id := ptePage(st, pte); id != 0 && out[id-1] == 0 {
					out[id-1] = v.ID
				}
			}
		}
		return out
	}
	mapper := firstOf(s.vma)
	var hiddenRef []engine.VMAID
	if s.hidden != nil {
		hiddenRef = firstOf(s.hiddenVMAs(st))
	}
	page := make([]bool, len(st.Pages))
	for i, pg := range st.Pages {
		loose := !filtered && (pg.Mapcount > 0 || pg.Swap != 0) && (hiddenRef == nil || hiddenRef[i] == 0)
		page[i] = !pg.Freed && (mapper[i] != 0 || loose)
	}
	return page, mapper
}

// plainPageRuns is findPageRuns by its definition, over every page.
func plainPageRuns(st *engine.State, page []bool, mapper []engine.VMAID, w *engine.Walk) []pageRun {
	var runs []pageRun
	alike := func(first, i int) bool {
		a, b := &st.Pages[first], &st.Pages[i]
		return b.Index == a.Index+uint64(i-first) && b.Mapping == a.Mapping && b.Mapcount == a.Mapcount &&
			(b.Swap != 0) == (a.Swap != 0) && mapper[i] == mapper[first]
	}
	add := func(from, to int) {
		if to-from < minPageRun {
			return
		}
		runs = append(runs, pageRun{first: st.Pages[from].ID, last: st.Pages[to-1].ID})
		for i := from + 1; i < to; i++ {
			page[i] = false
		}
	}
	start := -1
	for i := 0; i <= len(st.Pages); i++ {
		if start >= 0 && (i == len(st.Pages) || !page[i] || !alike(start, i) || walks(w, i)) {
			add(start, i)
			start = -1
		}
		if start < 0 && i < len(st.Pages) && page[i] && !walks(w, i) {
			start = i
		}
	}
	return runs
}

// randomState builds a state that the engine could make, and some it
// could not: processes forked from one another sharing pages, runs of
// pages alike enough to stack, pages in the swap cache, freed pages,
// leaked pages no PTE maps, exited processes, unmapped VMAs and VMAs
// numbered 0.
func randomState(rng *rand.Rand) *engine.State {
	var f fixture
	nproc := 1 + rng.IntN(20)
	for p := range nproc {
		parent := engine.ProcID(0)
		if p > 0 && rng.IntN(3) > 0 {
			parent = engine.ProcID(1 + rng.IntN(p))
		}
		id := f.proc(fmt.Sprintf("P%d", p), parent)
		for r := range 1 + rng.IntN(2) {
			pages := 1 + rng.IntN(40)
			v := f.vma(id, fmt.Sprintf("r%d", r), uint64(0x100*(r+1)), pages)
			a := f.prepare(v, fmt.Sprintf("P%d:r%d", p, r))
			var from *engine.VMA // a VMA of the parent to share pages with
			if parent != 0 && rng.IntN(2) == 0 {
				if pv := f.st.Proc(parent).VMAs; len(pv) > 0 {
					from = f.st.VMA(pv[0])
				}
			}
			for i := range pages {
				switch k := rng.IntN(10); {
				case k < 2:
				case k < 3:
					f.st.VMA(v).PTEs[i] = engine.PTE{Kind: engine.PTEZero}
				case k < 6 && from != nil && i < len(from.PTEs) && from.PTEs[i].Kind == engine.PTEPage:
					f.mapPage(v, i, from.PTEs[i].Page)
				default:
					f.page(v, i, a)
				}
			}
		}
	}
	for i := range f.st.Pages {
		pg := &f.st.Pages[i]
		switch rng.IntN(12) {
		case 0:
			pg.Freed = true
		case 1:
			pg.Mapcount = rng.IntN(3) // a leak, or a lie
		case 2:
			f.st.Swap = append(f.st.Swap, engine.SwapSlot{ID: engine.SwapID(len(f.st.Swap) + 1), Count: 1, Page: pg.ID})
			pg.Swap = engine.SwapID(len(f.st.Swap))
		}
	}
	for range rng.IntN(5) { // pages no PTE leads to
		f.st.Pages = append(f.st.Pages, engine.Page{ID: engine.PageID(len(f.st.Pages) + 1), Mapcount: rng.IntN(2),
			Swap: engine.SwapID(rng.IntN(len(f.st.Swap) + 1))})
	}
	for i := range f.st.VMAs {
		v := &f.st.VMAs[i]
		for j := range v.PTEs {
			if v.PTEs[j].Kind == engine.PTEPage && f.st.Page(v.PTEs[j].Page).Swap != 0 && rng.IntN(3) == 0 {
				v.PTEs[j] = engine.PTE{Kind: engine.PTESwap, Swap: f.st.Page(v.PTEs[j].Page).Swap}
			}
		}
		switch rng.IntN(30) {
		case 0:
			v.Gone = true
		case 1:
			v.ID = 0
		}
	}
	for i := range f.st.Procs {
		if i > 0 && rng.IntN(15) == 0 {
			f.st.Procs[i].Exited = true
		}
	}
	return &f.st
}

// randomOptions draws all or some processes, some of them stacked, or no
// pages, with or without a walk.
func randomOptions(rng *rand.Rand, st *engine.State) Options {
	var opt Options
	names := func() []string {
		var out []string
		for _, p := range st.Procs {
			if rng.IntN(2) == 0 {
				out = append(out, p.Name)
			}
		}
		return out
	}
	switch rng.IntN(6) {
	case 0:
		opt.Only = names()
	case 1, 2:
		opt.Collapse = names()
	case 3:
		opt.HidePages = true
	}
	if len(st.Pages) > 0 && rng.IntN(3) == 0 {
		opt.Walk = &engine.Walk{Page: engine.PageID(1 + rng.IntN(len(st.Pages)))}
	}
	return opt
}
