package main

import (
	"bytes"
	"image/png"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/avdoc/avdoc/internal/golden"
)

// twoKernels is a story of three steps under two kernels of different
// designs, whose title needs escaping.
const twoKernels = `title: Fork & "share"
kernels: [2.6.33, 6.18]
steps:
  - do: [spawn P, mmap P heap 1, write P:heap:0]
  - do: fork P C
  - do: write C:heap:0
`

// nestedSVG finds the panels of a composed figure: x, y, width, height.
var nestedSVG = regexp.MustCompile(`(?m)^<svg x="([0-9.]+)" y="([0-9.]+)" width="([0-9.]+)" height="([0-9.]+)"`)

// captionRE finds a composed figure's captions.
var captionRE = regexp.MustCompile(`(?m)^<text x="[0-9.]+" y="[0-9.]+" font-family="Arial" font-size="14" font-weight="bold" fill="[^"]+">([^<]*)</text>`)

// TestRenderFigures: render composes what it is asked for into one
// figure: the panels, in order, under captions naming the step (and the
// kernel, side by side), with one legend under them all, the legend
// alone, or none; DOT is a graph per frame.
func TestRenderFigures(t *testing.T) {
	dir := t.TempDir()
	mustWrite(t, filepath.Join(dir, "story.yaml"), twoKernels)
	tests := []struct {
		args     []string
		panels   int      // nested <svg>s, the legend's included; 0: a drawing alone
		captions []string // in order
		legend   bool
		want     []string
		avoid    []string
	}{
		{[]string{"--step", "2"}, 2, nil, true,
			[]string{"<title>Fork &amp; &quot;share&quot;: step 2 of 3, kernel 2.6.33</title>", `id="vma2"`, "anon_vma-&gt;head"}, []string{`id="legend"`}},
		{[]string{"--step", "2", "--legend", "none"}, 0, nil, false, []string{`id="vma2"`}, []string{"anon_vma-&gt;head"}},
		{[]string{"--step", "2", "--legend", "only"}, 0, nil, true,
			[]string{"<title>Fork &amp; &quot;share&quot;: legend</title>", "<desc>Legend: anon_vma-&gt;head"}, []string{`id="vma2"`, `id="s2-vma2"`}},
		{[]string{"--step", "all"}, 4, []string{"Step 1: spawn P, mmap P heap 1, write P:heap:0", "Step 2: fork P C", "Step 3: write C:heap:0"}, true,
			[]string{`id="s1-vma1"`, `id="s3-vma2"`, "<title>Fork &amp; &quot;share&quot;, kernel 2.6.33</title>"}, nil},
		{[]string{"--steps", "3,1", "--columns", "1", "--legend", "none"}, 2, []string{"Step 3: write C:heap:0", "Step 1: spawn P, mmap P heap 1, write P:heap:0"}, false,
			[]string{`id="s3-vma2"`}, []string{`id="s2-`}},
		{[]string{"--kernel", "all", "--step", "2"}, 3, []string{"2.6.33 · Step 2: fork P C", "6.18 · Step 2: fork P C"}, true,
			[]string{`id="k1-s2-vma2"`, `id="k2-s2-vma2"`, "anon_vma-&gt;head", "same_vma list", "kernels 2.6.33, 6.18"}, nil},
		{[]string{"--kernel", "6.18,2.6.33", "--steps", "1-2", "--legend", "none"}, 4,
			[]string{"6.18 · Step 1: spawn P, mmap P heap 1, write P:heap:0", "2.6.33 · Step 1: spawn P, mmap P heap 1, write P:heap:0", "6.18 · Step 2: fork P C", "2.6.33 · Step 2: fork P C"}, false,
			[]string{"kernels 6.18, 2.6.33"}, nil},
		{[]string{"--kernel", "all", "--legend", "only", "--step", "all"}, 0, nil, true, []string{"anon_vma-&gt;head", "same_vma list"}, []string{`vma1"`}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, out, stderr := avdoc(t, dir, append([]string{"render", "story.yaml"}, tt.args...)...)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if n := len(nestedSVG.FindAllString(out, -1)); n != tt.panels || strings.Count(out, "<svg") != tt.panels+1 {
				t.Errorf("%d panels (%d <svg>), want %d", n, strings.Count(out, "<svg"), tt.panels)
			}
			var captions []string
			for _, m := range captionRE.FindAllStringSubmatch(out, -1) {
				captions = append(captions, m[1])
			}
			if strings.Join(captions, "|") != strings.Join(tt.captions, "|") {
				t.Errorf("captions %q, want %q", captions, tt.captions)
			}
			if got := strings.Contains(out, `id="key-legend"`); got != tt.legend {
				t.Errorf("legend drawn: %v, want %v", got, tt.legend)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("lacks %q", w)
				}
			}
			for _, a := range tt.avoid {
				if strings.Contains(out, a) {
					t.Errorf("has %q", a)
				}
			}
		})
	}
}

