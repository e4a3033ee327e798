package mdbook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/avdoc/avdoc/illustrate"
	"github.com/avdoc/avdoc/render/gv"
	"github.com/avdoc/avdoc/story"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/renderer/html"
)

var (
	gvOnce sync.Once
	gvInst *gv.Renderer
	gvErr  error
)

// preprocessor is the preprocessor as the CLI makes it, reading files
// with os.ReadFile; Graphviz is started once for every test.
func preprocessor(t *testing.T) *Preprocessor {
	t.Helper()
	gvOnce.Do(func() { gvInst, gvErr = gv.New(context.Background()) })
	if gvErr != nil {
		t.Fatal(gvErr)
	}
	read := func(file string, _ int64) ([]byte, error) { return os.ReadFile(file) }
	return &Preprocessor{Illustrator: &illustrate.Illustrator{Limits: story.DefaultLimits(), Graphviz: gvInst,
		Printer: illustrate.SVG{}, Jobs: 1, Read: read}}
}

// bookChapters decodes the chapters' contents of a book, by name, in
// either shape.
func bookChapters(t *testing.T, book []byte) map[string]string {
	t.Helper()
	chs, err := chapters(book)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, ch := range chs {
		out[ch.name] = ch.content
	}
	return out
}

// skeleton is the book with every chapter's content taken out.
func skeleton(t *testing.T, book []byte) string {
	t.Helper()
	chs, err := chapters(book)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	last := 0
	for _, ch := range chs {
		if ch.end > 0 {
			b.Write(book[last:ch.start])
			last = ch.end
		}
	}
	b.Write(book[last:])
	return b.String()
}

// TestProcessBothShapes: in both of mdBook's shapes, the directives
// become the story and the figure, every other byte of the book stays
// as it was, and the result is the book alone, as JSON.
func TestProcessBothShapes(t *testing.T) {
	for _, fixture := range []string{"book-0.4.json", "book-0.5.json"} {
		t.Run(fixture, func(t *testing.T) {
			in, err := os.ReadFile(filepath.Join("testdata", fixture))
			if err != nil {
				t.Fatal(err)
			}
			out, err := preprocessor(t).Process(context.Background(), in)
			if err != nil {
				t.Fatal(err)
			}
			var raw []json.RawMessage
			if err := json.Unmarshal(in, &raw); err != nil || !json.Valid(out) {
				t.Fatalf("input %v; output valid JSON %v", err, json.Valid(out))
			}
			if got, want := skeleton(t, out), skeleton(t, raw[1]); got != want {
				t.Errorf("the book outside the chapters' contents changed:\n%s\nwant\n%s", got, want)
			}
			before, after := bookChapters(t, raw[1]), bookChapters(t, out)
			if after["Intro"] != before["Intro"] || after["Draft"] != "" || !bytes.Contains(out, []byte(`"content":"# Intro\n`)) && !bytes.Contains(out, []byte(`"content": "# Intro\n`)) {
				t.Errorf("a chapter without directives changed: %q", after["Intro"])
			}
			checkStory(t, after["Fork"])
			checkFigure(t, after["One figure"])
		})
	}
}

// checkStory: the whole story, between the chapter's own text; the
// escaped directive written as is.
func checkStory(t *testing.T, got string) {
	t.Helper()
	head, tail := "# Fork\n\nBefore.\n\n<div class=\"avdoc-story\">\n", "</div>\n\n\nAfter, and written as is: {{#avdoc stories/fork.yaml}}\n"
	if !strings.HasPrefix(got, head) || !strings.HasSuffix(got, tail) {
		t.Errorf("the chapter's text around the story changed:\n%s", got)
	}
	for text, n := range map[string]int{
		"<svg ":                          4, // 2 steps, 2 kernels
		"<section class=\"avdoc-step\">": 2,
		"<li>✓ <code>chain(C:heap:0) == [av(C:heap), av(P:heap)]</code> (2.6.36)</li>":   1,
		"<p>P maps two pages and writes both; they belong to <em>P's</em> anon_vma.</p>": 1,
		"<code>fork P C</code>": 1,
		"<script>":              0,
		"{{#include":            0,
		"&#123;{#include":       1,
		"<?xml":                 0,
		`id="avdoc4-vma1"`:      1, // each figure's ids its own
	} {
		if c := strings.Count(got, text); c != n {
			t.Errorf("%q %d times, want %d", text, c, n)
		}
	}
	checkMarkdown(t, got, 4)
}

