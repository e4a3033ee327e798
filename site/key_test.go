package site

import (
	"strings"
	"testing"
)

var (
	keySameVMA = KeyEntry{Class: "same-vma", Light: "#d62728", Dark: "#ff6b6b", Line: "solid", Text: "same_vma list: a VMA's AVCs"}
	keyPointer = KeyEntry{Class: "pointer", Light: "#333333", Dark: "#c8ccd2", Line: "dashed", Text: "vma->anon_vma"}
	keyText    = KeyEntry{Text: "2.6.6: no anon_vma"}
)

// keyedStory is forkStory with keys on its frames: the first step's two entries, the
// second step's one of them again and one more.
func keyedStory() Story {
	st := forkStory()
	st.Steps[0].Frames[0].Key = []KeyEntry{keySameVMA, keyPointer}
	st.Steps[1].Frames[0].Key = []KeyEntry{keyPointer, keyText}
	st.Steps[1].Frames[0].Walk = "page_referenced walked page 1: found 2 of 2 mappings"
	return st
}

func TestKey(t *testing.T) {
	files := fileMap(mustBuild(t, Site{Stories: []Story{keyedStory()}}))
	page, css := string(files["fork/index.html"]), string(files["style.css"])
	if n := strings.Count(page, `<details class="key" open>`); n != 1 {
		t.Fatalf("the story page has %d keys, want one", n)
	}
	for _, want := range []string{
		`<li><span class="swatch k-same-vma solid" aria-hidden="true"></span>same_vma list: a VMA&#39;s AVCs</li>`,
		`<li><span class="swatch k-pointer dashed" aria-hidden="true"></span>vma-&gt;anon_vma</li>`,
		`<li>2.6.6: no anon_vma</li>`,
		`<p class="walk"><span class="swatch k-walk solid" aria-hidden="true"></span>page_referenced walked page 1: found 2 of 2 mappings</p>`,
	} {
		if strings.Count(page, want) != 1 {
			t.Errorf("the story page has %q %d times, want once", want, strings.Count(page, want))
		}
	}
	for _, want := range []string{
		".k-pointer { --k: #333333; }\n.k-same-vma { --k: #d62728; }\n",
		"@media screen and (prefers-color-scheme: dark) {\n  :root:not([data-theme=light]) .k-pointer { --k: #c8ccd2; }\n",
		"@media screen {\n  :root[data-theme=dark] .k-pointer { --k: #c8ccd2; }\n",
	} {
		if !strings.Contains(css, want) {
			t.Errorf("style.css lacks %q", want)
		}
	}
	if page := string(fileMap(mustBuild(t, Site{Stories: []Story{forkStory()}}))["fork/index.html"]); strings.Contains(page, `class="key"`) {
		t.Error("a story whose frames have no key shows one")
	}
}

func TestKeyErrors(t *testing.T) {
	tests := []struct {
		name string
		key  []KeyEntry
		want string
	}{
		{"a class with other characters", []KeyEntry{{Class: "x;}body{", Light: "#000000", Dark: "#ffffff", Line: "solid", Text: "t"}}, "want a class of a-z"},
		{"a colour not #rrggbb", []KeyEntry{{Class: "x", Light: "red", Dark: "#ffffff", Line: "solid", Text: "t"}}, "colours #rrggbb"},
		{"an unknown line", []KeyEntry{{Class: "x", Light: "#000000", Dark: "#ffffff", Line: "wavy", Text: "t"}}, "a line solid, dashed or dotted"},
		{"colours without a class", []KeyEntry{{Light: "#000000", Text: "t"}}, "colours without a class"},
		{"a class with two colours", []KeyEntry{keySameVMA, {Class: "same-vma", Light: "#000000", Dark: "#ff6b6b", Line: "dashed", Text: "t"}}, `class "same-vma" has two colours`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := forkStory()
			st.Steps[0].Frames[0].Key = tt.key
			_, err := Build(Site{Stories: []Story{st}})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Build: %v, want an error saying %q", err, tt.want)
			}
		})
	}
}
