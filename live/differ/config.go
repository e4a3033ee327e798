package differ

import (
	"fmt"
	"slices"
	"strings"

	"github.com/avdoc/avdoc/engine"
	"github.com/avdoc/avdoc/engine/explore"
)

// Config says what to test.
type Config struct {
	Model engine.Model
	Kinds []string // event kinds, as explore names them; nil means DefaultKinds
	Procs int      // the most live processes; 0 means 3
	Pages int      // pages of the region every sequence starts with; 0 means 2
	Depth int      // events after the setup; 0 means 8
	Seed  uint64
	N     int // sequences to run
	// MaxRuns bounds the live runs shrinking may take; 0 means 400.
	MaxRuns int
	// Progress, if set, is called after each sequence with how many ran.
	Progress func(done int)
}

// DefaultKinds are the events of a random sequence unless the caller
// says otherwise: processes, faults and mappings.
func DefaultKinds() []string { return []string{"write", "read", "fork", "exit", "mmap", "munmap"} }

// Kinds are the event kinds the live kernel runs: explore's, without
// swap (swapout, evict) and hibernation. Of madvise, only MADV_DONTNEED.
func Kinds() []string {
	return slices.DeleteFunc(explore.Kinds(), func(k string) bool { return !liveKind(k) })
}

func liveKind(k string) bool { return k != "swapout" && k != "evict" && k != "hibernate" }

// withDefaults fills in what was left at zero.
func (c Config) withDefaults() Config {
	c.Procs = cmpOr(c.Procs, 3)
	c.Pages = cmpOr(c.Pages, 2)
	c.Depth = cmpOr(c.Depth, 8)
	c.MaxRuns = cmpOr(c.MaxRuns, 400)
	if c.Kinds == nil {
		c.Kinds = DefaultKinds()
	}
	return c
}

func cmpOr(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

// Validate reports a configuration that cannot run.
func (c Config) Validate() error {
	for _, k := range c.Kinds {
		switch {
		case !liveKind(k) && slices.Contains(explore.Kinds(), k):
			return fmt.Errorf("--events %s: the live kernel cannot run it here (swap events need a swap device; hibernation never runs live); choose from %s", k, strings.Join(Kinds(), ","))
		case !slices.Contains(Kinds(), k):
			return fmt.Errorf("--events: unknown event kind %q (choose from %s)", k, strings.Join(Kinds(), ","))
		}
	}
	if c.N < 1 || c.N > 1_000_000 {
		return fmt.Errorf("--random %d: choose 1 to 1000000 sequences", c.N)
	}
	return explore.CheckSize(c.Procs, c.Pages, c.Depth)
}
