package mdbook

import (
	"bytes"
	"fmt"
	"html"
	"regexp"
	"strings"

	"github.com/avdoc/avdoc/illustrate"
	"github.com/avdoc/avdoc/site"
)

// The HTML a directive becomes is one HTML block of Markdown: it has no
// blank line (a blank line would end the block, and Markdown would
// render the rest), and no "{{" (which mdBook's own preprocessors, run
// after this one, would take for a directive).

// storyHTML is the whole story: its summary and intro, each step's
// events, narration, figures and checks, and its outro.
func (x *expander) storyHTML(page illustrate.Page) string {
	s := page.Story
	var b strings.Builder
	fmt.Fprintf(&b, "<div class=\"avdoc-story\">\n<p class=\"avdoc-title\"><strong>%s</strong></p>\n", html.EscapeString(s.Title))
	b.WriteString(x.markdown(s.Summary) + x.markdown(s.Intro))
	for i := range s.Steps {
		b.WriteString(x.stepHTML(s, i))
	}
	b.WriteString(x.markdown(s.Outro))
	fmt.Fprintf(&b, "<p class=\"avdoc-source\">Every claim checked by avdoc under %s, from <code>%s</code>.</p>\n</div>\n",
		html.EscapeString(strings.Join(s.Kernels, ", ")), html.EscapeString(s.Source))
	return block(b.String())
}

// stepHTML is step i (0-based) of the story: its events, narration, and
// figure and checks under each kernel.
func (x *expander) stepHTML(s site.Story, i int) string {
	st := s.Steps[i]
	var b strings.Builder
	fmt.Fprintf(&b, "<section class=\"avdoc-step\">\n<p class=\"avdoc-step-title\"><strong>Step %d</strong>", i+1)
	for _, e := range st.Events {
		fmt.Fprintf(&b, " <code>%s</code>", html.EscapeString(e))
	}
	b.WriteString("</p>\n" + x.markdown(st.Narration))
	for k := range st.Frames {
		b.WriteString(x.figureHTML(s, i+1, k))
		b.WriteString(checksHTML(s, st.Frames[k]))
	}
	b.WriteString("</section>\n")
	return b.String()
}

// figureHTML is the figure of step (1-based) under kernel k, as inline
// SVG: its <title> and <desc> say what it shows, and the caption names
// the story, the step and the kernel.
func (x *expander) figureHTML(s site.Story, step, k int) string {
	f := s.Steps[step-1].Frames[k]
	if len(f.SVG) == 0 {
		return ""
	}
	x.figures++
	svg := f.SVG
	if i := bytes.Index(svg, []byte("<svg")); i >= 0 {
		svg = svg[i:] // no XML declaration inside HTML
	}
	caption := fmt.Sprintf("%s: step %d of %d, kernel %s", s.Title, step, len(s.Steps), f.Kernel)
	return block(fmt.Sprintf("<figure class=\"avdoc-figure\" style=\"overflow-x: auto; margin: 1em 0\">\n%s\n<figcaption>%s</figcaption>\n</figure>\n",
		prefixIDs(string(svg), fmt.Sprintf("avdoc%d-", x.figures)), html.EscapeString(caption)))
}

// idRE matches what names or refers to an id in an SVG.
var idRE = regexp.MustCompile(`( id="|url\(#|href="#)`)

// prefixIDs prefixes every id of an SVG, and every reference to one, so
// that the figures of a chapter, all in one HTML document, keep theirs
// apart.
func prefixIDs(svg, prefix string) string {
	return idRE.ReplaceAllString(svg, "${1}"+prefix)
}

// checksHTML lists what was checked in a frame: its expectations (all
// hold, or the book would not be made), and the invariants it broke or
// the oopses it had, which its expectations name.
func checksHTML(s site.Story, f site.Frame) string {
	if len(f.Checks)+len(f.Violations)+len(f.Oopses) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("<ul class=\"avdoc-checks\">\n")
	under := ""
	if len(s.Kernels) > 1 {
		under = " (" + html.EscapeString(f.Kernel) + ")"
	}
	for _, c := range f.Checks {
		fmt.Fprintf(&b, "<li>✓ <code>%s</code>%s</li>\n", html.EscapeString(c.Text), under)
	}
	for _, v := range append(f.Violations, f.Oopses...) {
		fmt.Fprintf(&b, "<li class=\"avdoc-broken\">⚠ %s%s</li>\n", html.EscapeString(v), under)
	}
	b.WriteString("</ul>\n")
	return b.String()
}

// markdown renders a story's Markdown as the site does, without its raw
// HTML (goldmark's default omits it, and unsafe links).
func (x *expander) markdown(src string) string {
	if strings.TrimSpace(src) == "" {
		return ""
	}
	var b bytes.Buffer
	if err := x.md.Convert([]byte(src), &b); err != nil {
		return "<p>" + html.EscapeString(src) + "</p>\n" // not reached: goldmark converts any text
	}
	return b.String()
}

// block makes HTML safe to put in Markdown as one HTML block: a blank
// line becomes a line holding a character reference for a space (which
// HTML reads as the blank it was, even inside <pre>), and "{{" is
// written "&#123;{".
func block(h string) string {
	lines := strings.Split(h, "\n")
	for i, l := range lines {
		if strings.TrimSpace(l) == "" && i < len(lines)-1 {
			lines[i] = "&#32;"
		}
	}
	return strings.ReplaceAll(strings.Join(lines, "\n"), "{{", "&#123;{")
}
