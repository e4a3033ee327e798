package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/avdoc/avdoc/render"
	"github.com/avdoc/avdoc/render/gv"
	"github.com/avdoc/avdoc/story"
)

// renderRequest is what `avdoc render` was asked to draw.
type renderRequest struct {
	file   string
	step   int // 1-based; 0 for every step
	kernel string
	theme  render.Theme
	dot    bool // DOT rather than SVG
	out    string
}

func runRender(c *cli, args []string) int {
	fs := c.flags("render")
	step := fs.String("step", "", "the step to draw, counting from 1, or all for a film strip of every step (required)")
	kernel := fs.String("kernel", "", "the kernel model to draw (default: the story's first)")
	theme := fs.String("theme", "light", "the colours: light or dark")
	format := fs.String("format", "svg", "the output format: svg or dot")
	out := fs.String("o", "", "the file to write (default: standard output)")
	files, code, ok := c.parse(fs, args)
	if !ok {
		return code
	}
	req, ok := renderArgs(files, *step, *kernel, *theme, *format, *out)
	if !ok {
		c.errorf("render takes one story FILE, --step N (1 or more) or --step all, --theme light or dark, and --format svg or dot")
		fs.Usage()
		return exitInput
	}
	return c.render(req)
}

// renderArgs checks the arguments of `avdoc render`.
func renderArgs(files []string, step, kernel, theme, format, out string) (renderRequest, bool) {
	req := renderRequest{kernel: kernel, dot: format == "dot", out: out, theme: render.ThemeLight}
	if theme == "dark" {
		req.theme = render.ThemeDark
	}
	n, err := strconv.Atoi(step)
	switch {
	case len(files) != 1, format != "svg" && format != "dot", theme != "light" && theme != "dark":
		return req, false
	case step == "all":
	case err != nil || n < 1:
		return req, false
	default:
		req.step = n
	}
	req.file = files[0]
	return req, true
}

// render loads the story, draws what req asks for and writes it.
func (c *cli) render(req renderRequest) int {
	l, err := c.load(req.file)
	if err != nil {
		fmt.Fprintln(c.stderr, err)
		return exitInput
	}
	k, err := pickRun(l.result, req.kernel)
	if err != nil {
		c.errorf("%s: %v", req.file, err)
		return exitInput
	}
	if steps := len(l.result.Runs[k].Steps); req.step > steps {
		c.errorf("%s has %d steps; --step %d is past the last", req.file, steps, req.step)
		return exitInput
	}
	data, err := drawRequest(context.Background(), l.result, k, req)
	if err != nil {
		c.errorf("%s: %v", req.file, err)
		return exitFailed
	}
	if code := c.output(req.out, data); code != exitOK {
		return code
	}
	return c.renderFailures(l.result.Failures)
}

// renderFailures reports the story's failed expectations, as check
// does, after render has drawn what the simulation shows: exit 1 if
// there are any, as the README says.
func (c *cli) renderFailures(failures []story.Failure) int {
	if len(failures) == 0 {
		return exitOK
	}
	for _, f := range failures {
		fmt.Fprintln(c.stderr, f)
	}
	c.errorf("%s failed; the diagram shows what the simulation did", counted(len(failures), "expectation", "expectations"))
	return exitFailed
}

// pickRun returns the index of the run of the named kernel, or of the
// first run when kernel is empty.
func pickRun(res *story.Result, kernel string) (int, error) {
	if kernel == "" {
		return 0, nil
	}
	i := slices.IndexFunc(res.Runs, func(r story.Run) bool { return r.Kernel.Model.Name == kernel })
	if i < 0 {
		return 0, fmt.Errorf("the story does not run kernel %s (it runs %s)", kernel, strings.Join(res.Story.KernelNames(), ", "))
	}
	return i, nil
}

// drawRequest draws the story on the same layout as the site, in the
// requested theme, and returns run k's step (or all its steps) as a
// standalone SVG or as placed DOT.
func drawRequest(ctx context.Context, res *story.Result, k int, req renderRequest) ([]byte, error) {
	rd, err := gv.New(ctx)
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	st := drawStyle{theme: req.theme, prefixed: req.step == 0}
	d, err := drawStory(ctx, rd, res, st)
	if err != nil {
		return nil, err
	}
	switch {
	case req.dot && req.step == 0:
		var b bytes.Buffer
		for _, p := range d.pics[k] {
			b.Write(d.lay.Place(p))
		}
		return b.Bytes(), nil
	case req.dot:
		return d.lay.Place(d.pics[k][req.step-1]), nil
	case req.step == 0:
		return d.strip(ctx, rd, k, st)
	}
	return d.svg(ctx, rd, k, req.step-1, st)
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
