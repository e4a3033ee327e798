package engine

import (
	"slices"
	"testing"
)

// TestAbsorbLinksImporterAtTail (D7): when a VMA without an anon_vma
// absorbs the next one, 2.6.33's vma_adjust links it at the tail of the
// list (`importer = vma`; __anon_vma_link: list_add_tail) and
// __anon_vma_merge then deletes next's node; 2.6.7's __anon_vma_merge
// puts it in next's place (list_add after next's node, then list_del).
// Only who absorbs differs: P (whose node is at the list's tail in 2.6.7,
// its head in 2.6.33) or its child C.
func TestAbsorbLinksImporterAtTail(t *testing.T) {
	base := []Event{sp("P"), mm("P", "v", 2, pageA, true), mp(rng("P", "v", 0, 0), false),
		wr(rng("P", "v", 1, 1)), fk("P", "C")}
	for _, tt := range []struct {
		model, absorber string
		want            []string
	}{
		{"2.6.33", "P", []string{"C", "P"}}, // the row's example: avdoc said [P, C]
		{"2.6.33", "C", []string{"P", "C"}},
		{"2.6.7", "P", []string{"C", "P"}},
		{"2.6.7", "C", []string{"C", "P"}}, // next's place, not the tail
	} {
		t.Run(tt.model+"/"+tt.absorber, func(t *testing.T) {
			s := lastState(t, tt.model, append(slices.Clone(base), mp(rng(tt.absorber, "v", 0, 0), true))...)
			if n := len(s.ProcByName(tt.absorber).VMAs); n != 1 {
				t.Fatalf("%s:v is %d VMAs, want 1 (the absorb)", tt.absorber, n)
			}
			if got := walkProcs(s, "P", "v", 1); !slices.Equal(got, tt.want) {
				t.Errorf("walk of P:v:1 visits %v, want %v", got, tt.want)
			}
		})
	}
}

// TestForkCopiesZeroPagePTEs (D8): 2.6.6's and 2.6.7's copy_page_range
// copy every VMA's PTEs, zero-page PTEs included (mm/memory.c, 2.6.7: `if
// (!page || PageReserved(page)) { set_pte(dst_pte, pte); ...`), so the
// child's write is a COW of the zero page (do_wp_page); from 2.6.14 a VMA
// without an anon_vma is skipped (2.6.33: `if (!vma->anon_vma) return
// 0;`) and the child's write is a fresh do_anonymous_page.
func TestForkCopiesZeroPagePTEs(t *testing.T) {
	for _, tt := range []struct {
		model  string
		copied bool
	}{
		{"2.6.6", true}, {"2.6.7", true}, {"2.6.33", false}, {"2.6.34", false}, {"6.0", false},
	} {
		t.Run(tt.model, func(t *testing.T) {
			res := run(t, New(mustModel(t, tt.model)), steps(sp("P"), mm("P", "v", 1, pageA, true),
				rd(whole("P", "v")), fk("P", "C"), wr(whole("C", "v")))...)
			s := res[3].State
			pte, _ := pteOf(&s, "C", "v", 0)
			if got := pte != nil && pte.Kind == PTEZero; got != tt.copied {
				t.Errorf("C:v:0 maps the zero page after fork: %v, want %v", got, tt.copied)
			}
			wantFn := "do_anonymous_page"
			if tt.copied {
				wantFn = "do_wp_page"
			}
			if !slices.ContainsFunc(res[4].Log, func(l LogLine) bool { return l.Func == wantFn }) {
				t.Errorf("C's write logs %v, want a %s", res[4].Log, wantFn)
			}
		})
	}
}

// TestReuseKeepsSwapCache (D9): 2.6.6's and 2.6.7's do_wp_page and
// do_swap_page reuse a sole-owned page after can_share_swap_page, which
// only tests: the page stays in the swap cache. reuse_swap_page (2.6.33)
// also deletes it from the swap cache.
func TestReuseKeepsSwapCache(t *testing.T) {
	for _, model := range []string{"2.6.6", "2.6.7", "2.6.33", "2.6.34"} {
		keep := model == "2.6.6" || model == "2.6.7"
		for _, tt := range []struct {
			name string
			evs  []Event
		}{
			{"do_wp_page", []Event{rd(whole("P", "v")), wr(whole("P", "v"))}},
			{"do_swap_page", []Event{wr(whole("P", "v"))}},
		} {
			t.Run(model+"/"+tt.name, func(t *testing.T) {
				evs := append([]Event{sp("P"), mm("P", "v", 1, pageA, true), wr(whole("P", "v")), so(whole("P", "v"))}, tt.evs...)
				s := lastState(t, model, evs...)
				pte, _ := pteOf(s, "P", "v", 0)
				if pte == nil || pte.Kind != PTEPage || !pte.Writable {
					t.Fatalf("P:v:0 is not a writable page after the write: %+v", pte)
				}
				pg := s.Page(pte.Page)
				if got := pg.Swap != 0; got != keep {
					t.Errorf("page %d in the swap cache: %v, want %v", pg.ID, got, keep)
				}
				if pg.ID != 1 || len(s.Pages) != 1 {
					t.Errorf("the write mapped page %d of %d, want page 1 (in the swap cache since swap-out) reused in place", pg.ID, len(s.Pages))
				}
			})
		}
	}
}
