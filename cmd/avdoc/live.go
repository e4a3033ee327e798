package main

import (
	"context"

	"github.com/avdoc/avdoc/cmd/avdoc/internal/pidcmd"
	"github.com/avdoc/avdoc/cmd/avdoc/internal/storyfile"
	"github.com/avdoc/avdoc/illustrate"
)

// runLive compares stories run on this machine's kernel with a model.
func runLive(c *cli, args []string) int {
	fs := c.flags("live")
	model := fs.String("model", "6.18", "compare with model `M`")
	swap := fs.String("swap", "", "run swap events on a small swap device of kind `zram|file`, set up for the run and torn down after it (it serves the whole machine meanwhile)")
	record := fs.Bool("record", false, "run each story that runs the live kernel and write what it showed next to it (STORY.live.json), which check and build replay")
	pid := fs.String("pid", "", "instead of stories, draw the anon_vma graph of the running process `PID` and its descendants")
	format := fs.String("format", "svg", "with --pid: the figure's format, "+illustrate.FormatNames())
	rf := randomFlagSet(fs)
	paths, code, ok := c.parse(fs, args)
	if ok && *pid != "" {
		return pidcmd.Command{Stdout: c.stdout, Stderr: c.stderr, Binary: c.binary, BinaryTerminal: writesToTerminal(c.binary),
			Pid: *pid, Format: *format, Out: rf.out, Stories: paths, Random: rf.on(), Record: *record, Swap: *swap}.Run(context.Background())
	}
	if ok && *record {
		return storyfile.Record(c.stdout, c.stderr, paths, *swap != "" || rf.on() || rf.stray() != "")
	}
	if ok && rf.on() && *swap != "" {
		c.errorf("live: --random runs no swap events yet: leave out --swap")
		return exitInput
	}
	if ok && rf.on() {
		return c.liveRandom(rf, *model, paths)
	}
	if ok && rf.stray() != "" {
		c.errorf("live: %s", rf.stray())
		return exitInput
	}
	if ok {
		code = storyfile.Live(c.stdout, c.stderr, *model, *swap, paths)
	}
	return code
}
