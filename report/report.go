// Package report is what `avdoc check` found in a set of stories: for
// each story file, the problems that kept it from being checked, or every
// expectation under every kernel (and, with stored diagrams, every step's
// diagram) and whether it held; printed as text, JSON or JUnit XML for CI
// systems.
package report

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/avdoc/avdoc/story"
)

// Report is what `avdoc check` found, as its json format prints it.
type Report struct {
	Stories []StoryReport `json:"stories"`
	Summary Summary       `json:"summary"`
	// Attempts are the loaded stories, in the order of Stories.
	Attempts []Attempt `json:"-"`
	// Golden is the directory of stored diagrams, if they were compared.
	Golden  string        `json:"-"`
	Updated DiagramUpdate `json:"-"`
	// WorkDir is the directory GitHub's annotations name files from.
	WorkDir string `json:"-"`
	// StepSummary receives the github format's job summary; nil: stdout.
	StepSummary io.Writer `json:"-"`
}

// Exit statuses of `avdoc check`, as the README documents them.
const (
	ExitOK     = 0 // every check holds
	ExitFailed = 1 // a check failed
	ExitInput  = 2 // the input is wrong: a bad story or path
)

// Attempt is one story file parsed and run, or the error that stopped
// it: the file could not be read, or the story is malformed. A path that
// names no story file is an attempt of its own.
type Attempt struct {
	File   string
	Story  *story.Story
	Result *story.Result
	Err    error
}

// DiagramUpdate counts what storing the diagrams did (check --update).
type DiagramUpdate struct{ Stored, Changed, Removed int }

// StoryReport is one story file: the problems that kept it from being
// checked, or its checks.
type StoryReport struct {
	File    string    `json:"file"`
	Title   string    `json:"title,omitempty"`
	Kernels []string  `json:"kernels,omitempty"`
	Errors  []Problem `json:"errors,omitempty"`
	Checks  []Check   `json:"checks,omitempty"`
}

// Problem is one thing wrong with the input.
type Problem struct {
	Pos     string `json:"pos"` // file:line:col, or the path alone
	Line    int    `json:"line,omitempty"`
	Col     int    `json:"col,omitempty"`
	Message string `json:"message"`
	Hint    string `json:"hint,omitempty"`
}

// Check is one check of one step under one kernel.
type Check struct {
	// Kind is "expectation"; "outcome" for a step that broke an
	// invariant or oopsed without an expectation naming it; or
	// "diagram" for a step's diagram compared with its stored copy.
	Kind   string `json:"kind"`
	Step   int    `json:"step"`
	Kernel string `json:"kernel"`
	Name   string `json:"name"` // the expectation as written, or what was checked
	Pos    string `json:"pos"`  // file:line:col, or the stored diagram's path
	Line   int    `json:"line,omitempty"`
	Col    int    `json:"col,omitempty"`
	OK     bool   `json:"ok"`
	// Failure is the line the text format prints for a failed check.
	Failure string `json:"failure,omitempty"`
}

// Summary counts the report; Exit is avdoc's exit status.
type Summary struct {
	Stories int `json:"stories"`
	Checks  int `json:"checks"`
	Failed  int `json:"failed"`
	Errors  int `json:"errors"` // problems of the input
	Exit    int `json:"exit"`
}

// New reports on loaded stories.
func New(attempts []Attempt) *Report {
	r := &Report{Attempts: attempts}
	for _, a := range attempts {
		r.Stories = append(r.Stories, storyResult(a))
	}
	r.Count()
	return r
}

// Count sets the summary from the stories.
func (r *Report) Count() {
	r.Summary = Summary{Stories: len(r.Stories)}
	for _, s := range r.Stories {
		r.Summary.Errors += len(s.Errors)
		r.Summary.Checks += len(s.Checks)
		for _, c := range s.Checks {
			if !c.OK {
				r.Summary.Failed++
			}
		}
	}
	r.Summary.Exit = r.ExitCode()
}

// LoadedAll reports whether every story loaded.
func (r *Report) LoadedAll() bool { return r.Summary.Errors == 0 }

// ExitCode is avdoc check's exit status for the report.
func (r *Report) ExitCode() int {
	switch {
	case r.Summary.Errors > 0:
		return ExitInput
	case r.Summary.Failed > 0:
		return ExitFailed
	}
	return ExitOK
}