// checkFigure: one figure, with its description and caption.
func checkFigure(t *testing.T, got string) {
	t.Helper()
	if !strings.HasPrefix(got, "# One figure\n\n<figure class=\"avdoc-figure\" style=\"overflow-x: auto; margin: 1em 0\">\n<svg ") || !strings.HasSuffix(got, "</figure>\n\n\nThe end.\n") {
		t.Errorf("the figure's chapter:\n%s", got)
	}
	for _, want := range []string{"<desc>Process P has VMA P:heap", "<figcaption>Fork chains the child to its parent&#39;s anon_vma: step 2 of 2, kernel 2.6.36</figcaption>",
		"<title>Fork chains the child to its parent's anon_vma: step 2 of 2, kernel 2.6.36</title>"} {
		if !strings.Contains(got, want) {
			t.Errorf("no %q in the figure", want)
		}
	}
	checkMarkdown(t, got, 1)
}

// checkMarkdown renders the chapter as CommonMark, as mdBook does (raw
// HTML passed on): the figures come out whole, none of them taken for
// Markdown (no paragraph or code block inside an SVG).
func checkMarkdown(t *testing.T, chapter string, svgs int) {
	t.Helper()
	var b bytes.Buffer
	if err := goldmark.New(goldmark.WithRendererOptions(html.WithUnsafe())).Convert([]byte(chapter), &b); err != nil {
		t.Fatal(err)
	}
	h := b.String()
	for _, svg := range regexp.MustCompile(`(?s)<svg .*?</svg>`).FindAllString(h, -1) {
		if strings.Contains(svg, "<p>") || strings.Contains(svg, "<pre>") || strings.Contains(svg, "<em>") {
			t.Errorf("Markdown got into an SVG:\n%s", svg)
		}
		svgs--
	}
	if svgs != 0 {
		t.Errorf("%d SVGs fewer than expected in the rendered chapter", svgs)
	}
}

// oneChapter is mdBook 0.5's input with one chapter, src/ch.md.
func oneChapter(t *testing.T, content string) []byte {
	t.Helper()
	c, err := json.Marshal(content)
	if err != nil {
		t.Fatal(err)
	}
	return []byte(`[{"root":"testdata/book","config":{"book":{"src":"src"}},"renderer":"html","mdbook_version":"0.5.0"},` +
		`{"items":[{"Chapter":{"name":"Ch","content":` + string(c) + `,"number":[1],"sub_items":[],"path":"ch.md","source_path":"ch.md","parent_names":[]}}]}]`)
}

// TestProcessErrors: a bad directive, a story that does not load or
// whose claims fail, and input that is not mdBook's stop the book, with
// the chapter's file:line:col and, for a story, its own positions.
func TestProcessErrors(t *testing.T) {
	tests := []struct {
		name, content string
		input         bool
		want          []string // lines of the error, in order
	}{
		{"no file", "# T\n\n{{#avdoc }}\n", true,
			[]string{"src/ch.md:3:1: {{#avdoc }}: no story file (write {{#avdoc FILE}} for a story, {{#avdoc FILE step=N [kernel=K]}} for one step's figure)"}},
		{"typo", "é {{#avdoc stories/fork.yaml stpe=2}}", true,
			[]string{`src/ch.md:1:3: {{#avdoc stories/fork.yaml stpe=2}}: unknown option "stpe=2" (did you mean "step"?)`}},
		{"step 0", "{{#avdoc stories/fork.yaml step=0}}", true, []string{`step="0": want a step number, 1 or more`}},
		{"kernel alone", "{{#avdoc stories/fork.yaml kernel=2.6.34}}", true, []string{"kernel=2.6.34 without step=N"}},
		{"past the end", "\n\n  {{#avdoc stories/fork.yaml step=3}}", true,
			[]string{"src/ch.md:3:3: {{#avdoc stories/fork.yaml step=3}}: the story has 2 steps"}},
		{"unknown kernel", "{{#avdoc stories/fork.yaml step=1 kernel=9.9}}", true,
			[]string{"the story does not run kernel 9.9 (it runs 2.6.34, 2.6.36)"}},
		{"missing", "{{#avdoc stories/gone.yaml}}", true,
			[]string{"src/ch.md:1:1: {{#avdoc stories/gone.yaml}}: the story cannot be checked", "testdata/book/stories/gone.yaml"}},
		{"malformed", "{{#avdoc stories/malformed.yaml}}", true,
			[]string{"the story cannot be checked", `testdata/book/stories/malformed.yaml:4:19: unknown event "frob"`}},
		{"fails, twice", "{{#avdoc stories/wrong.yaml}}\n{{#avdoc stories/wrong.yaml step=1}}", false,
			[]string{"src/ch.md:1:1: {{#avdoc stories/wrong.yaml}}: 1 of the story's claims do not hold",
				"testdata/book/stories/wrong.yaml:6:9: step 1 (kernel 2.6.34): expected count(page) == 2, got count(page) is 1",
				"src/ch.md:2:1: {{#avdoc stories/wrong.yaml step=1}}: 1 of the story's claims do not hold"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := preprocessor(t).Process(context.Background(), oneChapter(t, tt.content))
			var e *Error
			if !errors.As(err, &e) || out != nil {
				t.Fatalf("got %q, %v; want an *Error", out, err)
			}
			if e.Input != tt.input || !inOrder(err.Error(), tt.want) {
				t.Errorf("error (input %v):\n%v\nwant input %v and, in order, lines holding %q", e.Input, err, tt.input, tt.want)
			}
		})
	}
}

