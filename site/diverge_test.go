package site

import (
	"slices"
	"testing"
)

// TestDifferences: a step of several kernels says where they part ways in outcome, then
// passes on what the caller saw in the states; one kernel, or kernels that agree, say
// nothing.
func TestDifferences(t *testing.T) {
	a, b := Frame{Kernel: "A"}, Frame{Kernel: "B"}
	with := func(f Frame, edit func(*Frame)) Frame { edit(&f); return f }
	broken := with(a, func(f *Frame) { f.Violations = []string{"R2: y", "R1: x", "R1: z"} })
	oops := with(a, func(f *Frame) { f.Oopses = []string{"page_referenced: freed"} })
	holds := func(f Frame, ok bool) Frame {
		return with(f, func(f *Frame) { f.Checks = []Check{{Text: "clean", OK: ok}, {Text: "only " + f.Kernel, OK: ok}} })
	}
	tests := []struct {
		name string
		step Step
		want []string
	}{
		{"one kernel", Step{Frames: []Frame{broken}, Differs: []string{"ignored"}}, nil},
		{"kernels agree", Step{Frames: []Frame{a, b}}, nil},
		{"agree on what breaks", Step{Frames: []Frame{broken, with(broken, func(f *Frame) { f.Kernel = "B" })}}, nil},
		{"invariants, by name, once each", Step{Frames: []Frame{broken, b}},
			[]string{"Invariants broken: R1, R2 under A; none under B."}},
		{"an oops", Step{Frames: []Frame{b, oops}},
			[]string{"Oops (an rmap walk into freed memory): no under B; yes under A."}},
		{"an expectation both kernels have, and not one only one has", Step{Frames: []Frame{holds(a, false), holds(b, true)}},
			[]string{"clean: fails under A; holds under B."}},
		{"three kernels, grouped by value", Step{Frames: []Frame{oops, b, with(oops, func(f *Frame) { f.Kernel = "C" })}},
			[]string{"Oops (an rmap walk into freed memory): yes under A, C; no under B."}},
		{"the caller's differences come last", Step{Frames: []Frame{oops, b}, Differs: []string{"P:heap:0 maps: x under A; y under B."}},
			[]string{"Oops (an rmap walk into freed memory): yes under A; no under B.", "P:heap:0 maps: x under A; y under B."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := differences(tt.step); !slices.Equal(got, tt.want) {
				t.Errorf("differences:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}
