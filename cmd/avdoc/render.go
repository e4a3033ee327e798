package main

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/avdoc/avdoc/render/gv"
	"github.com/avdoc/avdoc/story"
)

func runRender(c *cli, args []string) int {
	fs := c.flags("render")
	step := fs.Int("step", 0, "the step to draw, counting from 1 (required)")
	kernel := fs.String("kernel", "", "the kernel model to draw (default: the story's first)")
	format := fs.String("format", "svg", "the output format: svg or dot")
	out := fs.String("o", "", "the file to write (default: standard output)")
	files, code, ok := c.parse(fs, args)
	if !ok {
		return code
	}
	if len(files) != 1 || *step < 1 || (*format != "svg" && *format != "dot") {
		c.errorf("render takes one story FILE, --step N (1 or more) and --format svg or dot")
		fs.Usage()
		return exitInput
	}
	l, err := load(files[0])
	if err != nil {
		fmt.Fprintln(c.stderr, err)
		return exitInput
	}
	run, err := pickRun(l.result, *kernel)
	if err != nil {
		c.errorf("%s: %v", files[0], err)
		return exitInput
	}
	if *step > len(run.Steps) {
		c.errorf("%s has %d steps; --step %d is past the last", files[0], len(run.Steps), *step)
		return exitInput
	}
	data := frameDOT(run, *step-1)
	if *format == "svg" {
		if data, err = svg(data); err != nil {
			c.errorf("%v", err)
			return exitFailed
		}
	}
	return c.output(*out, data)
}

func pickRun(res *story.Result, kernel string) (*story.Run, error) {
	if kernel == "" {
		return &res.Runs[0], nil
	}
	i := slices.IndexFunc(res.Runs, func(r story.Run) bool { return r.Kernel.Model.Name == kernel })
	if i < 0 {
		return nil, fmt.Errorf("the story does not run kernel %s (it runs %s)", kernel, strings.Join(res.Story.KernelNames(), ", "))
	}
	return &res.Runs[i], nil
}

func svg(dot []byte) ([]byte, error) {
	ctx := context.Background()
	rd, err := gv.New(ctx)
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	return rd.SVG(ctx, dot)
}

func (c *cli) output(path string, data []byte) int {
	if path == "" {
		c.stdout.Write(data)
		return exitOK
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		c.errorf("%v", err)
		return exitFailed
	}
	return exitOK
}
