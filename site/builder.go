package site

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// templateFS holds the page templates; style.css is copied into every site as is.
//
//go:embed templates/*.tmpl
var templateFS embed.FS

//go:embed style.css
var styleCSS string

// builder holds what one Build call parses once: the page templates and the Markdown
// converter. It is never shared between calls.
type builder struct {
	pages *template.Template
	md    goldmark.Markdown
}

func newBuilder() (*builder, error) {
	pages, err := template.ParseFS(templateFS, "templates/*.tmpl")
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
	var out bytes.Buffer
	if err := b.md.Convert([]byte(src), &out); err != nil {
		return "", fmt.Errorf("markdown: %w", err)
	}
	return template.HTML(out.String()), nil
}

// execute runs the named page template into a file at path.
func (b *builder) execute(path, name string, data any) (File, error) {
	var out bytes.Buffer
	if err := b.pages.ExecuteTemplate(&out, name, data); err != nil {
		return File{}, fmt.Errorf("%s: %w", path, err)
	}
	return File{Path: path, Data: out.Bytes()}, nil
}