// inOrder reports whether each of want is in a line of text, in order,
// one line each.
func inOrder(text string, want []string) bool {
	lines := strings.Split(text, "\n")
	for _, w := range want {
		for len(lines) > 0 && !strings.Contains(lines[0], w) {
			lines = lines[1:]
		}
		if len(lines) == 0 {
			return false
		}
		lines = lines[1:]
	}
	return true
}

// TestInputErrors: what is not [context, book] is refused, saying so.
func TestInputErrors(t *testing.T) {
	for _, in := range []string{``, `{}`, `[{}]`, `[{"root":1},{}]`, `[{},{"items":[]}] x`, `[{},{"items":[{"Chapter":{"content":3}}]}]`, `[{},{"items":[}]`} {
		_, err := preprocessor(t).Process(context.Background(), []byte(in))
		var e *Error
		if !errors.As(err, &e) || !e.Input || !strings.Contains(err.Error(), "mdBook's") {
			t.Errorf("%q: %v, want an input error about mdBook's input", in, err)
		}
	}
}

// shared is the tests' Graphviz, which Command must not close.
type shared struct{ *gv.Renderer }

func (shared) Close() error { return nil }

// TestCommand: mdBook's protocol and avdoc's exit statuses.
func TestCommand(t *testing.T) {
	preprocessor(t) // starts gvInst
	open := func(context.Context) (shared, error) { return shared{gvInst}, nil }
	read := func(file string, _ int64) ([]byte, error) { return os.ReadFile(file) }
	tests := []struct {
		args           []string
		stdin          string
		code           int
		stdout, stderr string
	}{
		{[]string{"supports", "html"}, "", 0, "", ""},
		{[]string{"supports", "markdown"}, "", 1, "", ""},
		{[]string{"-h"}, "", 0, "Usage: avdoc mdbook", ""},
		{[]string{"build"}, "", 2, "", "takes no arguments"},
		{nil, string(oneChapter(t, "x {{#avdoc stories/fork.yaml step=1}}")), 0, `"content":"x <figure class=\"avdoc-figure\" style=`, ""},
		{nil, string(oneChapter(t, "{{#avdoc stories/wrong.yaml}}")), 1, "", "wrong.yaml:6:9: step 1"},
		{nil, string(oneChapter(t, "{{#avdoc stories/fork.yaml step=x}}")), 2, "", `src/ch.md:1:1: {{#avdoc stories/fork.yaml step=x}}: step="x"`},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		code := Command(context.Background(), tt.args, strings.NewReader(tt.stdin), &stdout, &stderr, open, read)
		if code != tt.code || !strings.Contains(stdout.String(), tt.stdout) || !strings.Contains(stderr.String(), tt.stderr) || (tt.stdout == "") != (stdout.Len() == 0) {
			t.Errorf("%q: exit %d, stdout %.200q, stderr %q; want %d, %q, %q", tt.args, code, stdout.String(), stderr.String(), tt.code, tt.stdout, tt.stderr)
		}
	}
}

// TestHostileStory: a story's texts reach the chapter escaped or not at
// all, as one HTML block that Markdown leaves whole, and mdBook's own
// directives in them are defused.
func TestHostileStory(t *testing.T) {
	for _, directive := range []string{"{{#avdoc stories/hostile.yaml}}", "{{#avdoc stories/hostile.yaml step=1}}"} {
		out, err := preprocessor(t).Process(context.Background(), oneChapter(t, "# H\n\n"+directive+"\n\nend\n"))
		if err != nil {
			t.Fatal(err)
		}
		got := bookChapters(t, out)["Ch"]
		for _, bad := range []string{"<script", "<img", "<iframe", "javascript:", "onerror=\"", "{{#"} {
			if strings.Contains(strings.ToLower(got), bad) {
				t.Errorf("%s: the chapter holds %q:\n%s", directive, bad, got)
			}
		}
		if !strings.Contains(got, "&lt;script&gt;alert(&#39;PWN1&#39;)&lt;/script&gt;") && !strings.Contains(got, "&lt;script&gt;alert('PWN1')&lt;/script&gt;") {
			t.Errorf("%s: the title is not shown escaped:\n%s", directive, got)
		}
		if !strings.HasSuffix(got, "\n\n\nend\n") || strings.Count(got, "\n\n") != 2 {
			t.Errorf("%s: a blank line inside the HTML, or the text after it changed:\n%s", directive, got)
		}
		checkMarkdown(t, got, 1) // one step, one kernel
	}
}
