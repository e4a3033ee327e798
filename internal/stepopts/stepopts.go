// Package stepopts turns a story step into the options it is drawn with:
// its display options (show:), its first walk, and the state before it,
// for the change marks. The site, `avdoc render`, `avdoc check --golden`
// and the benchmarks and tests that draw real frames all use it, so they
// draw the same pictures.
package stepopts

import (
	"github.com/avdoc/avdoc/render"
	"github.com/avdoc/avdoc/story"
)

// For returns the options step i (0-based) of run is drawn with.
func For(run *story.Run, i int) render.Options {
	sr := &run.Steps[i]
	opt := render.Options{
		HidePages: sr.Show.Pages != nil && !*sr.Show.Pages,
		PTEs:      sr.Show.PTEs != nil && *sr.Show.PTEs,
		Swap:      sr.Show.Swap != nil && *sr.Show.Swap,
		Only:      sr.Show.Only,
		Collapse:  sr.Show.Collapse,
	}
	if len(sr.Walks) > 0 {
		opt.Walk = &sr.Walks[0]
	}
	if i > 0 {
		opt.Prev = &run.Steps[i-1].State
	}
	return opt
}
