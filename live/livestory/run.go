package livestory

import (
	"fmt"
	"io"
	"os"

	"github.com/avdoc/avdoc/engine"
	"github.com/avdoc/avdoc/live/swapdev"
	"github.com/avdoc/avdoc/story"
)

// The outcomes of [Run], `avdoc live`'s exit codes.
const (
	Agree    = 0 // the kernel and the model agree on every story
	Differ   = 1 // they differ somewhere
	BadInput = 2 // a story, path or model name is wrong
	NoKernel = 3 // the running kernel cannot be read here
)

// Files says where stories are: Expand lists the story files a path
// names, Parse reads one.
type Files struct {
	Expand func(path string) ([]string, error)
	Parse  func(file string) (*story.Story, error)
}

// Options are `avdoc live`'s.
type Options struct {
	Model string // the model to compare with (`--model`)
	// Swap is the kind of swap device to set up for the run's swap
	// events (`--swap`), 0 for none; SwapDir is where a swap file's
	// directory goes ("" for the system's temporary directory).
	Swap    swapdev.Kind
	SwapDir string
}

// Run compares every story that paths name on the running kernel with
// the model opts.Model, printing each difference to out as
// `file:line:col: step N: ...` and each problem to errs, and returns the
// worst outcome. It stops at once when the kernel cannot be read. With
// opts.Swap it sets up a swap device for the run and tears it down at
// the end, or on SIGINT or SIGTERM, which end the process.
func Run(out, errs io.Writer, opts Options, paths []string, files Files) int {
	m, err := engine.Lookup(opts.Model)
	if err != nil || len(paths) == 0 {
		fmt.Fprintf(errs, "avdoc: live: %v\n", orNoPaths(err))
		return BadInput
	}
	if opts.Swap == 0 {
		return runAll(out, errs, m, 0, paths, files)
	}
	dev := swapdev.New(opts.Swap, opts.SwapDir)
	defer dev.ExitOnInterrupt(func(sig os.Signal, err error) {
		fmt.Fprintf(errs, "avdoc: live: interrupted (%v); the swap device is torn down%s\n", sig, failed(err))
	})()
	if err := dev.Setup(); err != nil {
		fmt.Fprintf(errs, "avdoc: live: --swap %s: %v\n", opts.Swap, err)
		return NoKernel
	}
	for _, c := range dev.Cleaned() {
		fmt.Fprintf(errs, "avdoc: live: removed %s, a swap device that a killed avdoc left on\n", c)
	}
	worst := runAll(out, errs, m, opts.Swap, paths, files)
	if err := dev.Close(); err != nil {
		fmt.Fprintf(errs, "avdoc: live: tearing down the swap device %s: %v\n", dev.Path(), err)
		worst = max(worst, NoKernel)
	}
	return worst
}

// failed words a teardown's error for a report: "" if none.
func failed(err error) string {
	if err == nil {
		return ""
	}
	return fmt.Sprintf(", but: %v", err)
}

// runAll compares the stories of paths with model m, swapping to a
// device of kind swap (0: none), and returns the worst outcome.
func runAll(out, errs io.Writer, m engine.Model, swap swapdev.Kind, paths []string, files Files) int {
	worst := Agree
	for _, p := range paths {
		fs, err := files.Expand(p)
		if err != nil {
			fmt.Fprintf(errs, "avdoc: %v\n", err)
			worst = max(worst, BadInput)
		}
		for _, f := range fs {
			if worst = max(worst, runFile(out, errs, f, m, swap, files.Parse)); worst == NoKernel {
				return worst
			}
		}
	}
	return worst
}

func orNoPaths(err error) error {
	if err != nil {
		return err
	}
	return fmt.Errorf("name at least one story file or directory")
}

// runFile compares one story file and returns its outcome.
func runFile(out, errs io.Writer, file string, model engine.Model, swap swapdev.Kind, parse func(string) (*story.Story, error)) int {
	s, err := parse(file)
	var res *Comparison
	if err == nil {
		res, err = Compare(s, model, swap)
	}
	switch {
	case Unavailable(err):
		fmt.Fprintf(errs, "avdoc: live: %v\n", err)
		return NoKernel
	case err != nil:
		fmt.Fprintln(errs, err)
		return BadInput
	}
	for _, d := range res.Differences {
		fmt.Fprintln(out, d)
	}
	if len(res.Differences) > 0 {
		return Differ
	}
	return Agree
}
