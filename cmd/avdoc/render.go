package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/avdoc/avdoc/cmd/avdoc/internal/storyfile"
	"github.com/avdoc/avdoc/illustrate"
	"github.com/avdoc/avdoc/mdbook"
	"github.com/avdoc/avdoc/render"
	"github.com/avdoc/avdoc/render/gv"
	"github.com/avdoc/avdoc/story"
)

// renderUsage is the synopsis of `avdoc render`, naming its formats.
func renderUsage() string {
	var formats []string
	for _, f := range illustrate.Formats() {
		formats = append(formats, f.Name)
	}
	return "avdoc render FILE --step N|all|--steps LIST [--columns N] [--kernel K|all|K,K] [--legend below|none|only] [--theme light|dark] [--format " +
		strings.Join(formats, "|") + "] [--scale S] [-o OUT]"
}

// renderFlags are the flags of `avdoc render`, as given.
type renderFlags struct {
	step, steps, kernel, theme, format, legend, columns, scale, out string
}

// renderRequest is what `avdoc render` was asked to draw, its flags
// checked; the steps and kernels are checked against the story.
type renderRequest struct {
	file      string
	format    illustrate.Format
	figure    bool // the format's printer composes figures
	legend    illustrate.Legend
	theme     render.Theme
	columns   int
	scale     float64 // a PNG's pixels per point; 0: the default
	out       string
	kernel    string // as --kernel gives them
	steps     string // as --step N or --steps gives them; "": every step
	stepsFlag string // which of the two
}

func runRender(c *cli, args []string) int {
	fs := c.flags("render")
	var f renderFlags
	fs.StringVar(&f.step, "step", "", "the step to draw, counting from 1, or all for a film strip of every step (required unless --steps)")
	fs.StringVar(&f.steps, "steps", "", "the steps of the film strip, e.g. 2,4-6 (with --step all, or alone)")
	fs.StringVar(&f.kernel, "kernel", "", "the kernel model to draw, all for every kernel of the story side by side, or a list, e.g. 2.6.34,6.18 (default: the story's first)")
	fs.StringVar(&f.theme, "theme", "light", "the colours: light or dark")
	fs.StringVar(&f.format, "format", "svg", "the output format: "+illustrate.FormatNames())
	fs.StringVar(&f.legend, "legend", "below", "the legend of a figure: "+illustrate.LegendNames()+" (DOT and text: below keeps it in each picture)")
	fs.StringVar(&f.columns, "columns", "", "wrap a film strip of one kernel after `N` frames a row (default: one row)")
	fs.StringVar(&f.scale, "scale", "", fmt.Sprintf("a PNG's pixels per point, up to 16 (default %g)", float64(illustrate.DefaultScale)))
	fs.StringVar(&f.out, "o", "", "the file to write (default: standard output)")
	files, code, ok := c.parse(fs, args)
	if !ok {
		return code
	}
	if len(files) != 1 || f.step == "" && f.steps == "" {
		c.errorf("render takes one story FILE and --step N (1 or more), --step all or --steps LIST")
		fs.Usage()
		return exitInput
	}
	req, err := renderArgs(files[0], f)
	if err != nil {
		fmt.Fprintf(c.stderr, "avdoc render: %v\n", err)
		return exitInput
	}
	return c.render(req)
}

