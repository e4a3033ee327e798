package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/avdoc/avdoc/cmd/avdoc/internal/gvpool"
	"github.com/avdoc/avdoc/render/gv"
)

// renderWorkerCmd is the hidden command that makes avdoc a render worker
// of a [gvpool.Pool]: it is not in commands(), so neither help nor the
// command list shows it, and main dispatches it before run.
const renderWorkerCmd = "__render-worker"

// runRenderWorker serves render requests from stdin on stdout with an
// in-process Graphviz until stdin ends, then returns 0. Its stderr is the
// pool's, which shows it only in its error messages.
func runRenderWorker(stdin io.Reader, stdout, stderr io.Writer) int {
	// A Ctrl-C in the terminal reaches the whole process group: leave it
	// to the parent, which closes or kills its workers as it stops.
	signal.Ignore(os.Interrupt)
	ctx := context.Background()
	rd, err := gv.New(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "avdoc %s: %v\n", renderWorkerCmd, err)
		return exitFailed
	}
	defer rd.Close()
	if err := gvpool.Serve(ctx, stdin, stdout, rd); err != nil {
		fmt.Fprintf(stderr, "avdoc %s: %v\n", renderWorkerCmd, err)
		return exitFailed
	}
	return exitOK
}

// newRenderPool returns a pool of avdoc processes rendering with `avdoc
// __render-worker`, re-executing this very binary, as opts say (their
// Command is set here). It starts no process until the first render.
func newRenderPool(opts gvpool.Options) (*gvpool.Pool, error) {
	return gvpool.NewSelf(opts, renderWorkerCmd)
}
