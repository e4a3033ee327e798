package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// storyName is what `avdoc new` takes for a story's name: a file name
// without directories, dots or blanks, that also makes a page name.
var storyName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$`)

// newStoryTemplate is the story `avdoc new` writes: one that `avdoc
// check` passes on, to be rewritten. Its verbs are the modeline's
// schema path, the title and the file's path.
const newStoryTemplate = `# yaml-language-server: $schema=%s
#
# An avdoc story. Check it with ` + "`avdoc check %[3]s`" + `, or see it as you write
# with ` + "`avdoc serve`" + `. docs/story-format.md in avdoc's repository is the
# reference of the format.
title: %[2]q
summary: >
  One paragraph on what this story shows: it goes on the index and under
  the title.
kernel: 2.6.34
tags: [fork]
intro: |
  What the reader should know before the first step. Markdown.
steps:
  - do: [spawn P, mmap P heap 2, write P:heap]
    say: |
      P maps two pages and writes both. ` + "`anon_vma_prepare()`" + ` gives the VMA an
      anon_vma, and each page's ` + "`mapping`" + ` points at it.
    expect:
      - mapping(P:heap:0) == av(P:heap)
      - count(anon_vma) == 1
      - clean
  - do: fork P C
    say: |
      P forks C. C's VMA is chained to P's anon_vma, and gets one of its
      own; an rmap walk of P's pages now visits both processes.
    expect:
      - chain(C:heap:0) == [av(C:heap), av(P:heap)]
      - walk(P:heap:1) == [P, C]
      - clean
outro: |
  What the reader should take away.
`

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
	if _, err := os.Stat(schemaFile); err != nil {
		fmt.Fprintf(c.stdout, "for completion and checking as you type, run `avdoc schema > %s` here\n", schemaFile)
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
	_, err = f.Write(newStorySource(name, schemaPath(d), file))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(file)
		return "", fmt.Errorf("writing %s: %w", file, err)
	}
	return file, nil
}

// newStorySource is the text of a new story called name, whose modeline
// points at schema, to be written at file.
func newStorySource(name, schema, file string) []byte {
	title := strings.ReplaceAll(strings.ReplaceAll(name, "-", " "), "_", " ")
	title = strings.ToUpper(title[:1]) + title[1:]
	return fmt.Appendf(nil, newStoryTemplate, schema, title, filepath.ToSlash(file))
}

// schemaPath is the path of the schema in the current directory
// (schemaFile), as a story in dir names it: editors read the modeline's
// path relative to the story file.
func schemaPath(dir string) string {
	abs, err1 := filepath.Abs(dir)
	here, err2 := filepath.Abs(schemaFile)
	if err1 != nil || err2 != nil {
		return "./" + schemaFile
	}
	rel, err := filepath.Rel(abs, here)
	if err != nil {
		return filepath.ToSlash(here)
	}
	rel = filepath.ToSlash(rel)
	if !strings.HasPrefix(rel, "../") {
		rel = "./" + rel
	}
	return rel
}
