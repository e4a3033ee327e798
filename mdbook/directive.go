package mdbook

import (
	"context"
	"fmt"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/avdoc/avdoc/illustrate"
	"github.com/avdoc/avdoc/story"
	"github.com/yuin/goldmark"
)

// Preprocessor expands avdoc's directives in a book.
type Preprocessor struct {
	// Illustrator reads, runs, checks and draws the stories; its Printer
	// prints the figures, which must be SVG.
	Illustrator *illustrate.Illustrator
}

// Supports reports whether the preprocessor's output suits mdBook's
// renderer: it writes HTML.
func Supports(renderer string) bool { return renderer == "html" }

// Error is what keeps the book from being made, a problem a line, each
// starting with file:line:col.
type Error struct {
	Problems []string
	// Input is set when a directive, a story or mdBook's input is
	// malformed, rather than only a story's expectations failing.
	Input bool
}

func (e *Error) Error() string { return strings.Join(e.Problems, "\n") }

// Process expands every directive in the book that mdBook's input in
// holds, and returns the book to give back to mdBook. A story that does
// not load, or whose expectations fail, is an [*Error]: a book must not
// publish a claim the kernel does not bear out.
func (p *Preprocessor) Process(ctx context.Context, in []byte) ([]byte, error) {
	bctx, book, err := Input(in)
	if err != nil {
		return nil, &Error{Problems: []string{err.Error()}, Input: true}
	}
	chs, err := chapters(book)
	if err != nil {
		return nil, &Error{Problems: []string{err.Error()}, Input: true}
	}
	x := &expander{il: p.Illustrator, root: bctx.Root, src: orDefault(bctx.Config.Book.Src, "src"),
		pages: map[string]illustrate.Page{}, md: goldmark.New()}
	contents := make([]*string, len(chs))
	for i, ch := range chs {
		if out, changed := x.chapter(ctx, ch); changed {
			contents[i] = &out
		}
	}
	if x.err.Problems != nil {
		return nil, &x.err
	}
	return splice(book, chs, contents)
}

// orDefault returns s, or def when s is empty.
func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// directiveRE matches a directive, or one escaped with a backslash
// (written as it is, without the backslash, as mdBook's own are).
var directiveRE = regexp.MustCompile(`(\\?)\{\{#avdoc(\s[^{}]*)?\}\}`)

// expander expands the directives of one book.
type expander struct {
	il        *illustrate.Illustrator
	root, src string
	pages     map[string]illustrate.Page // by file, each story drawn once
	reported  map[string]bool            // the stories whose failures are listed
	md        goldmark.Markdown
	figures   int // figures so far in the chapter, for their ids
	err       Error
}

// chapter expands the directives of one chapter, if it has some.
func (x *expander) chapter(ctx context.Context, ch chapter) (string, bool) {
	matches := directiveRE.FindAllStringSubmatchIndex(ch.content, -1)
	if matches == nil {
		return "", false
	}
	x.figures = 0
	var b strings.Builder
	last := 0
	for _, m := range matches {
		b.WriteString(ch.content[last:m[0]])
		last = m[1]
		text := ch.content[m[0]:m[1]]
		if m[3] > m[2] { // escaped
			b.WriteString(text[1:])
			continue
		}
		where := x.position(ch, m[0])
		d, err := parseDirective(text)
		if err != nil {
			x.problem(true, "%s: %s: %v", where, text, err)
			continue
		}
		b.WriteString(x.expand(ctx, where, text, d))
	}
	b.WriteString(ch.content[last:])
	return b.String(), true
}

// position is file:line:col of offset in the chapter's content, the file
// as the book's root sees it.
func (x *expander) position(ch chapter, offset int) string {
	file := ch.name
	if ch.source != "" {
		file = path.Join(filepath.ToSlash(x.src), ch.source)
	}
	before := ch.content[:offset]
	line := strings.Count(before, "\n") + 1
	col := utf8.RuneCountInString(before[strings.LastIndexByte(before, '\n')+1:]) + 1
	return fmt.Sprintf("%s:%d:%d", file, line, col)
}

