package main

import (
	"os"
	"time"

	"github.com/avdoc/avdoc/cmd/avdoc/internal/progress"
)

// showProgress starts showing the progress of cmd on c's standard error
// if it is a terminal and not in CI, and routes c's output through it.
// It draws on the terminal as given (c.term), its own escapes unquoted.
// The caller must call Finish.
func (c *cli) showProgress(cmd string) *progress.Line {
	if !progress.Wanted(writesToTerminal(c.term), os.Getenv) {
		return progress.Off()
	}
	p := progress.New(c.term, cmd, time.Now)
	c.stdout, c.stderr = p.Writer(c.stdout), p.Writer(c.stderr)
	p.Start()
	return p
}
