package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/avdoc/avdoc/story"
)

// maxStoryBytes is the largest story file avdoc reads.
const maxStoryBytes = 1 << 20

// storyFiles expands paths into the story files they name: a file is
// itself; a directory gives its *.yaml and *.yml files, recursively, in
// lexical order.
func storyFiles(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("%s: no such file or directory", p)
		}
		if !info.IsDir() {
			out = append(out, p)
			continue
		}
		var found []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if ext := filepath.Ext(path); !d.IsDir() && (ext == ".yaml" || ext == ".yml") {
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", p, err)
		}
		if len(found) == 0 {
			return nil, fmt.Errorf("%s: no story files (*.yaml) in this directory", p)
		}
		slices.Sort(found)
		out = append(out, found...)
	}
	return out, nil
}

// loaded is one story file, parsed and run.
type loaded struct {
	file   string
	story  *story.Story
	result *story.Result
}

// loadAll parses and runs every story in paths. Problems in the input
// (unreadable files, parse errors, events the engine refuses) are
// returned as one error listing them all.
func loadAll(paths []string) ([]loaded, error) {
	files, err := storyFiles(paths)
	if err != nil {
		return nil, err
	}
	var out []loaded
	var errs []string
	for _, f := range files {
		l, err := load(f)
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		out = append(out, l)
	}
	if errs != nil {
		return nil, errors.New(strings.Join(errs, "\n"))
	}
	return out, nil
}

func load(file string) (loaded, error) {
	src, err := readStory(file)
	if err != nil {
		return loaded{}, err
	}
	s, err := story.Parse(file, src)
	if err != nil {
		return loaded{}, err
	}
	res, err := story.Execute(s)
	if err != nil {
		return loaded{}, err
	}
	return loaded{file: file, story: s, result: res}, nil
}

func readStory(file string) ([]byte, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, errors.Unwrap(err))
	}
	defer f.Close()
	info, err := f.Stat()
	switch {
	case err != nil:
		return nil, fmt.Errorf("%s: %w", file, err)
	case info.IsDir():
		return nil, fmt.Errorf("%s: is a directory, not a story file", file)
	case info.Size() > maxStoryBytes:
		return nil, fmt.Errorf("%s: %d bytes is larger than a story may be (%d)", file, info.Size(), maxStoryBytes)
	}
	return os.ReadFile(file)
}
