package site

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// searchIndexPath is the search index's file. It is a script, not JSON, because browsers
// refuse fetch() of a file:// URL but run a script from one.
const searchIndexPath = "search-index.js"

// searchEntry is one search result: a page or a step. It is written as a JSON array,
// [url, title, text], to keep the index small.
type searchEntry struct {
	URL   string // relative to the site root, e.g. "fork/index.html#step-2"
	Title string
	Text  string // plain text searched and quoted in results
}

// MarshalJSON writes the entry as [url, title, text].
func (e searchEntry) MarshalJSON() ([]byte, error) {
	return json.Marshal([3]string{e.URL, e.Title, e.Text})
}

// searchIndex writes the entries as a script that sets window.avdocSearch. encoding/json
// escapes <, >, &, U+2028 and U+2029, so no text can end the script or the string it is
// in, whatever it holds.
func searchIndex(entries []searchEntry) (File, error) {
	data, err := json.Marshal(entries)
	if err != nil {
		return File{}, fmt.Errorf("search index: %w", err)
	}
	var b bytes.Buffer
	b.WriteString("window.avdocSearch=")
	b.Write(data)
	b.WriteString(";\n")
	return File{Path: searchIndexPath, Data: b.Bytes()}, nil
}

// storyEntries are a story's search entries: the story, then each step with its
// events, narration and the descriptions of its diagrams (each distinct one once).
func (b *builder) storyEntries(st Story) []searchEntry {
	page := st.Slug + "/index.html"
	out := []searchEntry{{URL: page, Title: st.Title, Text: joinText(
		b.plainText(st.Summary), strings.Join(st.Tags, " "), strings.Join(st.Kernels, " "), b.plainText(st.Intro))}}
	for i, step := range st.Steps {
		parts := []string{strings.Join(step.Events, "; "), b.plainText(step.Narration)}
		for _, f := range step.Frames {
			parts = appendNew(parts, f.Desc)
		}
		out = append(out, searchEntry{
			URL:   fmt.Sprintf("%s#step-%d", page, i+1),
			Title: fmt.Sprintf("%s, step %d", st.Title, i+1),
			Text:  joinText(parts...),
		})
	}
	return out
}

// modelEntries are the search entries of the model pages.
func modelEntries(models []Model) []searchEntry {
	var out []searchEntry
	for _, m := range models {
		out = append(out, searchEntry{URL: modelPath(m.Name), Title: "Kernel model " + m.Name,
			Text: joinText(m.Summary, m.Design, strings.Join(m.Traits, " "), strings.Join(m.Fixes, " "))})
	}
	return out
}

// glossaryEntries are the search entries of the glossary.
func (b *builder) glossaryEntries() []searchEntry {
	var out []searchEntry
	for _, t := range glossaryTerms() {
		out = append(out, searchEntry{URL: "glossary.html#" + t.ID, Title: b.plainText(t.Name), Text: b.plainText(t.Def)})
	}
	return out
}

// joinText joins the non-empty parts with a space.
func joinText(parts ...string) string {
	var keep []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, " ")
}

// appendNew appends s unless it is empty or already there.
func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	if s == "" {
		return list
	}
	return append(list, s)
}
