package main

import (
	"errors"
	"fmt"
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
	case "text", "json", "junit":
		return !o.update || o.golden != ""
	}
	return false
}

func runCheck(c *cli, args []string) int {
	fs := c.flags("check")
	var opt checkOptions
	fs.StringVar(&opt.format, "format", "text", "the report on standard output: text, json, or junit (JUnit XML, for CI)")
	fs.StringVar(&opt.golden, "golden", "", "compare each step's diagram (DOT) with the copy stored in `DIR`/<story>/step-N-<kernel>.dot")
	fs.BoolVar(&opt.update, "update", false, "with --golden, store the diagrams as they are now rather than compare them")
	paths, code, ok := c.parse(fs, args)
	if !ok {
		return code
	}
	if !opt.valid() {
		c.errorf("check takes --format text, json or junit, and --update only with --golden DIR")
		fs.Usage()
		return exitInput
	}
	if len(paths) == 0 {
		paths = []string{"stories"}
	}
	r := report.New(loadEach(paths, c.limits))
	if opt.golden != "" && r.LoadedAll() {
		if err := pinned.Check(r, opt.golden, opt.update); err != nil {
			c.errorf("%v", err)
			if errors.As(err, new(pinned.InputError)) {
				return exitInput
			}
			return exitFailed
		}
	}
	return c.report(r, opt)
}

// report prints r: problems and failures on standard error, one a line,
// and the summary; in the json and junit formats, the report itself on
// standard output.
func (c *cli) report(r *report.Report, opt checkOptions) int {
	r.PrintText(c.stderr)
	code := r.ExitCode()
	switch {
	case opt.format == "json":
		r.WriteJSON(c.stdout)
	case opt.format == "junit":
		r.WriteJUnit(c.stdout)
	case code == exitOK:
		fmt.Fprintln(c.stdout, r.OKLine())
	}
	if code == exitOK && opt.format != "text" {
		fmt.Fprintln(c.stderr, r.OKLine())
	}
	return code
}

// inputError is a problem of the stories, found while building.
type inputError struct{ error }

// tally counts what a check found.
type tally struct {
	checks, failed, unnamed int
}

// addDrawn prints a drawn story's failures and counts them.
func (t *tally) addDrawn(c *cli, d illustrate.Page) {
	for _, f := range d.Failures {
		fmt.Fprintln(c.stderr, f)
		if f.Unnamed {
			t.unnamed++
		} else {
			t.failed++
		}
	}
	t.checks += d.Checks
}

func (t *tally) summary(stories int) string {
	var parts []string
	if t.failed > 0 {
		parts = append(parts, fmt.Sprintf("%d of %d expectations failed", t.failed, t.checks))
	}
	if t.unnamed > 0 {
		parts = append(parts, fmt.Sprintf("%d step(s) broke an invariant or oopsed without an expectation saying so", t.unnamed))
	}
	return fmt.Sprintf("%s, in %d stories", strings.Join(parts, "; "), stories)
}
