package main

import (
	"context"
	"fmt"
	"os"
	"strconv"

	"github.com/avdoc/avdoc/cmd/avdoc/internal/storyfile"
	"github.com/avdoc/avdoc/illustrate"
	"github.com/avdoc/avdoc/mdbook"
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
	format illustrate.Format
	out    string
}

func runRender(c *cli, args []string) int {
	fs := c.flags("render")
	step := fs.String("step", "", "the step to draw, counting from 1, or all for a film strip of every step (required)")
	kernel := fs.String("kernel", "", "the kernel model to draw (default: the story's first)")
	theme := fs.String("theme", "light", "the colours: light or dark")
	format := fs.String("format", "svg", "the output format: "+illustrate.FormatNames())
	out := fs.String("o", "", "the file to write (default: standard output)")
	files, code, ok := c.parse(fs, args)
	if !ok {
		return code
	}
	req, ok := renderArgs(files, *step, *kernel, *theme, *format, *out)
	if !ok {
		c.errorf("render takes one story FILE, --step N (1 or more) or --step all, --theme light or dark, and --format %s", illustrate.FormatNames())
		fs.Usage()
		return exitInput
	}
	return c.render(req)
}

// renderArgs checks the arguments of `avdoc render`.
func renderArgs(files []string, step, kernel, theme, format, out string) (renderRequest, bool) {
	req := renderRequest{kernel: kernel, out: out, theme: render.ThemeLight}
	if theme == "dark" {
		req.theme = render.ThemeDark
	}
	f, known := illustrate.FormatNamed(format)
	req.format = f
	n, err := strconv.Atoi(step)
	switch {
	case len(files) != 1, !known, theme != "light" && theme != "dark":
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
	res, err := storyfile.Load(req.file, c.limits)
	if err != nil {
		fmt.Fprintln(c.stderr, err)
		return exitInput
	}
	k, err := illustrate.RunIndex(res, req.kernel)
	if err != nil {
		c.errorf("%s: %v", req.file, err)
		return exitInput
	}
	if steps := len(res.Runs[k].Steps); req.step > steps {
		c.errorf("%s has %d steps; --step %d is past the last", req.file, steps, req.step)
		return exitInput
	}
	data, err := drawRequest(context.Background(), res, k, req)
	if err != nil {
		c.errorf("%s: %v", req.file, err)
		return exitFailed
	}
	if code := c.output(req.out, data); code != exitOK {
		return code
	}
	return c.renderFailures(res.Failures)
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

// drawRequest draws what req asks of run k of the story, on the same
// layout as the site: a standalone SVG, a film strip, placed DOT, or
// text.
func drawRequest(ctx context.Context, res *story.Result, k int, req renderRequest) ([]byte, error) {
	if p, ok := req.format.Printer(nil).(illustrate.Text); ok { // text needs no layout
		return illustrate.Figure(ctx, nil, res, k, req.step, req.theme, p)
	}
	rd, err := gv.New(ctx)
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	return illustrate.Figure(ctx, rd, res, k, req.step, req.theme, req.format.Printer(rd))
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

// runMdbook runs avdoc as an mdBook preprocessor (see package mdbook),
// rendering with Graphviz in this process.
func runMdbook(c *cli, args []string) int {
	return mdbook.Command(context.Background(), args, os.Stdin, c.stdout, c.stderr, gv.New, storyfile.Read)
}
