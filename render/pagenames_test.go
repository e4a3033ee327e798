package render

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/avdoc/avdoc/engine"
)

// manyMappers is P and n children all mapping P's one page, as in Rik
// van Riel's story, plus page 2, in the swap cache with its one swap
// entry in P, and slot 2, evicted, held by P and the last child.
func manyMappers(n int) *engine.State {
	var f fixture
	p := f.proc("P", 0)
	v := f.vma(p, "heap", 0x100, 3)
	a := f.prepare(v, "P:heap")
	pg := f.page(v, 0, a)
	var last engine.VMAID
	for i := 1; i <= n; i++ {
		c := f.proc(fmt.Sprintf("C%d", i), p)
		last = f.vma(c, "heap", 0x100, 3)
		f.link(last, a)
		f.mapPage(last, 0, pg)
	}
	sw := f.page(v, 1, a)
	f.unmap(v, 1)
	f.st.Page(sw).Swap = 1
	f.st.Swap = []engine.SwapSlot{{ID: 1, Count: 1, Page: sw, Index: 0x101}, {ID: 2, Count: 2, Index: 0x102}}
	f.st.VMA(v).PTEs[1] = engine.PTE{Kind: engine.PTESwap, Swap: 1}
	f.st.VMA(v).PTEs[2] = engine.PTE{Kind: engine.PTESwap, Swap: 2}
	f.st.VMA(last).PTEs[2] = engine.PTE{Kind: engine.PTESwap, Swap: 2}
	return &f.st
}

// TestPageNames: a page is named by the addresses at which page(ADDR)
// finds it, at most two of them, in labels, titles, the description and
// the text figure alike; a swap slot by the swap entries that hold it.
func TestPageNames(t *testing.T) {
	tests := []struct {
		name     string
		st       *engine.State
		opt      Options
		label    string // of page 1
		title    string // of page 1
		contains []string
	}{
		{"one mapper", single(), Options{}, "page 1<BR/>P:heap:0<BR/>index 0x100", "page 1 (P:heap:0), index 0x100, mapped once",
			[]string{"Page 1 (P:heap:0) is mapped once"}},
		{"two mappers, one line", fork(), Options{}, "page 1<BR/>P:heap:0, C:heap:0<BR/>index", "page 1 (P:heap:0, C:heap:0), index 0x100",
			[]string{"Page 1 (P:heap:0, C:heap:0) is mapped 2 times"}},
		{"two long names, a line each", manyMappers(1), Options{}, "page 1<BR/>P:heap:0<BR/>C1:heap:0<BR/>index", "page 1 (P:heap:0, C1:heap:0)", nil},
		{"a thousand mappers", manyMappers(1000), Options{}, "page 1<BR/>P:heap:0<BR/>+1000 more<BR/>index", "page 1 (P:heap:0 +1000 more), index 0x100, mapped 1001 times",
			[]string{"Page 2 (P:heap:1) is in the swap cache, mapped 0 times,",
				// the evicted slot, named by its two swap entries; page 2 by the one whose slot holds it
				"swap slot 2 (P:heap:2, C1000:heap:2), 2 entries", "swap slot 1 (P:heap:1), 1 entry"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opt := tc.opt
			opt.Swap = true
			p := Draw(tc.st, opt)
			dot := string(p.DOT())
			label := regexp.MustCompile(`page1 \[.*?label=<(.*?)>[,\]]`).FindStringSubmatch(dot)
			if label == nil || !strings.HasPrefix(label[1], tc.label) {
				t.Errorf("label of page 1: %v, want it to start %q", label, tc.label)
			}
			all := dot + "\n" + p.Describe() + "\n" + string(p.Text("T", nil)) + "\n" + titles(p)
			for _, want := range append([]string{tc.title}, tc.contains...) {
				if !strings.Contains(all, want) {
					t.Errorf("lacks %q:\n%s", want, all)
				}
			}
		})
	}
}

// titles returns the title of every element of p, a line each.
func titles(p *Picture) string {
	var b strings.Builder
	for _, e := range p.nodes {
		b.WriteString(e.title + "\n")
	}
	return b.String()
}

// TestAddrLines: a short list of addresses takes one label line, a long
// one a line per address, so that a page column grows down, not wide;
// never more than two lines.
func TestAddrLines(t *testing.T) {
	tests := []struct {
		parts []string
		want  []string
	}{
		{nil, nil},
		{[]string{"C2:heap:2"}, []string{"C2:heap:2"}},
		{[]string{"P:heap:0", "C:heap:0"}, []string{"P:heap:0, C:heap:0"}},
		{[]string{"P:heap:0", "C12:heap:0"}, []string{"P:heap:0", "C12:heap:0"}},
		{[]string{"P:heap:0", "+999 more"}, []string{"P:heap:0 +999 more"}},
		{[]string{"parent:stack:10", "+999 more"}, []string{"parent:stack:10", "+999 more"}},
	}
	for _, tc := range tests {
		if got := addrLines(tc.parts); fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("addrLines(%q) = %q, want %q", tc.parts, got, tc.want)
		}
	}
}

// TestNamePages names the pages kernel log lines mention as the diagram
// of the step does, and a page the step took away as it was before.
func TestNamePages(t *testing.T) {
	before := cow()
	f, cv := forked()
	f.page(1, 1, 1)
	f.mapPage(cv, 1, 2)
	f.unmap(cv, 0)
	f.page(cv, 0, 2)
	f.unmap(cv, 0) // now page 3 is mapped nowhere: C dropped it
	now := &f.st
	lines := []string{
		"do_wp_page: write to C:heap:0 breaks COW of page 1: new page 2, index 0x100",
		"page_add_new_anon_rmap: page 2->mapping := anon_vma C:heap",
		"folio_add_new_anon_rmap: __folio_set_anon: small folio 2->mapping := anon_vma C:heap",
		"zap_pte_range: unmapped page 3 at C:heap:0, its last mapping: page freed",
		"page 1 has no other user; page 1 stays",
		"page 9 is no page of this story; swap slot 2; pages 0x100..0x101; page 0x100",
	}
	want := []string{
		"do_wp_page: write to C:heap:0 breaks COW of page 1 (P:heap:0): new page 2 (P:heap:1, C:heap:1), index 0x100",
		"page_add_new_anon_rmap: page 2 (P:heap:1, C:heap:1)->mapping := anon_vma C:heap",
		"folio_add_new_anon_rmap: __folio_set_anon: small folio 2 (P:heap:1, C:heap:1)->mapping := anon_vma C:heap",
		"zap_pte_range: unmapped page 3 (was C:heap:0) at C:heap:0, its last mapping: page freed",
		"page 1 (P:heap:0) has no other user; page 1 stays",
		"page 9 is no page of this story; swap slot 2; pages 0x100..0x101; page 0x100",
	}
	got := NamePages(lines, now, before)
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("line %d:\ngot  %s\nwant %s", i, got[i], want[i])
		}
	}
	if got := NamePages(lines[3:4], now, nil); got[0] != lines[3] {
		t.Errorf("without the state before, a page mapped nowhere keeps its bare name: %s", got[0])
	}
}
