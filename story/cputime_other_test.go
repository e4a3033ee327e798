//go:build !unix

package story

import "time"

// cpuTime is not measured here: benchmarks report 0 CPU ns/byte.
func cpuTime() time.Duration { return 0 }
