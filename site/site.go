// Package site assembles avdoc's static website from checked stories. It knows nothing of
// YAML or of the engine: it takes plain data, which the illustrate package makes, and
// returns files, which cmd/avdoc writes.
//
// The site is a folder of plain HTML, one stylesheet, one small script, a search index and
// SVG diagrams. Every link is relative, so it works from file:// as well as from any
// static host. Every page reads fine without JavaScript; the script (avdoc.js) adds the
// step player, the index filters, search and the theme toggle. Plain text is escaped by
// html/template (and by encoding/json in the search index); Markdown is rendered by
// goldmark with raw HTML omitted and dangerous link URLs dropped.
//
// The files: index.html; <slug>/index.html and <slug>/step-N-<kernel>.svg per story;
// models.html and model-<name>.html per kernel model; glossary.html; style.css;
// avdoc.js; search-index.js.
package site

import (
	"fmt"
	"runtime"
	"sort"

	"github.com/avdoc/avdoc/internal/parallel"
)

// DefaultTitle is the index title used when Site.Title is empty.
const DefaultTitle = "avdoc: anonymous memory reverse mapping, step by step"

// Site is everything the website shows.
type Site struct {
	Title   string  // shown on the index, e.g. "avdoc: anonymous memory reverse mapping, step by step"
	Stories []Story // in index order
	Models  []Model // the kernel models, oldest first; each gets a page listing the stories that use it
	Fixes   []Fix   // the fixes a model may have, in merge order (shown on the model pages)
}

// Model is a kernel model the engine simulates, as its page shows it. All text is plain.
type Model struct {
	Name    string   // "2.6.34"; must be unique
	Summary string   // one sentence
	Design  string   // the family of data structures, e.g. "anon_vma_chain"
	Traits  []string // the design choices that set it apart, one sentence each
	Commits []string // the kernel commits it follows
	Fixes   []string // names of the Site.Fixes it has
}

// Fix is one of the fixes a model may have.
type Fix struct {
	Name   string // as stories name it, e.g. "oldest-anon-vma"
	Commit string
	Title  string
}

// Story is one checked story: a titled sequence of steps run under one or more kernel models.
type Story struct {
	Slug    string   // path segment; must match [a-z0-9-]+, else Build returns an error
	Title   string   // plain text
	Summary string   // Markdown, one paragraph (index + story page)
	Tags    []string // plain words
	Kernels []string // model names, first is primary, e.g. ["2.6.34-rc3", "2.6.34"]
	// KernelInfo, when not nil, has one entry per kernel, in the order of Kernels: the
	// model each is or derives from. Nil means every kernel is the model of its name.
	KernelInfo []KernelInfo
	Intro      string // Markdown
	Outro      string // Markdown
	Source     string // story file path as given, shown as plain text ("from stories/fork.yaml")
	Steps      []Step
}

// Step is one step of a story: what happened, what the narration says about it, and the
// resulting state under each kernel.
type Step struct {
	Narration string   // Markdown
	Events    []string // the step's events as written, e.g. ["fork P C"]
	Frames    []Frame  // one per kernel, same order as Story.Kernels
	// Differs says, one plain-text sentence each, how the kernels' states came to differ
	// in this step (what the frames' outcomes cannot show). The site adds the
	// differences it sees in the frames (violations, oopses, expectations) itself.
	Differs []string
	// NewLayout says that the step's diagrams are laid out afresh, a new
	// scene: objects may sit elsewhere than in the step before, and the
	// page says so.
	NewLayout bool
}

// KernelInfo says which model of Site.Models a story's kernel is.
type KernelInfo struct {
	Model string // the Site.Models name it is or derives from; "" or an unknown name: none
	Note  string // plain text for a derived kernel, e.g. "2.6.34-rc3 with only the fix oldest-anon-vma"; "" otherwise
}

// Frame is the outcome of one step under one kernel model.
type Frame struct {
	Kernel     string   // must equal the Story.Kernels entry at the same index
	Label      string   // how the kernel is shown, e.g. "live (6.18.44)"; "" shows Kernel
	SVG        []byte   // a standalone SVG document of the diagram; empty means no diagram
	Desc       string   // text description of the diagram (alt text)
	Log        []string // what the kernel did, e.g. "anon_vma_fork: linked AVC 4 of C:heap to anon_vma P:heap"
	Checks     []Check  // expectation results
	Violations []string // invariant violations that occurred in this step, e.g. "R1: page 1 is mapped …"
	Oopses     []string // rmap walks that reached freed memory
	// Key is what the diagram's colours and lines stand for; the page shows the keys
	// of all its diagrams once, so the diagrams need no legend of their own.
	Key []KeyEntry
	// Walk says what the step's rmap walk did, "" when it shows none.
	Walk string
}

// KeyEntry is one line of a key: a sample line in a colour, and its meaning.
type KeyEntry struct {
	Class string // names the colour: [a-z-]+, e.g. "same-vma"; "" for a line of text alone
	Light string // the colour in the light theme, "#rrggbb"
	Dark  string // and in the dark one
	Line  string // "solid", "dashed" or "dotted"; "" for a line of text alone
	Text  string // plain text
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
// slug, an empty title, no kernels, duplicate kernel names, KernelInfo of the wrong
// length, a step whose frames do not match the story's kernels, SVG bytes that are not
// an SVG document, or models without a name or with clashing names.
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
// storyPages is what one story adds to the site.
type storyPages struct {
	files  []File
	card   cardView
	search []searchEntry
	err    error
}

// stories makes every story's pages, a few at once (templates and
// goldmark are safe for concurrent use), in the stories' order.
func (b *builder) stories(s Site) []storyPages {
	out := make([]storyPages, len(s.Stories))
	parallel.For(len(s.Stories), runtime.GOMAXPROCS(0), func(i int) {
		st := s.Stories[i]
		fs, v, err := b.story(s, i)
		out[i] = storyPages{files: fs, card: card(st, v), search: b.storyEntries(st), err: err}
	})
	return out
}

func (b *builder) site(s Site) ([]File, error) {
	files := []File{
		{Path: "style.css", Data: []byte(styleCSS + keyCSS(s))},
		{Path: "avdoc.js", Data: []byte(scriptJS)},
	}
	pages := b.stories(s)
	var cards []cardView
	var search []searchEntry
	for i, p := range pages {
		if p.err != nil {
			return nil, fmt.Errorf("story %q: %w", s.Stories[i].Slug, p.err)
		}
		files = append(files, p.files...)
		cards = append(cards, p.card)
		search = append(search, p.search...)
	}
	index, err := b.index(s, cards)
	if err != nil {
		return nil, fmt.Errorf("index: %w", err)
	}
	models, err := b.modelPages(s)
	if err != nil {
		return nil, err
	}
	glossary, err := b.glossary(s)
	if err != nil {
		return nil, err
	}
	search = append(append(search, modelEntries(s.Models)...), b.glossaryEntries()...)
	idx, err := searchIndex(search)
	if err != nil {
		return nil, err
	}
	return append(append(files, models...), index, glossary, idx), nil
}