func (x *expander) problem(input bool, format string, args ...any) {
	x.err.Problems = append(x.err.Problems, fmt.Sprintf(format, args...))
	x.err.Input = x.err.Input || input
}

// directive is what a directive asks for: a story, or one step's figure.
type directive struct {
	file   string // relative to the book's root
	step   int    // 1-based; 0 for the whole story
	kernel string // "" for the story's first
}

// directiveUsage says how a directive is written.
const directiveUsage = "write {{#avdoc FILE}} for a story, {{#avdoc FILE step=N [kernel=K]}} for one step's figure"

// parseDirective reads {{#avdoc FILE [step=N] [kernel=K]}}.
func parseDirective(text string) (directive, error) {
	fields := strings.Fields(strings.TrimSuffix(strings.TrimPrefix(text, "{{#avdoc"), "}}"))
	if len(fields) == 0 {
		return directive{}, fmt.Errorf("no story file (%s)", directiveUsage)
	}
	d := directive{file: fields[0]}
	for _, f := range fields[1:] {
		if err := d.option(f); err != nil {
			return d, err
		}
	}
	if d.kernel != "" && d.step == 0 {
		return d, fmt.Errorf("kernel=%s without step=N: a whole story shows all its kernels (%s)", d.kernel, directiveUsage)
	}
	return d, nil
}

// option sets the option f, KEY=VALUE, of the directive.
func (d *directive) option(f string) error {
	key, val, _ := strings.Cut(f, "=")
	n, err := strconv.Atoi(val)
	switch {
	case key == "step" && (err != nil || n < 1):
		return fmt.Errorf("step=%q: want a step number, 1 or more", val)
	case key == "step":
		d.step = n
	case key == "kernel" && val != "":
		d.kernel = val
	default:
		hint := directiveUsage
		if s := story.Suggest(key, []string{"step", "kernel"}); s != "" {
			hint = s
		}
		return fmt.Errorf("unknown option %q (%s)", f, hint)
	}
	return nil
}

// expand draws what d asks for, or notes why it cannot.
func (x *expander) expand(ctx context.Context, where, text string, d directive) string {
	page := x.page(ctx, d.file)
	if !x.holds(where, text, page) {
		return text
	}
	if d.step == 0 {
		return x.storyHTML(page)
	}
	steps := page.Story.Steps
	k := slices.Index(page.Story.Kernels, orDefault(d.kernel, page.Story.Kernels[0]))
	switch {
	case d.step > len(steps):
		x.problem(true, "%s: %s: the story has %d steps", where, text, len(steps))
	case k < 0:
		x.problem(true, "%s: %s: the story does not run kernel %s (it runs %s)", where, text, d.kernel, strings.Join(page.Story.Kernels, ", "))
	default:
		return x.figureHTML(page.Story, d.step, k)
	}
	return text
}

// page is the story at file, relative to the book's root, run, checked
// and drawn once for the whole book.
func (x *expander) page(ctx context.Context, file string) illustrate.Page {
	if !filepath.IsAbs(file) {
		file = filepath.Join(x.root, file)
	}
	page, ok := x.pages[file]
	if !ok {
		page = x.il.Page(ctx, file)
		x.pages[file] = page
	}
	return page
}

// holds reports whether the story loaded and every claim it makes holds;
// if not, it notes the directive and, once per story, why.
func (x *expander) holds(where, text string, page illustrate.Page) bool {
	if page.Err == nil && len(page.Failures) == 0 {
		return true
	}
	first := !x.reported[page.File]
	if x.reported == nil {
		x.reported = map[string]bool{}
	}
	x.reported[page.File] = true
	if page.Err != nil {
		x.problem(true, "%s: %s: the story cannot be checked", where, text)
		if first {
			x.problem(true, "%v", page.Err)
		}
		return false
	}
	x.problem(false, "%s: %s: %d of the story's claims do not hold", where, text, len(page.Failures))
	for _, f := range page.Failures {
		if first {
			x.problem(false, "%s", f)
		}
	}
	return false
}
