package livestory

import (
	"fmt"
	"io"

	"github.com/avdoc/avdoc/engine"
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

// Run compares every story that paths name on the running kernel with
// the model named model, printing each difference to out as
// `file:line:col: step N: ...` and each problem to errs, and returns the
// worst outcome. It stops at once when the kernel cannot be read.
func Run(out, errs io.Writer, model string, paths []string, files Files) int {
	m, err := engine.Lookup(model)
	if err != nil || len(paths) == 0 {
		fmt.Fprintf(errs, "avdoc: live: %v\n", orNoPaths(err))
		return BadInput
	}
	worst := Agree
	for _, p := range paths {
		fs, err := files.Expand(p)
		if err != nil {
			fmt.Fprintf(errs, "avdoc: %v\n", err)
			worst = max(worst, BadInput)
		}
		for _, f := range fs {
			if worst = max(worst, runFile(out, errs, f, m, files.Parse)); worst == NoKernel {
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
func runFile(out, errs io.Writer, file string, model engine.Model, parse func(string) (*story.Story, error)) int {
	s, err := parse(file)
	var res *Comparison
	if err == nil {
		res, err = Compare(s, model)
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
