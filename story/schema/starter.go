package schema

import (
	"fmt"
	"path/filepath"
	"strings"
)

// starterTemplate is the story `avdoc new` writes: one that `avdoc
// check` passes on, to be rewritten. Its verbs are the modeline's
// schema path, the title and the file's path.
const starterTemplate = `# yaml-language-server: $schema=%s
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

// Starter is the text of a new story called name, one that the story
// package parses and whose expectations hold, whose modeline
// points at schema, to be written at file.
func Starter(name, schema, file string) []byte {
	title := strings.ReplaceAll(strings.ReplaceAll(name, "-", " "), "_", " ")
	title = strings.ToUpper(title[:1]) + title[1:]
	return fmt.Appendf(nil, starterTemplate, schema, title, filepath.ToSlash(file))
}

// PathFrom is the path of the schema in the current directory
// ([File]), as a story in dir names it: editors read the modeline's
// path relative to the story file.
func PathFrom(dir string) string {
	abs, err1 := filepath.Abs(dir)
	here, err2 := filepath.Abs(File)
	if err1 != nil || err2 != nil {
		return "./" + File
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
