package differ

import (
	"fmt"
	"strings"
	"time"
)

// Summary says what a run of n sequences of seed did under model and
// found, a line or a few, as avdoc live --random prints it.
func (rep Report) Summary(n int, seed uint64, model string, took time.Duration) string {
	var b strings.Builder
	fmt.Fprintf(&b, "live --random: %d sequences, %d events on Linux %s, under model %s, seed %d, in %s\n",
		rep.Sequences, rep.Events, rep.Release, model, seed, took.Round(time.Millisecond))
	fd := rep.Found
	if fd == nil {
		if rep.Sequences == n {
			b.WriteString("they agree at every step\n")
		}
		return b.String()
	}
	fmt.Fprintf(&b, "they differ in sequence %d of seed %d (avdoc live --random %d --seed %d reaches it), at step %d: %s\n",
		fd.Index, seed, fd.Index+1, seed, fd.First.Step, fd.First.Diffs[0])
	again := ""
	if !fd.Again {
		again = " (but not again when run once more: it may not reproduce)"
	}
	fmt.Fprintf(&b, "shrunk from %d events to %d in %d live runs%s: %s\n", len(fd.Original.Events), len(fd.Shrunk.Events), fd.Runs, again, fd.Last.Diffs[0])
	for _, step := range fd.Shrunk.Steps() {
		for _, ev := range step {
			fmt.Fprintf(&b, "  %s\n", ev)
		}
	}
	return b.String()
}
