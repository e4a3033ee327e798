package main

import (
	"github.com/avdoc/avdoc/cmd/avdoc/internal/storyfile"
	"github.com/avdoc/avdoc/report"
	"github.com/avdoc/avdoc/story"
)

// loadEach parses and runs every story that paths name, within lim, each
// on its own, so that one bad file does not hide the others.
func loadEach(paths []string, lim story.Limits) []report.Attempt {
	var out []report.Attempt
	for _, p := range paths {
		files, err := storyfile.Expand(p)
		if err != nil {
			out = append(out, report.Attempt{File: p, Err: err})
			continue
		}
		for _, f := range files {
			a := report.Attempt{File: f}
			a.Result, a.Err = storyfile.Load(f, lim)
			if a.Err == nil {
				a.Story = a.Result.Story
			}
			out = append(out, a)
		}
	}
	return out
}

// load parses and runs one story file within the default limits.
func load(file string) (*story.Result, error) { return storyfile.Load(file, story.DefaultLimits()) }
