package main

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/avdoc/avdoc/story"
)

// expandPath returns the story files a path names: a file is itself; a
// directory gives its *.yaml and *.yml files, recursively, in lexical
// order.
func expandPath(p string) ([]string, error) {
	info, err := os.Stat(p)
	if err != nil {
		return nil, fmt.Errorf("%s: %s", p, pathProblem(err))
	}
	if !info.IsDir() {
		return []string{p}, nil
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
	return found, nil
}

// loaded is one story file, parsed and run.
type loaded struct {
	file   string
	story  *story.Story
	result *story.Result
}

// attempt is one story file loaded, or the error that stopped it: the
// file could not be read, or the story is malformed. A path that names
// no story file is an attempt of its own.
type attempt struct {
	file string
	l    loaded
	err  error
}

// loadEach parses and runs every story that paths name, within lim, each
// on its own, so that one bad file does not hide the others.
func loadEach(paths []string, lim story.Limits) []attempt {
	var out []attempt
	for _, p := range paths {
		files, err := expandPath(p)
		if err != nil {
			out = append(out, attempt{file: p, err: err})
			continue
		}
		for _, f := range files {
			l, err := loadFile(f, lim)
			out = append(out, attempt{file: f, l: l, err: err})
		}
	}
	return out
}

// load parses and runs one story file within the default limits.
func load(file string) (loaded, error) { return loadFile(file, story.DefaultLimits()) }

// load parses and runs one story file within the limits of c's flags.
func (c *cli) load(file string) (loaded, error) { return loadFile(file, c.limits) }

func loadFile(file string, lim story.Limits) (loaded, error) {
	src, err := readStory(file, lim.FileSize)
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

// readStory reads a story file of at most limit bytes. Only a regular
// file will do: a directory is not a story, and a FIFO or a device such
// as /dev/zero could block or never end.
func readStory(file string, limit int64) ([]byte, error) {
	info, err := os.Stat(file)
	switch {
	case err != nil:
		return nil, fmt.Errorf("%s: %s", file, pathProblem(err))
	case info.IsDir():
		return nil, fmt.Errorf("%s: is a directory, not a story file", file)
	case !info.Mode().IsRegular():
		return nil, fmt.Errorf("%s: not a regular file, so not a story file", file)
	case info.Size() > limit:
		return nil, tooLarge(file, info.Size(), limit)
	}
	f, err := os.Open(file)
	if err != nil {
		return nil, fmt.Errorf("%s: %s", file, pathProblem(err))
	}
	defer f.Close()
	// The file may have grown since: read one byte past the limit to see.
	src, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", file, err)
	}
	if int64(len(src)) > limit {
		return nil, tooLarge(file, int64(len(src)), limit)
	}
	return src, nil
}

func tooLarge(file string, size, limit int64) error {
	return fmt.Errorf("%s: the file is %d bytes; a story may be at most %d bytes (raise the limit with --max-file-size N)", file, size, limit)
}
