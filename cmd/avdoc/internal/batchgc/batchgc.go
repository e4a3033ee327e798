// Package batchgc tunes Go's garbage collector for avdoc's batch
// commands (build, check, render and their render workers), which
// allocate much that dies young: go-graphviz gives every call into
// WebAssembly a fresh 10 KB stack, and a story's simulation makes and
// drops states step by step.
package batchgc

import (
	"os"
	"runtime/debug"
	"slices"
)

// The garbage collector's settings for a batch command: the heap may
// grow to five times what is live (Go's default is two), up to a soft
// limit that no build of stories within avdoc's limits reaches by what
// is live alone (story 07, a million pages, peaks at 0.2 GB).
const (
	percent = 400
	limit   = 1 << 30 // bytes
)

// Tune sets them, unless GOGC or GOMEMLIMIT set them already: a user's
// own settings win.
func Tune() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(percent)
	}
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set {
		debug.SetMemoryLimit(limit)
	}
}

// TuneFor tunes the collector if args, a command line less the program's
// name, runs one of the batch commands batch. Long-lived commands (serve,
// explore) keep Go's defaults: their live heap may pass the limit.
func TuneFor(args []string, batch ...string) {
	if len(args) > 0 && slices.Contains(batch, args[0]) {
		Tune()
	}
}
