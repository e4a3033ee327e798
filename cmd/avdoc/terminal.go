package main

import (
	"io"
	"os"

	"golang.org/x/term"
)

// isTerminal reports whether f is a terminal: a character device that
// answers a terminal's ioctl, which /dev/null does not.
func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

// writesToTerminal reports whether w is a terminal.
func writesToTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && isTerminal(f)
}
