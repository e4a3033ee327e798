package compare

import (
	"os"
	"testing"

	"github.com/avdoc/avdoc/story"
)

// BenchmarkKernelsRik compares the two kernels of
// stories/07-rik-1000.yaml step by step, as the site does: 1001 processes
// and up to 1,001,000 pages under each. The story is run once, outside the
// timing.
func BenchmarkKernelsRik(b *testing.B) {
	src, err := os.ReadFile("../../stories/07-rik-1000.yaml")
	if err != nil {
		b.Fatal(err)
	}
	s, err := story.Parse("07-rik-1000.yaml", src)
	if err != nil {
		b.Fatal(err)
	}
	res, err := story.Execute(s)
	if err != nil {
		b.Fatal(err)
	}
	runs := runsOf(res)
	for b.Loop() {
		Kernels(runs)
	}
}
