package main

import (
	"context"
	"flag"
	"fmt"
	"runtime"

	"github.com/avdoc/avdoc/cmd/avdoc/internal/gvpool"
	"github.com/avdoc/avdoc/illustrate"
	"github.com/avdoc/avdoc/render/gv"
)

// jobsFlag registers -j on fs.
func jobsFlag(fs *flag.FlagSet) *int {
	return fs.Int("j", runtime.NumCPU(), "draw `N` stories at once, rendering in N Graphviz worker processes (1: all in this process)")
}

// closingRenderer is Graphviz to close when done.
type closingRenderer interface {
	illustrate.Graphviz
	Close() error
}

// startRenderer returns what to render with: a pool of that many
// Graphviz worker processes (go-graphviz cannot render on two goroutines
// at once, and its memory only grows), or, for 0 workers or when no
// worker can be started, Graphviz in this process.
func startRenderer(workers int) (closingRenderer, error) {
	if workers > 0 {
		if p, err := newRenderPool(gvpool.Options{Workers: workers}); err == nil {
			return p, nil
		}
		// No executable to start workers from: render here instead.
	}
	rd, err := gv.New(context.Background())
	if err != nil {
		return nil, fmt.Errorf("starting Graphviz: %w", err)
	}
	return rd, nil
}
