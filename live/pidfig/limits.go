package pidfig

import (
	"errors"
	"fmt"
)

// Limits bound what one reading may take, so that a process with
// thousands of VMAs or millions of pages neither hangs avdoc nor exhausts
// its memory. What lies past a limit is left out, and a [Result]'s Notes
// say what.
type Limits struct {
	Procs int // processes read: the process and its first descendants, breadth first
	VMAs  int // anonymous VMAs read, over every process, in process then address order
	Pages int // page table entries read, over every VMA
}

// DefaultLimits are the limits of avdoc live --pid: beyond a few hundred
// objects a diagram is no longer legible (the renderer then draws a
// summary instead), and 256 Ki page table entries (1 GiB of address
// space) take well under a second to read.
func DefaultLimits() Limits { return Limits{Procs: 64, VMAs: 256, Pages: 1 << 18} }

// BadPidError says the pid names no process that can be drawn: exit 2.
type BadPidError struct {
	Pid    string
	Reason string
}

func (e *BadPidError) Error() string { return fmt.Sprintf("--pid %s: %s", e.Pid, e.Reason) }

// Exit codes, as avdoc live's.
const (
	ExitOK       = 0
	ExitBadInput = 2
	ExitNoKernel = 3
)

// ExitCode is the exit code of avdoc live --pid for err: 0 for none, 2
// for a pid that names nothing to draw, 3 when the live kernel cannot be
// read here (or failed while being read).
func ExitCode(err error) int {
	var bad *BadPidError
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &bad):
		return ExitBadInput
	}
	return ExitNoKernel // a *kread.UnavailableError, or a failure while reading
}
