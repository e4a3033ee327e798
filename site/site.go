// Package site assembles avdoc's static website from checked stories. It knows nothing of
// YAML or of the engine: it takes plain data and returns files.
//
// The site is a folder of plain HTML, one stylesheet and SVG diagrams. Every link is
// relative, so it works from file:// as well as from any static host, and nothing needs
// JavaScript. Plain text is escaped by html/template; Markdown is rendered by goldmark
// with raw HTML omitted and dangerous link URLs dropped.
package site

import (
	"fmt"
	"sort"
)

// DefaultTitle is the index title used when Site.Title is empty.
const DefaultTitle = "avdoc: anonymous memory reverse mapping, step by step"

// Site is everything the website shows.
type Site struct {
	Title   string  // shown on the index, e.g. "avdoc: anonymous memory reverse mapping, step by step"
	Stories []Story // in index order
}

// Story is one checked story: a titled sequence of steps run under one or more kernel models.
type Story struct {
	Slug    string   // path segment; must match [a-z0-9-]+, else Build returns an error
	Title   string   // plain text
	Summary string   // Markdown, one paragraph (index + story page)
	Tags    []string // plain words
	Kernels []string // model names, first is primary, e.g. ["2.6.34-rc3", "2.6.34"]
	Intro   string   // Markdown
	Outro   string   // Markdown
	Source  string   // story file path as given, shown as plain text ("from stories/fork.yaml")
	Steps   []Step
}

// Step is one step of a story: what happened, what the narration says about it, and the
// resulting state under each kernel.
type Step struct {
	Narration string   // Markdown
	Events    []string // the step's events as written, e.g. ["fork P C"]
	Frames    []Frame  // one per kernel, same order as Story.Kernels
}

// Frame is the outcome of one step under one kernel model.
type Frame struct {
	Kernel     string   // must equal the Story.Kernels entry at the same index
	SVG        []byte   // a standalone SVG document of the diagram; empty means no diagram
	Desc       string   // text description of the diagram (alt text)
	Log        []string // what the kernel did, e.g. "anon_vma_fork: linked AVC 4 of C:heap to anon_vma P:heap"
	Checks     []Check  // expectation results
	Violations []string // invariant violations that occurred in this step, e.g. "R1: page 1 is mapped …"
	Oopses     []string // rmap walks that reached freed memory
}

// Check is the result of one expectation of a step under one kernel.
type Check struct {
	Text   string // the expectation as written, e.g. "chain(C:heap:0) == [av(C:heap), av(P:heap)]"
	OK     bool
	Detail string // when !OK: "expected …, got …"
}

// File is one file of the built site.
type File struct {
	Path string // slash-separated, relative to the site root, e.g. "fork/index.html"
	Data []byte
}

// Build returns every file of the site, sorted by Path. It does no I/O.
//
// It returns an error, and no files, when the input is inconsistent: a bad or duplicate
// slug, an empty title, no kernels, duplicate kernel names, a step whose frames do not
// match the story's kernels, or SVG bytes that are not an SVG document.
func Build(s Site) ([]File, error) {
	if err := validate(s); err != nil {
		return nil, err
	}
	b, err := newBuilder()
	if err != nil {
		return nil, err
	}
	files, err := b.site(s)
	if err != nil {
		return nil, err
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	return files, nil
}

// site renders every file, in no particular order.
func (b *builder) site(s Site) ([]File, error) {
	index, err := b.index(s)
	if err != nil {
		return nil, err
	}
	files := []File{index, {Path: "style.css", Data: []byte(styleCSS)}}
	for _, st := range s.Stories {
		fs, err := b.story(s, st)
		if err != nil {
			return nil, fmt.Errorf("story %q: %w", st.Slug, err)
		}
		files = append(files, fs...)
	}
	return files, nil
}
