package live

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/avdoc/avdoc/engine"
)

// forkBefore is P with a written two-page heap: VMA 1, AVC 1, anon_vma 1
// and pages 1 and 2, as an observation shows it.
func forkBefore() *Observation {
	heap := []engine.Region{{Name: "heap", Start: 16, Pages: 2}}
	return &Observation{StructPages: true,
		Procs: []Proc{{Name: "P", VMAs: []int{1}, Regions: heap}},
		VMAs: []VMA{{ID: 1, Proc: 1, Start: 16, End: 18, Pgoff: 16, Writable: true, Accounted: true, AnonVMA: 1, Chain: []int{1},
			PTEs: []PTE{{Kind: engine.PTEPage, Page: 1}, {Kind: engine.PTEPage, Page: 2}}}},
		AVCs:     []AVC{{ID: 1, VMA: 1, AnonVMA: 1, First: 16, Last: 17}},
		AnonVMAs: []AnonVMA{{ID: 1, Root: 1, Parent: 1, Name: "P:heap", NumChildren: 1, NumActiveVMAs: 1, Tree: []int{1}}},
		Pages:    []Page{{ID: 1, Mapcount: 1, Mapping: 1, Index: 16}, {ID: 2, Mapcount: 1, Mapping: 1, Index: 17}},
	}
}

// forkAfter is forkBefore after `fork P C`, then `exit P` if exited.
func forkAfter(exited bool) *Observation {
	o := forkBefore()
	heap := o.Procs[0].Regions
	o.Procs = append(o.Procs, Proc{Name: "C", Parent: 1, VMAs: []int{2}, Regions: heap})
	o.VMAs = append(o.VMAs, VMA{ID: 2, Proc: 2, Start: 16, End: 18, Pgoff: 16, Writable: true, Accounted: true, AnonVMA: 2, Chain: []int{2, 3},
		PTEs: []PTE{{Kind: engine.PTEPage, Page: 1}, {Kind: engine.PTEPage, Page: 2}}})
	o.AVCs = append(o.AVCs, AVC{ID: 2, VMA: 2, AnonVMA: 2, First: 16, Last: 17}, AVC{ID: 3, VMA: 2, AnonVMA: 1, First: 16, Last: 17})
	o.AnonVMAs[0].NumChildren, o.AnonVMAs[0].Tree = 2, []int{1, 3}
	o.AnonVMAs = append(o.AnonVMAs, AnonVMA{ID: 2, Root: 1, Parent: 1, Name: "C:heap", NumChildren: 0, NumActiveVMAs: 1, Tree: []int{2}})
	o.Pages[0].Mapcount, o.Pages[1].Mapcount = 2, 2
	if exited {
		o.Procs[0].Exited, o.Procs[0].VMAs = true, nil
		o.VMAs[0].Gone, o.VMAs[0].Freed = true, true
		o.AVCs[0].Gone, o.AVCs[0].Freed = true, true
		o.AnonVMAs[0].NumActiveVMAs, o.AnonVMAs[0].Tree = 0, []int{3}
		o.Pages[0].Mapcount, o.Pages[1].Mapcount = 1, 1
	}
	return o
}

func TestObservedLog(t *testing.T) {
	tests := []struct {
		name          string
		before, after *Observation
		want          []string
	}{
		{"nothing changed", forkBefore(), forkBefore(), nil},
		{"first step", &Observation{}, forkBefore(), []string{
			"process P, spawned with an empty mm",
			"new VMA P:heap: pages 0x10..0x11, vm_pgoff 0x10, writable, VM_ACCOUNT, anon_vma P:heap, chain [AVC 1]",
			"new AVC 1 links P:heap to anon_vma P:heap",
			"new anon_vma P:heap: a root, num_children 1, num_active_vmas 1",
			"new page 1 at P:heap:0: page->mapping anon_vma P:heap, index 0x10, mapcount 1",
			"new page 2 at P:heap:1: page->mapping anon_vma P:heap, index 0x11, mapcount 1",
			"P:heap PTEs: 0: page 1, 1: page 2",
		}},
		{"fork", forkBefore(), forkAfter(false), []string{
			"process C, a fork of P",
			"new VMA C:heap: pages 0x10..0x11, vm_pgoff 0x10, writable, VM_ACCOUNT, anon_vma C:heap, chain [AVC 2, AVC 3]",
			"new AVC 2 links C:heap to anon_vma C:heap",
			"new AVC 3 links C:heap to anon_vma P:heap",
			"anon_vma P:heap: num_children 1 -> 2",
			"anon_vma P:heap: its interval tree, in order, is now [AVC 1, AVC 3] (was [AVC 1])",
			"new anon_vma C:heap: root P:heap, parent P:heap, num_children 0, num_active_vmas 1",
			"mapcount 1 -> 2: pages 1, 2",
			"C:heap PTEs: 0: page 1, 1: page 2",
		}},
		{"exit of the parent", forkAfter(false), forkAfter(true), []string{
			"process P is gone",
			"VMA P:heap is gone (freed)",
			"AVC 1 of P:heap, to anon_vma P:heap, is gone (freed)",
			"anon_vma P:heap: num_active_vmas 1 -> 0",
			"anon_vma P:heap: its interval tree, in order, is now [AVC 3] (was [AVC 1, AVC 3])",
			"mapcount 2 -> 1: pages 1, 2",
		}},
	}
	for _, tt := range tests {
		var got []string
		for _, l := range ObservedLog(tt.before, tt.after) {
			if l.Func != ObservedFunc {
				t.Errorf("%s: %s: want every line from %q", tt.name, l, ObservedFunc)
			}
			got = append(got, l.Msg)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s:\ngot  %q\nwant %q", tt.name, got, tt.want)
		}
	}
}

