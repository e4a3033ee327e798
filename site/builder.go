package site

import (
	"bytes"
	"embed"
	"fmt"
	"html"
	"html/template"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
)

// templateFS holds the page templates; style.css and avdoc.js are copied into every
// site as they are.
//
//go:embed templates/*.tmpl
var templateFS embed.FS

//go:embed style.css
var styleCSS string

//go:embed avdoc.js
var scriptJS string

// builder holds what one Build call parses once: the page templates and the Markdown
// converter. It is never shared between calls.
type builder struct {
	pages *template.Template
	md    goldmark.Markdown
}

func newBuilder() (*builder, error) {
	pages, err := template.New("").Funcs(template.FuncMap{"commitURL": commitURL}).ParseFS(templateFS, "templates/*.tmpl")
	if err != nil {
		return nil, fmt.Errorf("site templates: %w", err)
	}
	return &builder{pages: pages, md: newMarkdown()}, nil
}

// newMarkdown configures goldmark: GFM and typographic quotes, and the default HTML
// renderer, which omits raw HTML and drops javascript:, vbscript:, file: and data: links.
// Never add html.WithUnsafe(): narration is not trusted.
func newMarkdown() goldmark.Markdown {
	return goldmark.New(goldmark.WithExtensions(extension.GFM, extension.Typographer))
}

// markdown renders src. The result is marked safe for html/template because goldmark
// escaped all text and omitted all raw HTML.
func (b *builder) markdown(src string) (template.HTML, error) {
	return b.markdownLinked(src, nil)
}

// markdownLinked renders src like markdown, with the first mention of each glossary
// term linked by gl, if gl is not nil.
func (b *builder) markdownLinked(src string, gl *glossaryLinker) (template.HTML, error) {
	source := []byte(src)
	doc := b.md.Parser().Parse(text.NewReader(source))
	if gl != nil {
		gl.link(doc, source)
	}
	var out bytes.Buffer
	if err := b.md.Renderer().Render(&out, source, doc); err != nil {
		return "", fmt.Errorf("markdown: %w", err)
	}
	return template.HTML(out.String()), nil
}

// plainText is the text of Markdown src as a reader sees it, without markup, for the
// search index: words of adjacent blocks and lines are separated by one space.
func (b *builder) plainText(src string) string {
	source := []byte(src)
	doc := b.md.Parser().Parse(text.NewReader(source))
	var out bytes.Buffer
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Text:
			out.Write(n.Segment.Value(source))
			if n.SoftLineBreak() || n.HardLineBreak() {
				out.WriteByte(' ')
			}
		case *ast.String: // the typographer's quotes and dashes, as entities
			out.WriteString(html.UnescapeString(string(n.Value)))
		case *ast.RawHTML, *ast.HTMLBlock:
			return ast.WalkSkipChildren, nil
		case *ast.Paragraph, *ast.Heading, *ast.ListItem:
			out.WriteByte(' ')
		}
		return ast.WalkContinue, nil
	})
	return strings.Join(strings.Fields(out.String()), " ")
}

// execute runs the named page template into a file at path.
func (b *builder) execute(path, name string, data any) (File, error) {
	var out bytes.Buffer
	if err := b.pages.ExecuteTemplate(&out, name, data); err != nil {
		return File{}, fmt.Errorf("%s: %w", path, err)
	}
	return File{Path: path, Data: out.Bytes()}, nil
}
