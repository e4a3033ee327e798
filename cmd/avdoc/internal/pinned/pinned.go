// Package pinned pins a documentation set's diagrams: `avdoc check
// --golden DIR` compares the DOT of every step of every story under every
// kernel with its stored copy in DIR, and --update stores them.
package pinned

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/avdoc/avdoc/illustrate"
	"github.com/avdoc/avdoc/report"
)

// A documentation set pins its diagrams with `avdoc check --golden DIR`:
// the DOT of step N of a story under kernel K is stored as
// DIR/<slug>/step-N-<K>.dot, where slug is the story's page name on the
// site. The DOT is the diagram as the site draws it before Graphviz lays
// it out, so comparing needs no Graphviz and shows what changed in
// words.

// diagram is the DOT of one step of a story under one kernel, and where
// its stored copy lives.
type diagram struct {
	path   string
	step   int
	kernel string
	dot    []byte
}

// InputError is a problem of the stories found while comparing diagrams.
type InputError struct{ error }

// Check compares the diagram of every step of every story with its
// stored copy in dir, adding a check for each to the report; with update
// it stores them instead. A stored diagram that no step draws any more
// fails, or is removed by update.
func Check(r *report.Report, dir string, update bool) error {
	r.Golden = dir
	taken := map[string]bool{}
	for i := range r.Stories {
		a := r.Attempts[i]
		sub := filepath.Join(dir, illustrate.UniqueSlug(a.File, taken))
		ds, err := storyDiagrams(sub, a)
		if err != nil {
			return err
		}
		if update {
			if err := storeDiagrams(&r.Updated, sub, ds); err != nil {
				return err
			}
		}
		for _, d := range ds {
			r.Stories[i].Checks = append(r.Stories[i].Checks, d.check(a.File, dir))
		}
		for _, path := range staleDiagrams(sub, ds) {
			r.Stories[i].Checks = append(r.Stories[i].Checks, report.Check{Kind: "diagram", Name: "a step draws the stored diagram " + path, Pos: path,
				Failure: fmt.Sprintf("%s: no step of %s draws this diagram any more (remove it, or run avdoc check --golden %s --update)", path, a.File, dir)})
		}
	}
	if err := goneStories(r, dir, taken, update); err != nil {
		return err
	}
	r.Count()
	return nil
}

// goneStories fails the diagrams stored in dir for a story that is no
// longer among those checked (its file was removed or renamed), as a
// report of their directory; with update it removes them, and their
// directory once empty. DIR pins the stories a check names, all of them
// and only them.
func goneStories(r *report.Report, dir string, taken map[string]bool, update bool) error {
	entries, _ := os.ReadDir(dir) // none yet, or unreadable: nothing stored to compare
	for _, e := range entries {
		sub := filepath.Join(dir, e.Name())
		stored := staleDiagrams(sub, nil)
		if !e.IsDir() || taken[e.Name()] || len(stored) == 0 {
			continue
		}
		if update {
			if err := storeDiagrams(&r.Updated, sub, nil); err != nil {
				return err
			}
			os.Remove(sub) // only if nothing else is in it
			continue
		}
		gone := report.StoryReport{File: sub}
		for _, path := range stored {
			gone.Checks = append(gone.Checks, report.Check{Kind: "diagram", Name: "a story draws the stored diagram " + path, Pos: path,
				Failure: fmt.Sprintf("%s: no story checked draws this diagram: the story of %s is gone or renamed (remove %s, or run avdoc check --golden %s --update)", path, sub, sub, dir)})
		}
		r.Stories = append(r.Stories, gone)
		r.Attempts = append(r.Attempts, report.Attempt{File: sub})
	}
	return nil
}

