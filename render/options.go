package render

import "github.com/avdoc/avdoc/engine"

// Options says what [DOT] draws. The zero value draws every live process,
// its pages and page->mapping pointers, and a legend, with no PTEs, no rmap
// walk and unprefixed ids.
type Options struct {
	HidePages  bool         // omit pages and page->mapping; default draws them
	PTEs       bool         // draw an edge from each VMA to every page it maps (needs pages); default off
	Only       []string     // names of the processes to draw; nil or empty draws all live ones
	Walk       *engine.Walk // the rmap walk to highlight; default none
	HideLegend bool         // omit the legend; default draws it
	ID         string       // prefix for every element id, e.g. "s3-"; default none
	MaxNodes   int          // the most objects to draw before drawing a summary instead; 0 means DefaultMaxNodes, negative no limit
}
