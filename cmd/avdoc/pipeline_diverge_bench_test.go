package main

import "testing"

// BenchmarkStateDiffsRik compares the two kernels of
// stories/07-rik-1000.yaml step by step, as the site does: 1001 processes
// and up to 1,001,000 pages under each. The story is run once, outside the
// timing.
func BenchmarkStateDiffsRik(b *testing.B) {
	l, err := load("../../stories/07-rik-1000.yaml")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		stateDiffs(l.result)
	}
}