func TestObservedLogSplitAndFree(t *testing.T) {
	before := forkAfter(true)
	after := forkAfter(true)
	// C's heap split by an mprotect of page 1, then page 2 zapped and
	// anon_vma P:heap freed.
	after.VMAs[1].End = 17
	after.VMAs[1].PTEs = after.VMAs[1].PTEs[:1]
	after.VMAs = append(after.VMAs, VMA{ID: 3, Proc: 2, Start: 17, End: 18, Pgoff: 17, AnonVMA: 2, Chain: []int{2, 3},
		PTEs: []PTE{{Kind: engine.PTEZero}}})
	after.Procs[1].VMAs = []int{2, 3}
	after.AnonVMAs[0].Gone, after.AnonVMAs[0].Freed = true, true
	after.Pages[1].Gone, after.Pages[1].Freed = true, true
	want := []string{
		"VMA C:heap[0..0] now covers pages 0x10..0x10, vm_pgoff 0x10 (was 0x10..0x11, 0x10)",
		"new VMA C:heap[1..1]: pages 0x11..0x11, vm_pgoff 0x11, read-only, anon_vma C:heap, chain [AVC 2, AVC 3]",
		"anon_vma P:heap is freed",
		"page 2 is freed",
		"C:heap[1..1] PTEs: 1: the zero page",
	}
	var got []string
	for _, l := range ObservedLog(before, after) {
		got = append(got, l.Msg)
	}
	if !slices.Equal(got, want) {
		t.Errorf("\ngot  %q\nwant %q", got, want)
	}
}

func TestObservedLogIsBounded(t *testing.T) {
	after := &Observation{}
	for i := 1; i <= 100; i++ {
		after.Procs = append(after.Procs, Proc{Name: fmt.Sprintf("P%d", i)})
	}
	log := ObservedLog(&Observation{}, after)
	if len(log) != maxObservedLines+1 || log[maxObservedLines].Msg != "60 more changes like these are not shown" {
		t.Errorf("100 changes gave %d lines, the last %q; want %d and a count of the rest", len(log), log[len(log)-1], maxObservedLines+1)
	}
}

// TestStepLogSaysWhatChanged runs a fork and a copy on write live and
// reads the lines the kernel's changes gave.
func TestStepLogSaysWhatChanged(t *testing.T) {
	model, err := engine.Lookup("6.18")
	if err != nil {
		t.Fatal(err)
	}
	s := open(t)
	steps := [][]string{{"spawn P", "mmap P heap 2 at 16", "write P:heap"}, {"fork P C"}, {"write C:heap:0"}}
	want := [][]string{
		{"process P, spawned with an empty mm", "new anon_vma P:heap: a root, num_children 1, num_active_vmas 1",
			"new page 1 at P:heap:0: page->mapping anon_vma P:heap, index 0x10, mapcount 1"},
		{"process C, a fork of P", "new anon_vma C:heap: root P:heap, parent P:heap, num_children 0, num_active_vmas 1",
			"anon_vma P:heap: num_children 1 -> 2", "mapcount 1 -> 2: pages 1, 2", "C:heap PTEs: 0: page 1, 1: page 2"},
		{"new page 3 at C:heap:0: page->mapping anon_vma C:heap, index 0x10, mapcount 1", "mapcount 2 -> 1: page 1",
			"C:heap PTEs: 0: page 3"},
	}
	for i, step := range steps {
		var evs []engine.Event
		for _, text := range step {
			evs = append(evs, event(t, text))
		}
		r, err := s.Step(evs, &model)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, l := range r.Log {
			got = append(got, l.String())
		}
		for _, w := range want[i] {
			if !slices.Contains(got, ObservedFunc+": "+w) {
				t.Errorf("step %d %q: no line %q in\n%s", i+1, step, w, strings.Join(got, "\n"))
			}
		}
	}
}
