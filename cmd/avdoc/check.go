package main

import "fmt"

func runCheck(c *cli, args []string) int {
	fs := c.flags("check")
	paths, code, ok := c.parse(fs, args)
	if !ok {
		return code
	}
	if len(paths) == 0 {
		paths = []string{"stories"}
	}
	stories, err := loadAll(paths)
	if err != nil {
		fmt.Fprintln(c.stderr, err)
		return exitInput
	}
	failures, checks := 0, 0
	for _, l := range stories {
		for _, f := range l.result.Failures {
			fmt.Fprintln(c.stderr, f)
			failures++
		}
		for _, r := range l.result.Runs {
			for _, s := range r.Steps {
				checks += len(s.Checks)
			}
		}
	}
	if failures > 0 {
		fmt.Fprintf(c.stderr, "%d of %d expectations failed in %d stories\n", failures, checks, len(stories))
		return exitFailed
	}
	fmt.Fprintf(c.stdout, "ok: %d stories, %d expectations hold\n", len(stories), checks)
	return exitOK
}
