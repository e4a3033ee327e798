package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/avdoc/avdoc/engine"
)

// runModels lists the kernel models and the fixes a story can switch on a
// base model, one line each, with the commits they come from.
func runModels(c *cli, args []string) int {
	fs := c.flags("models")
	if _, code, ok := c.parse(fs, args); !ok {
		return code
	}
	w := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "MODEL\tWHAT IT DOES\tCOMMITS")
	for _, m := range engine.Models() {
		commits := strings.Join(m.Commits, " ")
		if commits == "" {
			commits = "-"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\n", m.Name, m.Summary, commits)
	}
	fmt.Fprintln(w, "\nFIX\tWHAT IT CHANGES (use as `fixes: [NAME]` on a base model)\tCOMMIT")
	for _, f := range engine.Fixes() {
		fmt.Fprintf(w, "%s\t%s\t%s\n", f.Name, f.Title, f.Commit)
	}
	w.Flush()
	return exitOK
}
