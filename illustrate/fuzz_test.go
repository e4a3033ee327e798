package illustrate

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/avdoc/avdoc/render"
	"github.com/avdoc/avdoc/story"
)

// fuzzLimits keep each fuzzed story small: the limits, not a clock, are
// what bound the time and memory one input may take.
func fuzzLimits() story.Limits {
	return story.Limits{Procs: 32, Pages: 2048, Steps: 32, Work: 100_000, FileSize: 64 << 10}
}

// FuzzPipeline feeds arbitrary bytes through what a build does before
// Graphviz: parse, simulate under every kernel, and draw every step as
// DOT and as its text description. No input may panic; every DOT must be
// one balanced graph, whatever the story's texts hold. The seed corpus
// is testdata/fuzz/FuzzPipeline and the shipped stories.
func FuzzPipeline(f *testing.F) {
	files, _ := filepath.Glob("../stories/*.yaml")
	for _, file := range files {
		if src, err := os.ReadFile(file); err == nil {
			f.Add(src)
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		s, err := story.ParseWith("fuzz.yaml", src, story.Options{Limits: fuzzLimits()})
		if err != nil {
			return // malformed; FuzzParse checks its errors
		}
		res, err := story.Execute(s)
		if err != nil {
			return
		}
		for k := range res.Runs {
			run := &res.Runs[k]
			for i := range run.Steps {
				dot := StepDOT(run, i)
				if err := checkDOT(dot); err != nil {
					t.Fatalf("step %d, kernel %s: %v\n%s", i+1, run.Kernel.Model.Name, err, dot)
				}
				render.Describe(&run.Steps[i].State, StepOptions(run, i, SiteStyle()))
			}
		}
	})
}

// checkDOT checks that dot is one digraph whose strings, HTML-like
// labels, brackets and braces are all closed: text that escaped its
// quoting would unbalance them.
func checkDOT(dot []byte) error {
	if !bytes.HasPrefix(dot, []byte("digraph")) {
		return errors.New("does not start with digraph")
	}
	var stack []byte // open brackets: '{', '[', or '<' of an HTML-like label
	for i := 0; i < len(dot); i++ {
		c := dot[i]
		inHTML := len(stack) > 0 && stack[len(stack)-1] == '<'
		switch {
		case c == '-' && !inHTML && i+1 < len(dot) && (dot[i+1] == '>' || dot[i+1] == '-'):
			i++ // an edge, -> or --
		case c == '"' && !inHTML:
			end := closingQuote(dot, i+1)
			if end < 0 {
				return fmt.Errorf("a string opened at byte %d is not closed", i)
			}
			i = end
		case c == '{' && !inHTML, c == '[' && !inHTML, c == '<':
			stack = append(stack, c)
		case c == '}' && !inHTML, c == ']' && !inHTML, c == '>':
			open := map[byte]byte{'}': '{', ']': '[', '>': '<'}[c]
			if len(stack) == 0 || stack[len(stack)-1] != open {
				return fmt.Errorf("%q at byte %d closes nothing open", c, i)
			}
			stack = stack[:len(stack)-1]
		}
	}
	if len(stack) > 0 {
		return fmt.Errorf("%q left open", stack)
	}
	return nil
}

// closingQuote returns the index of the quote that closes a DOT string
// starting at from, or -1.
func closingQuote(dot []byte, from int) int {
	for i := from; i < len(dot); i++ {
		switch dot[i] {
		case '\\':
			i++
		case '"':
			return i
		}
	}
	return -1
}

// TestCheckDOT: the balance check finds what escaped its quoting.
func TestCheckDOT(t *testing.T) {
	tests := []struct {
		dot string
		ok  bool
	}{
		{`digraph { a [label="x \" } y"]; b [label=<<b>x &lt; y</b>>]; a -> b }`, true},
		{`digraph { a -> b [label="x"] > }`, false},
		{`digraph { a [label="x" } y"] }`, false},
		{`digraph { a [label=<<b>x < y</b>>] }`, false},
		{`digraph { a [label="unclosed] }`, false},
		{`digraph { a -> b`, false},
		{`graph { }`, false},
	}
	for _, tt := range tests {
		if err := checkDOT([]byte(tt.dot)); (err == nil) != tt.ok {
			t.Errorf("checkDOT(%q) = %v, want ok %v", tt.dot, err, tt.ok)
		}
	}
}
