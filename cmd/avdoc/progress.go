package main

import (
	"io"
	"os"
	"time"

	"github.com/avdoc/avdoc/cmd/avdoc/internal/progress"
)

// showProgress starts showing the progress of cmd on c's standard error
// if it is a terminal and not in CI, and routes c's output through it.
// The caller must call Finish.
func (c *cli) showProgress(cmd string) *progress.Line {
	if !progress.Wanted(writesToTerminal(c.stderr), os.Getenv) {
		return progress.Off()
	}
	p := progress.New(c.stderr, cmd, time.Now)
	c.stdout, c.stderr = p.Writer(c.stdout), p.Writer(c.stderr)
	p.Start()
	return p
}

// writesToTerminal reports whether w is a terminal (see isTerminal).
func writesToTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && isTerminal(f)
}
