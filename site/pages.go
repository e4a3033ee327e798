package site

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"html/template"
	"net/url"
	"slices"
	"strings"
)

// The views below are what the templates see: plain text stays string (html/template
// escapes it), rendered Markdown is template.HTML.

// page is what every page's head and top bar need.
type page struct {
	Root      string // the way back to the site root: "" or "../"
	SiteTitle string
	DocTitle  string // the document's <title>
	Section   string // "stories", "models" or "glossary": where the top bar says we are
}

type indexView struct {
	page
	Stories []cardView
	Tags    []string // every tag of every story, sorted: the tag filter's choices
	Kernels []string // every kernel of every story, models first: the kernel filter's choices
}

type cardView struct {
	Href    string // "<slug>/index.html"
	Title   string
	Summary template.HTML
	Tags    []tagView
	Kernels []kernelView
	Steps   int
	Broken  int    // steps that break an invariant, oops or fail an expectation
	Thumb   *thumb // nil when no step has a diagram
	// FilterTags and FilterKernels are JSON lists for the index's script: the story's
	// tags, and its kernels with the models they derive from.
	FilterTags, FilterKernels string
}

// thumb is a story's key frame on the index: a diagram file of the story, not a copy.
type thumb struct {
	Src  string // "<slug>/step-N-<kernel>.svg"
	Href string // "<slug>/index.html#step-N/<kernel>"
}

type tagView struct {
	Name string
	Href string // the index, filtered by the tag
}

type kernelView struct {
	Name    string
	Key     string // the name as it appears in file names and #step-N/KEY links
	Href    string // the model's page, or ""
	Note    string // how a derived kernel differs from its model
	Primary bool
}

type storyView struct {
	page
	Title     string
	Summary   template.HTML
	Intro     template.HTML
	Outro     template.HTML
	Kernels   []kernelView
	Tags      []tagView
	Source    string
	Steps     []stepView
	Multi     bool       // several kernels, side by side
	Diverging int        // steps where the kernels part ways
	Broken    int        // steps where something goes wrong
	Key       []KeyEntry // what the page's diagrams' colours and lines stand for
	// PrevStory and NextStory are the stories before and after this one on the index;
	// nil at either end.
	PrevStory, NextStory *storyLink
}

// storyLink is a link from one story's page to another's.
type storyLink struct {
	Href  string // "../<slug>/index.html"
	Title string
}

// neighbours links the stories before and after story i of the index, if any.
func neighbours(s Site, i int) (prev, next *storyLink) {
	link := func(j int) *storyLink {
		if j < 0 || j >= len(s.Stories) {
			return nil
		}
		return &storyLink{Href: "../" + s.Stories[j].Slug + "/index.html", Title: s.Stories[j].Title}
	}
	return link(i - 1), link(i + 1)
}

type stepView struct {
	N, Prev, Next int // 1-based; Prev and Next are 0 when there is no such step
	Events        []string
	Narration     template.HTML
	Frames        []frameView
	Trouble       bool     // a frame has a violation, an oops or a failed check
	Differs       []string // how the kernels part ways in this step
	NewLayout     bool     // its diagrams are laid out afresh
	Hint          string   // the step list's tooltip
}

type frameView struct {
	Kernel     string
	Key        string
	ID         string // "step-N/KEY"
	Anchor     string // "#step-N/KEY", a link to the frame (the template would escape the '/' of "#{{.ID}}")
	Src        string // the diagram's file name in the story folder; "" when there is none
	Desc       string
	Log        []string
	Checks     []Check
	Failed     int // checks that did not hold
	Violations []string
	Oopses     []string
	Walk       string
}

// mdBatch renders several Markdown fields and keeps the first error, so callers can
// fill a view in one expression and check once.
type mdBatch struct {
	b   *builder
	gl  *glossaryLinker // links glossary terms, when not nil
	err error
}

// render renders src, or returns "" once an earlier field has failed.
func (m *mdBatch) render(src string) template.HTML {
	if m.err != nil || strings.TrimSpace(src) == "" {
		return ""
	}
	h, err := m.b.markdownLinked(src, m.gl)
	if err != nil {
		m.err = err
	}
	return h
}

// siteTitle is the site's title, or DefaultTitle.
func siteTitle(s Site) string {
	if strings.TrimSpace(s.Title) == "" {
		return DefaultTitle
	}
	return s.Title
}

