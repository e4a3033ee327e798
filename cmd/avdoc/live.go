package main

import "github.com/avdoc/avdoc/cmd/avdoc/internal/storyfile"

// runLive compares stories run on this machine's kernel with a model.
func runLive(c *cli, args []string) int {
	fs := c.flags("live")
	model := fs.String("model", "6.18", "compare with model `M`")
	rf := randomFlagSet(fs)
	paths, code, ok := c.parse(fs, args)
	if ok && rf.on() {
		return c.liveRandom(rf, *model, paths)
	}
	if ok && rf.stray() != "" {
		c.errorf("live: %s is a flag of --random", rf.stray())
		return exitInput
	}
	if ok {
		code = storyfile.Live(c.stdout, c.stderr, *model, paths)
	}
	return code
}
