package pidfig

import (
	"testing"

	"github.com/avdoc/avdoc/live/pidfig/shtree"
)

// BenchmarkReadShellTree is the cost of one avdoc live --pid reading
// (BPF programs loaded, struct page calibrated with an agent, three
// processes read), against BenchmarkMapsOfShellTree, the baseline: the
// same processes' /proc/PID/maps read and parsed, which is what a tool
// that only lists mappings does.
func BenchmarkReadShellTree(b *testing.B) {
	pids := benchTree(b)
	for b.Loop() {
		if _, err := Read(pids[0], DefaultLimits()); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMapsOfShellTree(b *testing.B) {
	pids := benchTree(b)
	for b.Loop() {
		for _, p := range pids {
			if _, err := readMaps(p); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func benchTree(b *testing.B) [3]int {
	if _, err := Read(1, Limits{Procs: 1}); ExitCode(err) == ExitNoKernel {
		b.Skip(err)
	}
	return shtree.Start(b)
}
