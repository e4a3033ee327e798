package mdbook

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/avdoc/avdoc/illustrate"
	"github.com/avdoc/avdoc/story"
)

// Usage is what `avdoc mdbook -h` prints.
const Usage = `Usage: avdoc mdbook [supports RENDERER]

An mdBook preprocessor. In book.toml:

    [preprocessor.avdoc]
    command = "avdoc mdbook"

and in a chapter, on a line of its own (FILE relative to the book's root,
where book.toml is):

    {{#avdoc FILE}}                       the story: steps, narration, figures, checks
    {{#avdoc FILE step=N [kernel=K]}}     one step's figure, as inline SVG

A story that does not load, or whose expectations fail, stops the book
(exit 1, or 2 for a bad directive or story), with file:line:col messages.
`

// Graphviz is what draws the figures, closed when the book is done.
type Graphviz interface {
	illustrate.Graphviz
	Close() error
}

// Command is avdoc's preprocessor as mdBook runs it: `supports RENDERER`
// exits 0 for html and 1 for others; with no arguments it reads
// [context, book] from stdin and writes the book to stdout, reading each
// story with read (within the default limits) and drawing with what open
// starts (only when there is a book to process). The exit status is 0
// when the book was written, 1 when a story's claims fail, 2 for bad
// input.
func Command[G Graphviz](ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer,
	open func(context.Context) (G, error), read func(file string, limit int64) ([]byte, error)) int {
	switch {
	case len(args) == 2 && args[0] == "supports":
		if Supports(args[1]) {
			return 0
		}
		return 1
	case len(args) == 1 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help"):
		io.WriteString(stdout, Usage)
		return 0
	case len(args) > 0 && strings.HasPrefix(args[0], "-"):
		fmt.Fprintf(stderr, "avdoc: flag provided but not defined: -%s\n\n%s", strings.TrimLeft(args[0], "-"), Usage)
		return 2
	case len(args) > 0:
		fmt.Fprintf(stderr, "avdoc: mdbook takes no arguments but supports RENDERER: mdBook runs it\n\n%s", Usage)
		return 2
	}
	out, err := process(ctx, stdin, open, read)
	if err != nil {
		fmt.Fprintf(stderr, "avdoc mdbook: the book is not made:\n%v\n", err)
		return exitStatus(err)
	}
	stdout.Write(out)
	return 0
}

// exitStatus is 1 for a book stopped only by claims that do not hold,
// else 2.
func exitStatus(err error) int {
	var bad *Error
	if errors.As(err, &bad) && !bad.Input {
		return 1
	}
	return 2
}

// process reads mdBook's input and expands it.
func process[G Graphviz](ctx context.Context, stdin io.Reader, open func(context.Context) (G, error), read func(string, int64) ([]byte, error)) ([]byte, error) {
	in, err := io.ReadAll(stdin)
	if err != nil {
		return nil, &Error{Problems: []string{"reading mdBook's input: " + err.Error()}, Input: true}
	}
	g, err := open(ctx)
	if err != nil {
		return nil, err
	}
	defer g.Close()
	il := &illustrate.Illustrator{Limits: story.DefaultLimits(), Graphviz: g, Printer: illustrate.SVG{}, Jobs: 1, Read: read}
	return (&Preprocessor{Illustrator: il}).Process(ctx, in)
}