// storyResult reports on one attempt: its problems, or every expectation
// of every step under every kernel, in the order the story runs them
// (kernel by kernel), with the steps that broke the honesty rule.
func storyResult(a Attempt) StoryReport {
	out := StoryReport{File: a.File}
	if a.Err != nil {
		out.Errors = problems(a.File, a.Err)
		return out
	}
	s, res := a.Story, a.Result
	out.Title, out.Kernels = s.Title, s.KernelNames()
	failures := res.Failures // in the same order as the failed checks below
	next := func() string {
		if len(failures) == 0 {
			return a.File + ": a check failed" // not reached: Execute lists every failed check
		}
		f := failures[0]
		failures = failures[1:]
		return f.String()
	}
	for _, run := range res.Runs {
		kernel := run.Kernel.Model.Name
		for i := range run.Steps {
			for _, chk := range run.Steps[i].Checks {
				x := chk.Expectation
				c := Check{Kind: "expectation", Step: i + 1, Kernel: kernel, Name: x.Text, Pos: x.Pos.String(), Line: x.Pos.Line, Col: x.Pos.Col, OK: chk.OK}
				if !c.OK {
					c.Failure = next()
				}
				out.Checks = append(out.Checks, c)
			}
			if len(failures) > 0 && failures[0].Unnamed && failures[0].Step == i+1 && failures[0].Kernel == kernel {
				pos := failures[0].Pos
				out.Checks = append(out.Checks, Check{Kind: "outcome", Step: i + 1, Kernel: kernel,
					Name: "an expectation names what the step broke", Pos: pos.String(), Line: pos.Line, Col: pos.Col, Failure: next()})
			}
		}
	}
	return out
}

// problems lists what err says is wrong with a file: each error of a
// story, or err itself.
func problems(file string, err error) []Problem {
	var list story.ErrorList
	if !errors.As(err, &list) {
		return []Problem{{Pos: file, Message: strings.TrimPrefix(err.Error(), file+": ")}}
	}
	out := make([]Problem, len(list))
	for i, e := range list {
		out[i] = Problem{Pos: e.Pos.String(), Line: e.Pos.Line, Col: e.Pos.Col, Message: e.Msg, Hint: e.Hint}
	}
	return out
}

// Write prints the report: problems and failures on stderr, one a line,
// and the summary; in the json and junit formats, the report itself on
// stdout; in the github format, see [Report.WriteGitHub]. It returns the
// exit status.
func (r *Report) Write(stdout, stderr io.Writer, format string) int {
	if format == "github" {
		return r.writeGitHub(stdout, stderr)
	}
	r.PrintText(stderr)
	code := r.ExitCode()
	switch {
	case format == "json":
		r.WriteJSON(stdout)
	case format == "junit":
		r.WriteJUnit(stdout)
	case code == ExitOK:
		fmt.Fprintln(stdout, r.OKLine())
	}
	if code == ExitOK && format != "text" {
		fmt.Fprintln(stderr, r.OKLine())
	}
	return code
}

// Tally counts what a build's stories checked, and how many of their
// claims failed.
type Tally struct {
	Checks, Failed, Unnamed int
}

// Add counts one story's failures and checks.
func (t *Tally) Add(failures []story.Failure, checks int) {
	for _, f := range failures {
		if f.Unnamed {
			t.Unnamed++
		} else {
			t.Failed++
		}
	}
	t.Checks += checks
}

// Summary says what failed, in stories stories.
func (t *Tally) Summary(stories int) string {
	var parts []string
	if t.Failed > 0 {
		parts = append(parts, fmt.Sprintf("%d of %d expectations failed", t.Failed, t.Checks))
	}
	if t.Unnamed > 0 {
		parts = append(parts, fmt.Sprintf("%d step(s) broke an invariant or oopsed without an expectation saying so", t.Unnamed))
	}
	return fmt.Sprintf("%s, in %d stories", strings.Join(parts, "; "), stories)
}

// PrintText writes what text mode reports on standard error: the
// problems of the input if there are any, else every failure and, if
// there were some, the summary.
func (r *Report) PrintText(w io.Writer) {
	if r.Summary.Errors > 0 {
		for _, a := range r.Attempts {
			if a.Err != nil {
				fmt.Fprintln(w, a.Err)
			}
		}
		return
	}
	for _, s := range r.Stories {
		for _, chk := range s.Checks {
			if !chk.OK {
				fmt.Fprintln(w, chk.Failure)
			}
		}
	}
	if r.Summary.Failed > 0 {
		fmt.Fprintln(w, r.FailedLine())
	}
}

// OKLine is the summary of a check that found nothing wrong.
func (r *Report) OKLine() string {
	line := fmt.Sprintf("ok: %d stories, %d expectations hold", r.Summary.Stories, r.Summary.Checks-r.DiagramCount())
	switch {
	case r.Golden != "" && r.Updated.Stored > 0:
		line += fmt.Sprintf("; stored %d diagrams in %s (%d changed, %d removed)", r.Updated.Stored, r.Golden, r.Updated.Changed, r.Updated.Removed)
	case r.Golden != "":
		line += fmt.Sprintf("; %d diagrams match %s", r.DiagramCount(), r.Golden)
	}
	return line
}