// TestRenderCrops: a frame drawn without its legend is cropped to what
// it shows: step 1, before the fork, is smaller than step 3 on the same
// story-wide layout, where uncropped they would be the same size.
func TestRenderCrops(t *testing.T) {
	dir := t.TempDir()
	mustWrite(t, filepath.Join(dir, "story.yaml"), twoKernels)
	size := func(step string) (w, h float64) {
		code, out, stderr := avdoc(t, dir, "render", "story.yaml", "--step", step, "--legend", "none")
		m := regexp.MustCompile(`<svg width="([0-9.]+)pt" height="([0-9.]+)pt"`).FindStringSubmatch(out)
		if code != exitOK || m == nil {
			t.Fatalf("step %s: exit %d, no size: %s", step, code, stderr)
		}
		w, _ = strconv.ParseFloat(m[1], 64)
		h, _ = strconv.ParseFloat(m[2], 64)
		return w, h
	}
	w1, h1 := size("1")
	w3, h3 := size("3")
	if w1 > w3 || h1 >= h3 {
		t.Errorf("step 1 is %v×%v, step 3 %v×%v: step 1 not cropped", w1, h1, w3, h3)
	}
}

// TestRenderFigureGolden pins the page of one composed figure, two
// kernels side by side over two steps with the legend under them: its
// size, each panel's place and size, and the captions.
func TestRenderFigureGolden(t *testing.T) {
	dir := t.TempDir()
	mustWrite(t, filepath.Join(dir, "story.yaml"), twoKernels)
	code, out, stderr := avdoc(t, dir, "render", "story.yaml", "--kernel", "all", "--steps", "1-2")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var outline []string
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "<svg") || strings.HasPrefix(line, "<rect width") || captionRE.MatchString(line) ||
			strings.HasPrefix(line, "<title>") && len(outline) == 1 {
			outline = append(outline, line)
		}
	}
	golden.Check(t, "testdata/render/two-kernels.outline", []byte(strings.Join(outline, "\n")+"\n"))
}

// TestRenderDOTStream: frames in DOT, which cannot share a graph, are a
// stream of graphs, step by step and kernel by kernel, each with its
// legend, as Graphviz reads them (`neato -n2 -Tsvg -O` writes one SVG
// per graph).
func TestRenderDOTStream(t *testing.T) {
	dir := t.TempDir()
	mustWrite(t, filepath.Join(dir, "story.yaml"), twoKernels)
	tests := []struct {
		args           []string
		graphs, legend int
	}{
		{[]string{"--kernel", "all", "--step", "all"}, 6, 6},
		{[]string{"--steps", "2-3", "--legend", "none"}, 2, 0},
		{[]string{"--step", "1"}, 1, 1},
	}
	for _, tt := range tests {
		code, out, stderr := avdoc(t, dir, append([]string{"render", "story.yaml", "--format", "dot"}, tt.args...)...)
		if code != exitOK {
			t.Fatalf("%v: exit %d: %s", tt.args, code, stderr)
		}
		if n, l := strings.Count(out, "digraph avdoc {"), strings.Count(out, `class="legend"`); n != tt.graphs || l != tt.legend {
			t.Errorf("%v: %d graphs with %d legends, want %d and %d", tt.args, n, l, tt.graphs, tt.legend)
		}
	}
}

