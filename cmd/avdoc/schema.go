package main

import "github.com/avdoc/avdoc/story/schema"

// runSchema prints the story schema: `avdoc schema`.
func runSchema(c *cli, args []string) int {
	fs := c.flags("schema")
	if _, code, ok := c.parse(fs, args); !ok {
		return code
	}
	out, err := schema.JSON()
	if err != nil {
		c.errorf("%v", err)
		return exitFailed
	}
	c.stdout.Write(out)
	return exitOK
}
