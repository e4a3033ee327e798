package site

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"
)

// The views below are what the templates see: plain text stays string (html/template
// escapes it), rendered Markdown is template.HTML.

type indexView struct {
	Title   string
	Stories []cardView
}

type cardView struct {
	Href    string // "<slug>/index.html"
	Title   string
	Summary template.HTML
	Tags    []string
	Kernels []string
	Steps   int
}

type storyView struct {
	SiteTitle string
	Title     string
	Summary   template.HTML
	Intro     template.HTML
	Outro     template.HTML
	Kernels   []string
	Tags      []string
	Source    string
	Steps     []stepView
}

type stepView struct {
	N, Prev, Next int // 1-based; Prev and Next are 0 when there is no such step
	Events        []string
	Narration     template.HTML
	Frames        []frameView
	Trouble       bool // a frame has a violation, an oops or a failed check
}

type frameView struct {
	Kernel     string
	Src        string // the diagram's file name in the story folder; "" when there is none
	Desc       string
	Log        []string
	Checks     []Check
	Failed     int // checks that did not hold
	Violations []string
	Oopses     []string
}

// mdBatch renders several Markdown fields and keeps the first error, so callers can
// fill a view in one expression and check once.
type mdBatch struct {
	b   *builder
	err error
}

func (m *mdBatch) render(src string) template.HTML {
	if m.err != nil || strings.TrimSpace(src) == "" {
		return ""
	}
	h, err := m.b.markdown(src)
	if err != nil {
		m.err = err
	}
	return h
}

// index renders index.html.
func (b *builder) index(s Site) (File, error) {
	md := &mdBatch{b: b}
	v := indexView{Title: siteTitle(s)}
	for _, st := range s.Stories {
		v.Stories = append(v.Stories, cardView{
			Href:    st.Slug + "/index.html",
			Title:   st.Title,
			Summary: md.render(st.Summary),
			Tags:    st.Tags,
			Kernels: st.Kernels,
			Steps:   len(st.Steps),
		})
	}
	if md.err != nil {
		return File{}, fmt.Errorf("index: %w", md.err)
	}
	return b.execute("index.html", "index.tmpl", v)
}

func siteTitle(s Site) string {
	if strings.TrimSpace(s.Title) == "" {
		return DefaultTitle
	}
	return s.Title
}

// story renders one story's page and its diagram files.
func (b *builder) story(s Site, st Story) ([]File, error) {
	md := &mdBatch{b: b}
	v := storyView{
		SiteTitle: siteTitle(s),
		Title:     st.Title,
		Summary:   md.render(st.Summary),
		Intro:     md.render(st.Intro),
		Outro:     md.render(st.Outro),
		Kernels:   st.Kernels,
		Tags:      st.Tags,
		Source:    st.Source,
	}
	var files []File
	for i, step := range st.Steps {
		sv, svgs := stepOf(md, st, i, step)
		v.Steps = append(v.Steps, sv)
		files = append(files, svgs...)
	}
	if md.err != nil {
		return nil, md.err
	}
	page, err := b.execute(st.Slug+"/index.html", "story.tmpl", v)
	if err != nil {
		return nil, err
	}
	return append(files, page), nil
}

// stepOf builds the view of step i (0-based) and the diagram files it refers to.
func stepOf(md *mdBatch, st Story, i int, step Step) (stepView, []File) {
	n := i + 1
	v := stepView{N: n, Events: step.Events, Narration: md.render(step.Narration)}
	if n > 1 {
		v.Prev = n - 1
	}
	if n < len(st.Steps) {
		v.Next = n + 1
	}
	var files []File
	for _, f := range step.Frames {
		fv := frameOf(f)
		if len(f.SVG) > 0 {
			fv.Src = fmt.Sprintf("step-%d-%s.svg", n, fileSafe(f.Kernel))
			files = append(files, File{Path: st.Slug + "/" + fv.Src, Data: bytes.Clone(f.SVG)})
		}
		v.Trouble = v.Trouble || fv.Failed > 0 || len(fv.Violations) > 0 || len(fv.Oopses) > 0
		v.Frames = append(v.Frames, fv)
	}
	return v, files
}

// frameOf builds a frame's view, without its diagram file name.
func frameOf(f Frame) frameView {
	v := frameView{
		Kernel:     f.Kernel,
		Desc:       f.Desc,
		Log:        f.Log,
		Checks:     f.Checks,
		Violations: f.Violations,
		Oopses:     f.Oopses,
	}
	for _, c := range f.Checks {
		if !c.OK {
			v.Failed++
		}
	}
	return v
}
