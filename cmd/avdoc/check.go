package main

import (
	"fmt"
	"strings"
)

func runCheck(c *cli, args []string) int {
	fs := c.flags("check")
	paths, code, ok := c.parse(fs, args)
	if !ok {
		return code
	}
	stories, t, ok := c.runStories(paths)
	if !ok {
		return exitInput
	}
	if t.failed+t.unnamed > 0 {
		fmt.Fprintln(c.stderr, t.summary(len(stories)))
		return exitFailed
	}
	fmt.Fprintf(c.stdout, "ok: %d stories, %d expectations hold\n", len(stories), t.checks)
	return exitOK
}

// runStories parses and runs the stories in paths (stories/ if none), printing
// every failure as it counts it. ok is false, with the problems printed,
// when the input itself is wrong.
func (c *cli) runStories(paths []string) (stories []loaded, t tally, ok bool) {
	if len(paths) == 0 {
		paths = []string{"stories"}
	}
	stories, err := loadAll(paths)
	if err != nil {
		fmt.Fprintln(c.stderr, err)
		return nil, t, false
	}
	for _, l := range stories {
		t.add(c, l)
	}
	return stories, t, true
}

// tally counts what a check found.
type tally struct {
	checks, failed, unnamed int
}

// add prints a story's failures and counts them.
func (t *tally) add(c *cli, l loaded) {
	for _, f := range l.result.Failures {
		fmt.Fprintln(c.stderr, f)
		if f.Unnamed {
			t.unnamed++
		} else {
			t.failed++
		}
	}
	for _, r := range l.result.Runs {
		for _, s := range r.Steps {
			t.checks += len(s.Checks)
		}
	}
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