// TestRenderBadFlags: a bad value of a flag is one line saying what is
// wrong and what would do, exit 2, without the usage; values checked
// against the story name its step count or its kernels.
func TestRenderBadFlags(t *testing.T) {
	dir := t.TempDir()
	mustWrite(t, filepath.Join(dir, "story.yaml"), twoKernels)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--step", "1", "--format", "gif"}, `avdoc render: unknown format "gif": use svg`},
		{[]string{"--step", "1", "--legend", "above"}, `avdoc render: unknown legend "above": use below, none or only`},
		{[]string{"--step", "1", "--theme", "blue"}, `avdoc render: unknown theme "blue": use light or dark`},
		{[]string{"--step", "x"}, `avdoc render: --step "x": want a step number, 1 or more, or all`},
		{[]string{"--step", "4"}, `avdoc render: story.yaml: --step 4: step 4 is past the last (the story has 3 steps)`},
		{[]string{"--steps", "1,5"}, `avdoc render: story.yaml: --steps 1,5: step 5 is past the last (the story has 3 steps)`},
		{[]string{"--steps", "3-2"}, `avdoc render: story.yaml: --steps 3-2: 3-2 runs backwards: write 2-3 (the story has 3 steps)`},
		{[]string{"--steps", "1,x"}, `avdoc render: story.yaml: --steps 1,x: "x" is not a step or a range of steps like 4-6 (the story has 3 steps)`},
		{[]string{"--steps", "0-2"}, `avdoc render: story.yaml: --steps 0-2: there is no step 0: steps count from 1 (the story has 3 steps)`},
		{[]string{"--steps", "1-2,2"}, `avdoc render: story.yaml: --steps 1-2,2: step 2 is asked for twice (the story has 3 steps)`},
		{[]string{"--step", "2", "--steps", "1"}, `avdoc render: --step 2 and --steps 1: give one step, or --steps alone`},
		{[]string{"--step", "all", "--columns", "0"}, `avdoc render: --columns "0": want a whole number, 1 or more`},
		{[]string{"--step", "all", "--kernel", "all", "--columns", "2"}, `avdoc render: story.yaml: --columns wraps the film strip of one kernel; with several, each row is a step`},
		{[]string{"--step", "1", "--kernel", "3.7"}, `avdoc render: story.yaml: the story does not run kernel 3.7 (it runs 2.6.33, 6.18)`},
		{[]string{"--step", "1", "--kernel", "6.18,6.18"}, `avdoc render: story.yaml: kernel 6.18 is named twice`},
		{[]string{"--step", "1", "--legend", "only", "--format", "dot"}, `avdoc render: --legend only draws a figure: use --format svg`},
		{[]string{"--step", "1", "--scale", "2"}, `avdoc render: --scale sizes a PNG: add --format png`},
		{[]string{"--step", "1", "--format", "png", "--scale", "17"}, `avdoc render: --scale "17": want pixels per point, more than 0 and at most 16`},
		{[]string{"--step", "1", "--format", "png", "--scale", "NaN"}, `avdoc render: --scale "NaN": want pixels per point`},
	}
	for _, tt := range tests {
		code, out, stderr := avdoc(t, dir, append([]string{"render", "story.yaml"}, tt.args...)...)
		if code != exitInput || out != "" || !strings.HasPrefix(stderr, tt.want) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, stdout %d bytes, stderr %q; want exit 2 and one line %q", tt.args, code, len(out), stderr, tt.want)
		}
	}
}

// TestRenderFormats: PDF and PNG are what they say, a PNG is as large as
// --scale makes it, and the same request gives the same bytes.
func TestRenderFormats(t *testing.T) {
	dir := t.TempDir()
	mustWrite(t, filepath.Join(dir, "story.yaml"), twoKernels)
	size := func(args ...string) (int, int, []byte) {
		t.Helper()
		code, out, stderr := avdoc(t, dir, append([]string{"render", "story.yaml", "--step", "2"}, args...)...)
		if code != exitOK {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
		if !strings.HasPrefix(out, "\x89PNG") {
			return 0, 0, []byte(out)
		}
		cfg, err := png.DecodeConfig(strings.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		return cfg.Width, cfg.Height, []byte(out)
	}
	w1, h1, _ := size("--format", "png", "--scale", "1")
	w3, h3, a := size("--format", "png", "--scale", "3")
	_, _, b := size("--format", "png", "--scale", "3")
	if w1 < 100 || w3 < 3*w1-3 || w3 > 3*w1+3 || h3 < 3*h1-3 || h3 > 3*h1+3 || !bytes.Equal(a, b) {
		t.Errorf("PNG at scale 1: %d×%d, at scale 3: %d×%d; want three times as large, and the same bytes twice", w1, h1, w3, h3)
	}
	_, _, pdf := size("--format", "pdf")
	_, _, pdf2 := size("--format", "pdf")
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) || !bytes.Contains(pdf, []byte("/FontFile2")) || !bytes.Equal(pdf, pdf2) {
		t.Errorf("the PDF (%d bytes) is not a PDF with its fonts embedded, or differs from run to run", len(pdf))
	}
}
