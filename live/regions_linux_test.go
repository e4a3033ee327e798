package live

import (
	"testing"

	"github.com/avdoc/avdoc/engine"
)

// TestInRegions: a VMA counts when it overlaps a story region, even in
// part; one beside or between regions (the agent's runtime) does not.
func TestInRegions(t *testing.T) {
	regions := []engine.Region{{Name: "a", Start: 16, Pages: 2}, {Name: "b", Start: 32, Pages: 1}}
	for _, tt := range []struct {
		start, end uint64
		want       bool
	}{{16, 18, true}, {17, 20, true}, {10, 17, true}, {18, 32, false}, {0, 16, false}, {33, 40, false}, {31, 33, true}} {
		if got := inRegions(regions, tt.start, tt.end); got != tt.want {
			t.Errorf("inRegions([%d,%d)) = %v, want %v", tt.start, tt.end, got, tt.want)
		}
	}
}