// FailedLine is the summary of a check that found failures.
func (r *Report) FailedLine() string {
	var parts []string
	counts := map[string][2]int{} // kind → failed, all; only looked up
	for _, s := range r.Stories {
		for _, c := range s.Checks {
			n := counts[c.Kind]
			n[1]++
			if !c.OK {
				n[0]++
			}
			counts[c.Kind] = n
		}
	}
	if n := counts["expectation"]; n[0] > 0 {
		parts = append(parts, fmt.Sprintf("%d of %d expectations failed", n[0], n[1]))
	}
	if n := counts["outcome"]; n[0] > 0 {
		parts = append(parts, fmt.Sprintf("%d step(s) broke an invariant or oopsed without an expectation saying so", n[0]))
	}
	if n := counts["diagram"]; n[0] > 0 {
		parts = append(parts, fmt.Sprintf("%d of %d diagrams differ from %s", n[0], n[1], r.Golden))
	}
	return fmt.Sprintf("%s, in %d stories", strings.Join(parts, "; "), r.Summary.Stories)
}

// DiagramCount counts the diagram checks.
func (r *Report) DiagramCount() int {
	n := 0
	for _, s := range r.Stories {
		for _, c := range s.Checks {
			if c.Kind == "diagram" {
				n++
			}
		}
	}
	return n
}

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(r) // a report always encodes; w is standard output
}

// JUnit XML, as CI systems read it: a testsuite per story file, a
// testcase per check, an error for a story that could not be checked.
type (
	JUnitSuites struct {
		XMLName  xml.Name     `xml:"testsuites"`
		Name     string       `xml:"name,attr"`
		Tests    int          `xml:"tests,attr"`
		Failures int          `xml:"failures,attr"`
		Errors   int          `xml:"errors,attr"`
		Suites   []JUnitSuite `xml:"testsuite"`
	}
	JUnitSuite struct {
		Name     string      `xml:"name,attr"`
		Tests    int         `xml:"tests,attr"`
		Failures int         `xml:"failures,attr"`
		Errors   int         `xml:"errors,attr"`
		Cases    []JUnitCase `xml:"testcase"`
	}
	JUnitCase struct {
		Name      string        `xml:"name,attr"`
		Classname string        `xml:"classname,attr"`
		File      string        `xml:"file,attr,omitempty"`
		Line      int           `xml:"line,attr,omitempty"`
		Failure   *JUnitProblem `xml:"failure"`
		Error     *JUnitProblem `xml:"error"`
	}
	JUnitProblem struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr"`
		Text    string `xml:",chardata"`
	}
)

// WriteJUnit writes the report as JUnit XML. encoding/xml escapes every
// text and attribute, and replaces characters XML cannot hold.
func (r *Report) WriteJUnit(w io.Writer) {
	out := JUnitSuites{Name: "avdoc check"}
	for _, s := range r.Stories {
		suite := junitStory(s)
		out.Tests += suite.Tests
		out.Failures += suite.Failures
		out.Errors += suite.Errors
		out.Suites = append(out.Suites, suite)
	}
	io.WriteString(w, xml.Header)
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	enc.Encode(out) // a report always encodes; w is standard output
	io.WriteString(w, "\n")
}

func junitStory(s StoryReport) JUnitSuite {
	suite := JUnitSuite{Name: s.File, Tests: len(s.Checks)}
	if len(s.Errors) > 0 {
		var lines []string
		for _, p := range s.Errors {
			lines = append(lines, problemLine(p))
		}
		suite.Tests, suite.Errors = 1, 1
		suite.Cases = []JUnitCase{{Name: "the story can be checked", Classname: s.File, File: s.File,
			Error: &JUnitProblem{Message: lines[0], Type: "input", Text: strings.Join(lines, "\n")}}}
		return suite
	}
	for _, c := range s.Checks {
		tc := JUnitCase{Name: c.Name, Classname: s.File, File: s.File, Line: c.Line}
		if c.Step > 0 {
			tc.Name = fmt.Sprintf("step %d, kernel %s: %s", c.Step, c.Kernel, c.Name)
		}
		if !c.OK {
			suite.Failures++
			tc.Failure = &JUnitProblem{Message: c.Failure, Type: c.Kind, Text: c.Failure}
		}
		suite.Cases = append(suite.Cases, tc)
	}
	return suite
}

// problemLine prints a problem as the text format does.
func problemLine(p Problem) string {
	if p.Hint == "" {
		return p.Pos + ": " + p.Message
	}
	return p.Pos + ": " + p.Message + " (" + p.Hint + ")"
}