// index renders index.html from the stories' cards.
func (b *builder) index(s Site, cards []cardView) (File, error) {
	v := indexView{
		page:    page{SiteTitle: siteTitle(s), DocTitle: siteTitle(s), Section: "stories"},
		Stories: cards,
		Tags:    allTags(s),
		Kernels: allKernels(s),
	}
	return b.execute("index.html", "index.tmpl", v)
}

// allTags is every tag of the site, sorted and once each.
func allTags(s Site) []string {
	var out []string
	for _, st := range s.Stories {
		out = append(out, st.Tags...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// allKernels is every kernel the stories run, once each: the models in their order,
// then the stories' own kernels in the order they first appear.
func allKernels(s Site) []string {
	used := map[string]bool{} // only looked up
	for _, st := range s.Stories {
		for _, k := range filterKernels(st) {
			used[k] = true
		}
	}
	var out []string
	for _, m := range s.Models {
		if used[m.Name] {
			out = append(out, m.Name)
		}
	}
	for _, st := range s.Stories {
		for _, k := range st.Kernels {
			if !slices.Contains(out, k) {
				out = append(out, k)
			}
		}
	}
	return out
}

// filterKernels is what the kernel filter matches a story by: its kernels and the
// models they derive from.
func filterKernels(st Story) []string {
	out := slices.Clone(st.Kernels)
	for _, ki := range st.KernelInfo {
		if ki.Model != "" && !slices.Contains(out, ki.Model) {
			out = append(out, ki.Model)
		}
	}
	return out
}

// card builds a story's entry on the index from its page's view.
func card(st Story, v storyView) cardView {
	c := cardView{
		Href: st.Slug + "/index.html", Title: st.Title, Summary: v.Summary,
		Tags: tagViews(st.Tags, ""), Kernels: slices.Clone(v.Kernels), Steps: len(st.Steps), Broken: v.Broken,
		Thumb:         keyFrame(st),
		FilterTags:    jsonList(st.Tags),
		FilterKernels: jsonList(filterKernels(st)),
	}
	for i := range c.Kernels { // the index sits one folder up from the story
		c.Kernels[i].Href = strings.TrimPrefix(c.Kernels[i].Href, "../")
	}
	return c
}

// keyFrame picks the diagram that stands for a story on the index: the first one in
// which an invariant breaks or a walk oopses, else the fullest (the largest file; the
// later of equals), which shows the most of what the story builds.
func keyFrame(st Story) *thumb {
	best, bestStep := Frame{}, -1
	for i, step := range st.Steps {
		for _, f := range step.Frames {
			if len(f.SVG) > 0 && (len(f.Violations) > 0 || len(f.Oopses) > 0) {
				return thumbOf(st, i, f)
			}
			if len(f.SVG) > 0 && len(f.SVG) >= len(best.SVG) {
				best, bestStep = f, i
			}
		}
	}
	if bestStep < 0 {
		return nil
	}
	return thumbOf(st, bestStep, best)
}

// thumbOf is the thumbnail of frame f of step i (0-based): its diagram file and deep link.
func thumbOf(st Story, i int, f Frame) *thumb {
	return &thumb{
		Src:  st.Slug + "/" + diagramName(i+1, f.Kernel),
		Href: fmt.Sprintf("%s/index.html#%s", st.Slug, frameID(i+1, f.Kernel)),
	}
}

// Diagrams returns the diagram files of a story, as [Build] makes them
// (sharing the frames' SVG), so that they can be written before the rest
// of the site is known. It does not check the story: Build does.
func Diagrams(st Story) []File {
	var files []File
	for i, step := range st.Steps {
		for _, f := range step.Frames {
			if len(f.SVG) > 0 {
				files = append(files, File{Path: st.Slug + "/" + diagramName(i+1, f.Kernel), Data: f.SVG})
			}
		}
	}
	return files
}

// diagramName is the file name of a step's diagram under a kernel.
func diagramName(n int, kernel string) string {
	return fmt.Sprintf("step-%d-%s.svg", n, fileSafe(kernel))
}

// frameID is the id of a step's frame under a kernel, "step-5/2.6.34": the link
// #step-5/2.6.34 shows that frame, and the player shows step 5 under that kernel alone.
func frameID(n int, kernel string) string {
	return fmt.Sprintf("step-%d/%s", n, fileSafe(kernel))
}

// jsonList is a list of strings as JSON, for a data attribute (html/template escapes it).
func jsonList(list []string) string {
	if list == nil {
		list = []string{}
	}
	data, _ := json.Marshal(list) // a []string always marshals
	return string(data)
}

// tagViews links each tag to the index filtered by it; root leads to the site root.
func tagViews(tags []string, root string) []tagView {
	var out []tagView
	for _, t := range tags {
		out = append(out, tagView{Name: t, Href: root + "index.html?tag=" + url.QueryEscape(t)})
	}
	return out
}

// kernelViews describes a story's kernels, linking each to its model's page.
func kernelViews(s Site, st Story, root string) []kernelView {
	var out []kernelView
	for i, k := range st.Kernels {
		kv := kernelView{Name: k, Key: fileSafe(k), Primary: i == 0 && len(st.Kernels) > 1}
		model, note := kernelModel(st, i)
		kv.Note = note
		if hasModel(s, model) {
			kv.Href = root + modelPath(model)
		}
		out = append(out, kv)
	}
	return out
}

// story renders one story's page and its diagram files, and returns its view for the
// index and the model pages.
func (b *builder) story(s Site, i int) ([]File, storyView, error) {
	st := s.Stories[i]
	md := &mdBatch{b: b, gl: &glossaryLinker{terms: glossaryTerms(), href: "../glossary.html#"}}
	plain := &mdBatch{b: b} // the summary, shown on the index too, links no terms
	v := storyView{
		page:    page{Root: "../", SiteTitle: siteTitle(s), DocTitle: st.Title + " – " + siteTitle(s), Section: "stories"},
		Title:   st.Title,
		Summary: plain.render(st.Summary),
		Intro:   md.render(st.Intro),
		Outro:   md.render(st.Outro),
		Kernels: kernelViews(s, st, "../"),
		Tags:    tagViews(st.Tags, "../"),
		Source:  st.Source,
		Multi:   len(st.Kernels) > 1,
		Key:     pageKey(st),
	}
	v.PrevStory, v.NextStory = neighbours(s, i)
	var files []File
	for i, step := range st.Steps {
		sv, svgs := stepOf(md, st, i, step)
		v.Steps = append(v.Steps, sv)
		files = append(files, svgs...)
		v.Diverging += min(len(sv.Differs), 1)
		if sv.Trouble {
			v.Broken++
		}
	}
	if md.err != nil || plain.err != nil {
		return nil, storyView{}, cmp.Or(md.err, plain.err)
	}
	page, err := b.execute(st.Slug+"/index.html", "story.tmpl", v)
	if err != nil {
		return nil, storyView{}, err
	}
	return append(files, page), v, nil
}

// stepOf builds the view of step i (0-based) and the diagram files it refers to.
func stepOf(md *mdBatch, st Story, i int, step Step) (stepView, []File) {
	n := i + 1
	v := stepView{N: n, Events: step.Events, Narration: md.render(step.Narration), Differs: differences(step), NewLayout: step.NewLayout}
	if n > 1 {
		v.Prev = n - 1
	}
	if n < len(st.Steps) {
		v.Next = n + 1
	}
	var files []File
	for _, f := range step.Frames {
		fv := frameOf(n, f)
		if len(f.SVG) > 0 {
			fv.Src = diagramName(n, f.Kernel)
			files = append(files, File{Path: st.Slug + "/" + fv.Src, Data: bytes.Clone(f.SVG)})
		}
		v.Trouble = v.Trouble || fv.Failed > 0 || len(fv.Violations) > 0 || len(fv.Oopses) > 0
		v.Frames = append(v.Frames, fv)
	}
	v.Hint = stepHint(v)
	return v, files
}

// stepHint says what the step list's entry for a step stands for.
func stepHint(v stepView) string {
	h := fmt.Sprintf("Step %d", v.N)
	if v.Trouble {
		h += ": something goes wrong"
	}
	if len(v.Differs) > 0 {
		sep := ": "
		if v.Trouble {
			sep = "; "
		}
		h += sep + "the kernels part ways"
	}
	return h
}

// frameOf builds the view of step n's frame, without its diagram file name.
func frameOf(n int, f Frame) frameView {
	v := frameView{
		Kernel:     cmp.Or(f.Label, f.Kernel),
		Key:        fileSafe(f.Kernel),
		ID:         frameID(n, f.Kernel),
		Anchor:     "#" + frameID(n, f.Kernel),
		Desc:       f.Desc,
		Log:        f.Log,
		Checks:     f.Checks,
		Violations: f.Violations,
		Oopses:     f.Oopses,
		Walk:       f.Walk,
	}
	for _, c := range f.Checks {
		if !c.OK {
			v.Failed++
		}
	}
	return v
}
