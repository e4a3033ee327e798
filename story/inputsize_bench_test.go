package story

import (
	"fmt"
	"strings"
	"testing"
)

// inputShapes are stories that grow to any size in one direction that
// the parser and evaluator must handle in linear time: terms nested deep,
// a list with many items, many expectations on one line, and a nested
// expectation that fails (whose failure quotes every term).
var inputShapes = []struct {
	name string
	make func(size int) []byte
}{
	{"deep", func(size int) []byte { return deepStory(size, "av(P:heap)") }},
	{"deep-failing", func(size int) []byte { return deepStory(size, "NULL") }},
	{"wide", wideStory},
	{"flow", flowStory},
}

const storyHead = "title: T\nkernel: 2.6.36\nsteps:\n  - do: [spawn P, mmap P heap 1, write P:heap:0]\n    expect:\n"

// deepStory nests root() as deep as fits in size bytes, around
// av(P:heap), compared with want.
func deepStory(size int, want string) []byte {
	tail := " == " + want + "\n"
	n := (size - len(storyHead) - len("      - av(P:heap)") - len(tail)) / len("root()")
	return []byte(storyHead + "      - " + strings.Repeat("root(", n) + "av(P:heap)" + strings.Repeat(")", n) + tail)
}

// wideStory compares a count with a list of as many numbers as fit.
func wideStory(size int) []byte {
	n := (size - len(storyHead) - len("      - count(avc) in [1]\n")) / len("0, ")
	return []byte(storyHead + "      - count(avc) in [" + strings.Repeat("0, ", n) + "1]\n")
}

// flowStory writes as many expectations as fit in one flow list.
func flowStory(size int) []byte {
	n := (size - len(storyHead) - len("    expect: [clean]\n")) / len("clean, ")
	head := strings.TrimSuffix(storyHead, "    expect:\n")
	return []byte(head + "    expect: [" + strings.Repeat("clean, ", n) + "clean]\n")
}

// BenchmarkInputSize parses and executes stories of each shape from 1 KB
// to 1 MB. Handling is linear when ns/byte stays flat as the size grows;
// cpu-ns/byte, the CPU time the process used, is the steadier figure on
// a busy machine.
// The depth limit is raised out of the way, so that the deep shapes are
// parsed and evaluated all the way down (175,000 levels at 1 MB) rather
// than refused at the default's 100.
func BenchmarkInputSize(b *testing.B) {
	opt := Options{Limits: Limits{ExprDepth: 1 << 20}}
	for _, shape := range inputShapes {
		for _, size := range []int{1 << 10, 16 << 10, 128 << 10, 1<<20 - 1} {
			src := shape.make(size)
			b.Run(fmt.Sprintf("%s/%dKB", shape.name, (size+1)>>10), func(b *testing.B) {
				b.SetBytes(int64(len(src)))
				b.ReportAllocs()
				cpu := cpuTime()
				for b.Loop() {
					s, err := ParseWith("story.yaml", src, opt)
					if err != nil {
						b.Fatal(err)
					}
					if _, err := Execute(s); err != nil {
						b.Fatal(err)
					}
				}
				perByte := float64(b.N) * float64(len(src))
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/perByte, "ns/byte")
				b.ReportMetric(float64(cpuTime()-cpu)/perByte, "cpu-ns/byte")
			})
		}
	}
}
