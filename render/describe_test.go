package render

import (
	"strings"
	"testing"

	"github.com/avdoc/avdoc/engine"
)

func TestDescribe(t *testing.T) {
	tests := []struct {
		name string
		st   *engine.State
		want string
	}{
		{"empty", &engine.State{}, "No live process."},
		{"single", single(),
			"Process P has VMA P:heap, linked through AVC 1 to anon_vma P:heap. " +
				"Page 1 (P:heap:0) is mapped once and points at anon_vma P:heap."},
		{"fork", fork(),
			"Process P has VMA P:heap, linked through AVC 1 to anon_vma P:heap. " +
				"Process C has VMA C:heap, linked through AVC 3 to anon_vma C:heap and AVC 2 to anon_vma P:heap. " +
				"Page 1 (P:heap:0, C:heap:0) is mapped 2 times and points at anon_vma P:heap."},
		{"cow", cow(),
			"Process P has VMA P:heap, linked through AVC 1 to anon_vma P:heap. " +
				"Process C has VMA C:heap, linked through AVC 3 to anon_vma C:heap and AVC 2 to anon_vma P:heap. " +
				"Page 1 (P:heap:0) is mapped once and points at anon_vma P:heap. " +
				"Page 2 (P:heap:1, C:heap:1) is mapped 2 times and points at anon_vma P:heap. " +
				"Page 3 (C:heap:0) is mapped once and points at anon_vma C:heap."},
		{"freed", freed(),
			"Process P has VMA P:heap, linked through AVC 1 to anon_vma P:heap. " +
				"Page 1 (P:heap:0) is mapped once and points at anon_vma C:heap (freed)."},
		{"swap", ptes(),
			"Process P has VMA P:heap, linked through AVC 1 to anon_vma P:heap. " +
				"Page 1 (P:heap:0) is mapped once and points at anon_vma P:heap. " +
				"Page 2 (P:heap:2) is in the swap cache, mapped 0 times, and points at anon_vma P:heap."},
		{"grouped and leaked", groupedLeak(),
			"Process P has 2 VMAs: VMA P:heap, linked through AVC 1 to anon_vma P:heap; " +
				"VMA P:stack, linked to no anon_vma. anon_vma leak is linked to no VMA. " +
				"Pages 1 (P:heap:0), 2 (P:heap:1) and 3 (P:heap:2) are each mapped once and point at anon_vma P:heap."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Describe(tc.st, Options{}); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

// groupedLeak has three alike pages, a VMA with no anon_vma and an
// anon_vma linked to nothing.
func groupedLeak() *engine.State {
	var f fixture
	p := f.proc("P", 0)
	v := f.vma(p, "heap", 0x100, 3)
	a := f.prepare(v, "P:heap")
	for i := range 3 {
		f.page(v, i, a)
	}
	f.vma(p, "stack", 0x200, 1)
	f.av("leak")
	return &f.st
}

// TestDescribeFollowsOptions: the description covers what the drawing
// shows: no pages when they are hidden, only the processes drawn, and an
// inventory past the node limit.
func TestDescribeFollowsOptions(t *testing.T) {
	st := cow()
	all := Describe(st, Options{})
	tests := []struct {
		opt        Options
		has, lacks string
	}{
		{Options{HidePages: true}, "Process P", "Page 2"},
		{Options{Only: []string{"C"}}, "Process C", "Process P"},
		{Options{MaxNodes: 2}, "Too many objects to describe one by one", "Process"},
	}
	if !strings.Contains(all, "Page 2") || !strings.Contains(all, "Process P") {
		t.Fatalf("the full description lacks what the test relies on:\n%s", all)
	}
	for _, tt := range tests {
		got := Describe(st, tt.opt)
		if !strings.Contains(got, tt.has) || strings.Contains(got, tt.lacks) {
			t.Errorf("Describe(%+v) = %q; want %q and not %q", tt.opt, got, tt.has, tt.lacks)
		}
	}
}