// renderArgs checks the flags of `avdoc render` that do not depend on
// the story; each error is one line.
func renderArgs(file string, f renderFlags) (renderRequest, error) {
	req := renderRequest{file: file, out: f.out, kernel: f.kernel, steps: f.steps, stepsFlag: "--steps"}
	var ok bool
	if req.format, ok = illustrate.FormatNamed(f.format); !ok {
		return req, fmt.Errorf("unknown format %q: use %s", f.format, illustrate.FormatNames())
	}
	_, req.figure = req.format.Printer(nil).(illustrate.FigurePrinter)
	if req.legend, ok = illustrate.LegendNamed(f.legend); !ok {
		return req, fmt.Errorf("unknown legend %q: use %s", f.legend, illustrate.LegendNames())
	}
	switch f.theme {
	case "light":
	case "dark":
		req.theme = render.ThemeDark
	default:
		return req, fmt.Errorf("unknown theme %q: use light or dark", f.theme)
	}
	switch {
	case f.step != "" && f.step != "all" && f.steps != "":
		return req, fmt.Errorf("--step %s and --steps %s: give one step, or --steps alone", f.step, f.steps)
	case f.step != "" && f.step != "all":
		if n, err := strconv.Atoi(f.step); err != nil || n < 1 {
			return req, fmt.Errorf("--step %q: want a step number, 1 or more, or all", f.step)
		}
		req.steps, req.stepsFlag = f.step, "--step"
	}
	if f.columns != "" {
		n, err := strconv.Atoi(f.columns)
		if err != nil || n < 1 {
			return req, fmt.Errorf("--columns %q: want a whole number, 1 or more", f.columns)
		}
		req.columns = n
	}
	if f.scale != "" {
		n, err := strconv.ParseFloat(f.scale, 64)
		switch {
		case f.format != "png":
			return req, fmt.Errorf("--scale sizes a PNG: add --format png")
		case err != nil || !(n > 0 && n <= 16):
			return req, fmt.Errorf("--scale %q: want pixels per point, more than 0 and at most 16", f.scale)
		}
		req.scale = n
	}
	if req.legend == illustrate.LegendOnly && !req.figure {
		return req, fmt.Errorf("--legend only draws a figure: use --format %s", illustrate.FigureFormatNames())
	}
	return req, nil
}

// request is what req asks of the story: its kernels and steps, checked
// against it.
func (req renderRequest) request(res *story.Result) (illustrate.Request, error) {
	r := illustrate.Request{Theme: req.theme, Legend: req.legend, Columns: req.columns}
	var err error
	if r.Runs, err = illustrate.RunIndexes(res, req.kernel); err != nil {
		return r, err
	}
	if len(r.Runs) > 1 && req.columns > 0 {
		return r, fmt.Errorf("--columns wraps the film strip of one kernel; with several, each row is a step")
	}
	if req.steps == "" {
		return r, nil // every step
	}
	if r.Steps, err = illustrate.ParseSteps(req.steps, len(res.Story.Steps)); err != nil {
		return r, fmt.Errorf("%s %s: %w", req.stepsFlag, req.steps, err)
	}
	return r, nil
}

// render loads the story, draws what req asks for and writes it.
func (c *cli) render(req renderRequest) int {
	res, err := storyfile.Load(req.file, c.limits)
	if err != nil {
		fmt.Fprintln(c.stderr, err)
		return exitInput
	}
	r, err := req.request(res)
	if err != nil {
		fmt.Fprintf(c.stderr, "avdoc render: %s: %v\n", req.file, err)
		return exitInput
	}
	binary := req.format.Name == "png" || req.format.Name == "pdf"
	if binary && req.out == "" && writesToTerminal(c.binary) {
		c.errorf("a %s is not for a terminal: write it with -o FILE, or redirect", strings.ToUpper(req.format.Name))
		return exitInput
	}
	data, err := drawRequest(context.Background(), res, r, req)
	if err != nil {
		c.errorf("%s: %v", req.file, err)
		return exitFailed
	}
	out := c.stdout
	if binary {
		out = c.binary
	}
	if code := c.output(out, req.out, data); code != exitOK {
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

// drawRequest draws what r asks of the story, on the same layout as the
// site, in req's format. Text needs no layout: it runs no Graphviz.
func drawRequest(ctx context.Context, res *story.Result, r illustrate.Request, req renderRequest) ([]byte, error) {
	if p, ok := req.format.Printer(nil).(illustrate.Text); ok {
		return illustrate.Figure(ctx, nil, res, r, p)
	}
	rd, err := gv.New(ctx)
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	p := req.format.Printer(rd)
	if png, ok := p.(illustrate.PNG); ok && req.scale > 0 {
		png.Scale = req.scale
		p = png
	}
	return illustrate.Figure(ctx, rd, res, r, p)
}

// output writes data to path, or to w when path is "".
func (c *cli) output(w io.Writer, path string, data []byte) int {
	if path == "" {
		w.Write(data)
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
