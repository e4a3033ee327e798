// Package storyfile finds, reads and loads story files: the *.yaml and *.yml
// files of a directory, recursively, in lexical order, and one file at a
// time within a size limit, refusing anything but a regular file, so that
// a directory, a FIFO or a device such as /dev/zero never blocks or
// exhausts avdoc.
package storyfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"syscall"

	"github.com/avdoc/avdoc/live/livestory"
	"github.com/avdoc/avdoc/live/swapdev"
	"github.com/avdoc/avdoc/story"
)

// Expand returns the story files a path names: a file is itself; a
// directory gives its *.yaml and *.yml files, recursively, in lexical
// order.
func Expand(p string) ([]string, error) {
	info, err := os.Stat(p)
	if err != nil {
		return nil, fmt.Errorf("%s: %s", p, PathProblem(err))
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

// Read reads a story file of at most limit bytes. Only a regular
// file will do: a directory is not a story, and a FIFO or a device such
// as /dev/zero could block or never end.
func Read(file string, limit int64) ([]byte, error) {
	info, err := os.Stat(file)
	switch {
	case err != nil:
		return nil, fmt.Errorf("%s: %s", file, PathProblem(err))
	case info.IsDir():
		return nil, fmt.Errorf("%s: is a directory, not a story file", file)
	case !info.Mode().IsRegular():
		return nil, fmt.Errorf("%s: not a regular file, so not a story file", file)
	case info.Size() > limit:
		return nil, tooLarge(file, info.Size(), limit)
	}
	f, err := os.Open(file)
	if err != nil {
		return nil, fmt.Errorf("%s: %s", file, PathProblem(err))
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

// Scan lists the story files that paths name, in build order, and the
// problems of the paths that name none.
func Scan(paths []string) (files, problems []string) {
	for _, p := range paths {
		found, err := Expand(p)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		files = append(files, found...)
	}
	return files, problems
}

// Stamp is what a watcher compares to see that a file changed.
type Stamp struct {
	File string
	size int64
	mod  int64 // nanoseconds since 1970
	mode os.FileMode
}

// StampAll stamps each file; one that cannot be read gets a zero stamp,
// and reading it will say why.
func StampAll(files []string) []Stamp {
	out := make([]Stamp, len(files))
	for i, f := range files {
		out[i].File = f
		if info, err := os.Stat(f); err == nil {
			out[i].size, out[i].mod, out[i].mode = info.Size(), info.ModTime().UnixNano(), info.Mode()
		}
	}
	return out
}

// Load reads, parses and runs one story file within lim, its live
// kernel (`kernel: live`) on the running kernel.
func Load(file string, lim story.Limits) (*story.Result, error) {
	s, err := ParseWithin(file, lim)
	if err != nil {
		return nil, err
	}
	return story.ExecuteOn(s, livestory.Machines)
}

// Parse reads and parses one story file within the default limits.
func Parse(file string) (*story.Story, error) { return ParseWithin(file, story.DefaultLimits()) }

// ParseWithin reads and parses one story file within lim.
func ParseWithin(file string, lim story.Limits) (*story.Story, error) {
	src, err := Read(file, lim.FileSize)
	if err != nil {
		return nil, err
	}
	return story.ParseWith(file, src, story.Options{Limits: lim})
}

// Machines runs a story's kernels: `kernel: live` on the running kernel
// (see [livestory.Machines]), every other on its model.
func Machines(k story.Kernel) (story.Machine, error) { return livestory.Machines(k) }

// Runs says what a story's runs depend on besides its text, for the
// build cache (see [livestory.Runs]).
func Runs(s *story.Story) []byte { return livestory.Runs(s) }

// Live compares the stories that paths name, run on the running kernel,
// with the model named model, swap events on a device of the kind swap
// names ("zram", "file"; "" for none): `avdoc live` (see
// [livestory.Run]).
func Live(out, errs io.Writer, model, swap string, paths []string) int {
	opts := livestory.Options{Model: model}
	if swap != "" {
		k, err := swapdev.ParseKind(swap)
		if err != nil {
			fmt.Fprintf(errs, "avdoc: live: %v\n", err)
			return livestory.BadInput
		}
		opts.Swap = k
	}
	return livestory.Run(out, errs, opts, paths, livestory.Files{Expand: Expand, Parse: Parse})
}

// Record records the live runs of the stories that paths name, next to
// them: `avdoc live --record` (see [livestory.RecordFiles]); other says
// flags were given that --record does not take (--swap, --random's).
func Record(out, errs io.Writer, paths []string, other bool) int {
	if other {
		fmt.Fprintln(errs, "avdoc: live: --record takes no other flag (it runs no swap events, and no random sequences)")
		return livestory.BadInput
	}
	return livestory.RecordFiles(out, errs, paths, livestory.Files{Expand: Expand, Parse: Parse})
}

// PathProblem says why a path named on the command line cannot be used,
// for "PATH: problem": the system's words, except where they mislead. A
// loop of symbolic links makes stat fail with ELOOP, which is not "no such
// file or directory": the file is there, and the links are what to fix.
func PathProblem(err error) string {
	switch {
	case errors.Is(err, syscall.ELOOP):
		return "a loop of symbolic links (following them never reaches a file; fix or remove the links)"
	case errors.Is(err, fs.ErrNotExist):
		return "no such file or directory"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
