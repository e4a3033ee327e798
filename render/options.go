package render

import "github.com/avdoc/avdoc/engine"

// Options says what [DOT] draws. The zero value draws every live process,
// its pages and page->mapping pointers, and a legend, with no PTEs, no swap
// slots, no rmap walk, no change marks and unprefixed ids, in the light
// theme.
type Options struct {
	HidePages  bool         // omit pages and page->mapping; default draws them
	PTEs       bool         // draw an edge from each VMA to every page it maps (needs pages); default off
	Swap       bool         // draw the swap slots, the swap cache and swap entries; default off
	Only       []string     // names of the processes to draw; nil or empty draws all live ones
	Collapse   []string     // names of processes to draw as stacks, a run of consecutive ones per stack
	Walk       *engine.Walk // the rmap walk to highlight; default none
	HideLegend bool         // omit the legend; default draws it
	ID         string       // prefix for every element id, e.g. "s3-"; default none
	Theme      Theme        // the colours; default light
	// Prev is the state before this step. When set, what appeared since is
	// marked "added", what changed "changed", a pointer that moved
	// "changed", and what went away is drawn once more, ghosted, as
	// "removed". Prev is drawn with these same options to compare.
	Prev *engine.State
	// MaxNodes is the most objects to draw, after collapsing runs of alike
	// processes and pages, before drawing a summary instead; 0 means
	// DefaultMaxNodes, negative no limit.
	MaxNodes int
}
