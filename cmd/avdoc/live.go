package main

import "github.com/avdoc/avdoc/cmd/avdoc/internal/storyfile"

// runLive compares stories run on this machine's kernel with a model.
func runLive(c *cli, args []string) int {
	fs := c.flags("live")
	model := fs.String("model", "6.18", "compare with model `M`")
	swap := fs.String("swap", "", "run swap events on a small swap device of kind `zram|file`, set up for the run and torn down after it (it serves the whole machine meanwhile)")
	paths, code, ok := c.parse(fs, args)
	if ok {
		code = storyfile.Live(c.stdout, c.stderr, *model, *swap, paths)
	}
	return code
}
