package main

import (
	"github.com/avdoc/avdoc/cmd/avdoc/internal/storyfile"
	"github.com/avdoc/avdoc/report"
	"github.com/avdoc/avdoc/story"
)

// loaded is one story file, parsed and run.
type loaded struct {
	file   string
	story  *story.Story
	result *story.Result
}

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
			l, err := loadFile(f, lim)
			out = append(out, report.Attempt{File: f, Story: l.story, Result: l.result, Err: err})
		}
	}
	return out
}

// load parses and runs one story file within the default limits.
func load(file string) (loaded, error) { return loadFile(file, story.DefaultLimits()) }

// load parses and runs one story file within the limits of c's flags.
func (c *cli) load(file string) (loaded, error) { return loadFile(file, c.limits) }

func loadFile(file string, lim story.Limits) (loaded, error) {
	src, err := storyfile.Read(file, lim.FileSize)
	if err != nil {
		return loaded{}, err
	}
	s, err := story.ParseWith(file, src, story.Options{Limits: lim})
	if err != nil {
		return loaded{}, err
	}
	res, err := story.Execute(s)
	if err != nil {
		return loaded{}, err
	}
	return loaded{file: file, story: s, result: res}, nil
}
