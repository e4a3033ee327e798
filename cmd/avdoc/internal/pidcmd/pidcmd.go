// Package pidcmd is avdoc live --pid: the anon_vma graph of a running
// process and its descendants, read from the live kernel (package pidfig)
// and drawn as one figure in the story figures' visual language.
package pidcmd

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/avdoc/avdoc/illustrate"
	"github.com/avdoc/avdoc/live/pidfig"
	"github.com/avdoc/avdoc/render/gv"
)

// Command is one avdoc live --pid, its flags as given.
type Command struct {
	Stdout, Stderr io.Writer // text, quoted for a terminal
	Binary         io.Writer // standard output as given, for a PDF or a PNG
	// BinaryTerminal says Binary is a terminal: a PDF or PNG is refused there.
	BinaryTerminal bool
	Pid            string
	Format         string // a name of illustrate.Formats
	Out            string // the file to write; "": standard output
	// What else was asked of avdoc live, which --pid does not take.
	Stories []string
	Random  bool
	Record  bool
	Swap    string
	Limits  pidfig.Limits // zero: pidfig.DefaultLimits
}

// exitFailed is the exit code of a figure that could not be drawn or
// written, as `avdoc render`'s.
const exitFailed = 1

// Run reads and draws the processes: exit 0 drawn, 1 the figure could
// not be drawn or written, 2 bad input (no such process, a bad flag), 3
// the live kernel cannot be read here.
func (c Command) Run(ctx context.Context) int {
	pid, format, err := c.check()
	if err != nil {
		c.errorf("%v", err)
		return pidfig.ExitBadInput
	}
	lim := c.Limits
	if lim == (pidfig.Limits{}) {
		lim = pidfig.DefaultLimits()
	}
	res, err := pidfig.Read(pid, lim)
	if err != nil {
		c.errorf("%v", err)
		return pidfig.ExitCode(err)
	}
	for _, n := range res.Notes {
		c.errorf("note: %s", n)
	}
	data, err := draw(ctx, res, format)
	if err == nil {
		err = c.write(format, data)
	}
	if err != nil {
		c.errorf("%v", err)
		return exitFailed
	}
	return pidfig.ExitOK
}

// check checks the flags; each error is one line.
func (c Command) check() (int, illustrate.Format, error) {
	format, ok := illustrate.FormatNamed(c.Format)
	pid, err := strconv.Atoi(c.Pid)
	switch {
	case c.other() != "":
		return 0, format, fmt.Errorf("--pid draws a running process: it takes no %s", c.other())
	case err != nil || pid < 1:
		return 0, format, &pidfig.BadPidError{Pid: c.Pid, Reason: "want a process id, 1 or more"}
	case !ok:
		return 0, format, fmt.Errorf("--format %q: use %s", c.Format, illustrate.FormatNames())
	case binary(format) && c.Out == "" && c.BinaryTerminal:
		return 0, format, fmt.Errorf("a %s is not for a terminal: write it with -o FILE, or redirect", strings.ToUpper(format.Name))
	}
	return pid, format, nil
}

// other names what avdoc live was given that --pid does not take, or is "".
func (c Command) other() string {
	switch {
	case len(c.Stories) > 0:
		return "story files (got " + strconv.Quote(c.Stories[0]) + ")"
	case c.Random:
		return "--random"
	case c.Record:
		return "--record"
	case c.Swap != "":
		return "--swap"
	}
	return ""
}

func binary(f illustrate.Format) bool { return f.Name == "png" || f.Name == "pdf" }

// draw draws the one frame as `avdoc render` draws a story's: text runs
// no Graphviz.
func draw(ctx context.Context, res *pidfig.Result, f illustrate.Format) ([]byte, error) {
	if p, ok := f.Printer(nil).(illustrate.Text); ok {
		return illustrate.Figure(ctx, nil, res.Story, illustrate.Request{}, p)
	}
	rd, err := gv.New(ctx)
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	return illustrate.Figure(ctx, rd, res.Story, illustrate.Request{}, f.Printer(rd))
}

// write writes the figure to Out, or to standard output.
func (c Command) write(f illustrate.Format, data []byte) error {
	if c.Out != "" {
		return os.WriteFile(c.Out, data, 0o644)
	}
	w := c.Stdout
	if binary(f) {
		w = c.Binary
	}
	_, err := w.Write(data)
	return err
}

func (c Command) errorf(format string, args ...any) {
	fmt.Fprintf(c.Stderr, "avdoc: live: "+format+"\n", args...)
}
