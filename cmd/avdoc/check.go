package main

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/avdoc/avdoc/cmd/avdoc/internal/pinned"
	"github.com/avdoc/avdoc/illustrate"
	"github.com/avdoc/avdoc/report"
)

// checkOptions are the flags of `avdoc check`.
type checkOptions struct {
	format string
	golden string // the directory of stored diagrams, or ""
	update bool   // rewrite the stored diagrams rather than compare
}

// valid reports whether the options make sense together.
func (o checkOptions) valid() bool {
	switch o.format {
	case "text", "json", "junit", "github":
		return !o.update || o.golden != ""
	}
	return false
}

func runCheck(c *cli, args []string) int {
	fs := c.flags("check")
	var opt checkOptions
	fs.StringVar(&opt.format, "format", "text", "the report on standard output: text, json, junit (JUnit XML, for CI) or github (GitHub Actions annotations and job summary)")
	fs.StringVar(&opt.golden, "golden", "", "compare each step's diagram (DOT) with the copy stored in `DIR`/<story>/step-N-<kernel>.dot")
	fs.BoolVar(&opt.update, "update", false, "with --golden, store the diagrams as they are now rather than compare them")
	paths, code, ok := c.parse(fs, args)
	if !ok {
		return code
	}
	if !opt.valid() {
		c.errorf("check takes --format text, json, junit or github, and --update only with --golden DIR")
		fs.Usage()
		return exitInput
	}
	if len(paths) == 0 {
		paths = []string{"stories"}
	}
	r := report.New(loadEach(paths, c.limits))
	if path := os.Getenv("GITHUB_STEP_SUMMARY"); opt.format == "github" && path != "" {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
		if err != nil {
			c.errorf("the job summary: %v", err)
			return exitFailed
		}
		defer f.Close()
		r.StepSummary = f
	}
	r.WorkDir, _ = os.Getwd() // for the paths of GitHub's annotations
	if opt.golden != "" && r.LoadedAll() {
		if err := pinned.Check(r, opt.golden, opt.update); err != nil {
			c.errorf("%v", err)
			if errors.As(err, new(pinned.InputError)) {
				return exitInput
			}
			return exitFailed
		}
	}
	return r.Write(c.stdout, c.stderr, opt.format)
}

// inputError is a problem of the stories, found while building.
type inputError struct{ error }

// tally counts what a build's stories checked and how many failed.
type tally = report.Tally

// tallyDrawn prints the failures of the stories drawn and counts them;
// the problems of the stories that could not be drawn are an inputError.
func tallyDrawn(c *cli, drawn []illustrate.Page) (tally, error) {
	var t tally
	var problems []string
	for _, d := range drawn {
		if d.Err != nil {
			problems = append(problems, d.Err.Error())
			continue
		}
		for _, f := range d.Failures {
			fmt.Fprintln(c.stderr, f)
		}
		t.Add(d.Failures, d.Checks)
	}
	if problems != nil {
		return t, inputError{errors.New(strings.Join(problems, "\n"))}
	}
	return t, nil
}
