package livestory

import (
	"strings"
	"testing"

	"github.com/avdoc/avdoc/story"
)

// BenchmarkStoryModel is the baseline: the two-step fork story under
// the 6.18 model alone.
func BenchmarkStoryModel(b *testing.B) {
	benchStory(b, strings.Replace(forkStory, "kernels: [6.18, live]", "kernel: 6.18", 1))
}

// BenchmarkStoryLive is the same story on the running kernel alone: a
// session opened (BPF programs loaded, struct page calibrated), two
// observed steps, and the session closed.
func BenchmarkStoryLive(b *testing.B) {
	benchStory(b, strings.Replace(forkStory, "kernels: [6.18, live]", "kernel: live", 1))
}

func benchStory(b *testing.B, src string) {
	s, err := story.Parse("t.yaml", []byte(src))
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < b.N; i++ {
		res, err := story.ExecuteOn(s, Machines)
		if Unavailable(err) {
			b.Skip(err)
		}
		if err != nil || len(res.Failures) != 0 {
			b.Fatal(err, res.Failures)
		}
	}
}