// storyDiagrams returns the diagrams of a story, step by step, kernel by
// kernel, to be stored in dir.
func storyDiagrams(dir string, a report.Attempt) ([]diagram, error) {
	var out []diagram
	names := map[string]string{} // file name → kernel; only looked up
	for i := range a.Story.Steps {
		for k := range a.Result.Runs {
			run := &a.Result.Runs[k]
			kernel := run.Kernel.Model.Name
			name := fmt.Sprintf("step-%d-%s.dot", i+1, safeFileName(kernel))
			if other, dup := names[name]; dup && other != kernel {
				return nil, InputError{fmt.Errorf("%s: kernels %q and %q would share the diagram file %s; rename one", a.File, other, kernel, name)}
			}
			names[name] = kernel
			out = append(out, diagram{path: filepath.Join(dir, name), step: i + 1, kernel: kernel, dot: illustrate.StepDOT(run, i)})
		}
	}
	return out, nil
}

// safeFileName turns a kernel name, which a custom kernel makes up, into
// a file name's part: letters, digits, '.', '_' and '-', the rest '_'. It
// keeps no '/', so it cannot leave the directory.
func safeFileName(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			b[i] = '_'
		}
	}
	return string(b)
}

// check compares a diagram with its stored copy.
func (d diagram) check(file, dir string) report.Check {
	c := report.Check{Kind: "diagram", Step: d.step, Kernel: d.kernel, Name: "the diagram matches " + d.path, Pos: d.path, OK: true}
	where := fmt.Sprintf("%s: step %d (kernel %s) of %s", d.path, d.step, d.kernel, file)
	stored, err := os.ReadFile(d.path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		c.OK, c.Failure = false, fmt.Sprintf("%s: no stored copy of the diagram (run avdoc check --golden %s --update to store it)", where, dir)
	case err != nil:
		c.OK, c.Failure = false, fmt.Sprintf("%s: %v", where, err)
	case !bytes.Equal(stored, d.dot):
		c.OK, c.Failure = false, fmt.Sprintf("%s: the diagram differs from the stored copy from %s (run avdoc check --golden %s --update to accept it)",
			where, firstDifference(stored, d.dot), dir)
	}
	return c
}

// firstDifference says where a and b first differ: the line, and what
// each has there.
func firstDifference(a, b []byte) string {
	al, bl := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	i := 0
	for i < len(al) && i < len(bl) && al[i] == bl[i] {
		i++
	}
	line := func(l []string) string {
		if i >= len(l) {
			return "nothing"
		}
		return fmt.Sprintf("%q", clipLine(l[i]))
	}
	return fmt.Sprintf("line %d: stored %s, now %s", i+1, line(al), line(bl))
}

// clipLine shortens a line of DOT to quote in a message.
func clipLine(s string) string {
	if len(s) <= 72 {
		return s
	}
	return strings.ToValidUTF8(s[:72], "") + "…"
}

// storeDiagrams writes a story's diagrams into dir, leaving unchanged files as
// they are, and removes the diagrams no step draws any more.
func storeDiagrams(u *report.DiagramUpdate, dir string, ds []diagram) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("storing diagrams: %w", err)
	}
	for _, d := range ds {
		u.Stored++
		if old, err := os.ReadFile(d.path); err == nil && bytes.Equal(old, d.dot) {
			continue
		}
		if err := os.WriteFile(d.path, d.dot, 0o644); err != nil {
			return fmt.Errorf("storing diagrams: %w", err)
		}
		u.Changed++
	}
	for _, path := range staleDiagrams(dir, ds) {
		if err := os.Remove(path); err != nil {
			return fmt.Errorf("removing a diagram no step draws: %w", err)
		}
		u.Removed++
	}
	return nil
}

// staleDiagrams returns the stored diagrams in dir that none of ds is.
func staleDiagrams(dir string, ds []diagram) []string {
	drawn := map[string]bool{} // only looked up
	for _, d := range ds {
		drawn[d.path] = true
	}
	stored, _ := filepath.Glob(filepath.Join(dir, "step-*.dot")) // the pattern is valid
	return slices.DeleteFunc(stored, func(path string) bool { return drawn[path] })
}
