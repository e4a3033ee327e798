package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/avdoc/avdoc/story/schema"
)

// storyName is what `avdoc new` takes for a story's name: a file name
// without directories, dots or blanks, that also makes a page name.
var storyName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$`)

// runNew writes a new story: `avdoc new NAME [DIR]`.
func runNew(c *cli, args []string) int {
	fs := c.flags("new")
	pos, code, ok := c.parse(fs, args)
	if !ok {
		return code
	}
	if len(pos) < 1 || len(pos) > 2 {
		c.errorf("new takes a story's name, and optionally the directory to write it in")
		fs.Usage()
		return exitInput
	}
	file, err := newStory(pos[0], pos[1:])
	if err != nil {
		c.errorf("%v", err)
		return exitInput
	}
	fmt.Fprintf(c.stdout, "wrote %s; check it with `avdoc check %s`, or watch it with `avdoc serve`\n", file, file)
	if _, err := os.Stat(schema.File); err != nil {
		fmt.Fprintf(c.stdout, "for completion and checking as you type, run `avdoc schema > %s` here\n", schema.File)
	}
	return exitOK
}

// newStory writes the story NAME.yaml into dir (stories/, made if need
// be, when no dir is given) and returns its path. It never overwrites a
// file.
func newStory(name string, dir []string) (string, error) {
	name = strings.TrimSuffix(strings.TrimSuffix(name, ".yaml"), ".yml")
	if !storyName.MatchString(name) {
		return "", fmt.Errorf("%q cannot name a story: use letters, digits, - and _, starting with a letter or digit (e.g. fork-twice)", name)
	}
	d := "stories"
	if len(dir) > 0 {
		d = dir[0]
		if info, err := os.Stat(d); err != nil || !info.IsDir() {
			return "", fmt.Errorf("%s is not a directory", d)
		}
	} else if err := os.MkdirAll(d, 0o755); err != nil {
		return "", fmt.Errorf("creating %s: %w", d, err)
	}
	file := filepath.Join(d, name+".yaml")
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, os.ErrExist) {
		return "", fmt.Errorf("%s already exists; avdoc new never overwrites a file (choose another name)", file)
	}
	if err != nil {
		return "", fmt.Errorf("creating %s: %w", file, err)
	}
	_, err = f.Write(schema.Starter(name, schema.PathFrom(d), file))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(file)
		return "", fmt.Errorf("writing %s: %w", file, err)
	}
	return file, nil
}
