package main

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/avdoc/avdoc/story"
)

// report is what `avdoc check` found, as its json format prints it.
type report struct {
	Stories []storyReport `json:"stories"`
	Summary summary       `json:"summary"`
	// attempts are the loaded stories, in the order of Stories.
	attempts []attempt
	// golden is the directory of stored diagrams, if they were compared.
	golden  string
	updated diagramUpdate
}

// storyReport is one story file: the problems that kept it from being
// checked, or its checks.
type storyReport struct {
	File    string        `json:"file"`
	Title   string        `json:"title,omitempty"`
	Kernels []string      `json:"kernels,omitempty"`
	Errors  []problem     `json:"errors,omitempty"`
	Checks  []checkResult `json:"checks,omitempty"`
}

// problem is one thing wrong with the input.
type problem struct {
	Pos     string `json:"pos"` // file:line:col, or the path alone
	Line    int    `json:"line,omitempty"`
	Col     int    `json:"col,omitempty"`
	Message string `json:"message"`
	Hint    string `json:"hint,omitempty"`
}

// checkResult is one check of one step under one kernel.
type checkResult struct {
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

// summary counts the report; Exit is avdoc's exit status.
type summary struct {
	Stories int `json:"stories"`
	Checks  int `json:"checks"`
	Failed  int `json:"failed"`
	Errors  int `json:"errors"` // problems of the input
	Exit    int `json:"exit"`
}

// newReport reports on loaded stories.
func newReport(attempts []attempt) *report {
	r := &report{attempts: attempts}
	for _, a := range attempts {
		r.Stories = append(r.Stories, storyResult(a))
	}
	r.count()
	return r
}

// count sets the summary from the stories.
func (r *report) count() {
	r.Summary = summary{Stories: len(r.Stories)}
	for _, s := range r.Stories {
		r.Summary.Errors += len(s.Errors)
		r.Summary.Checks += len(s.Checks)
		for _, c := range s.Checks {
			if !c.OK {
				r.Summary.Failed++
			}
		}
	}
	r.Summary.Exit = r.exitCode()
}

func (r *report) loadedAll() bool { return r.Summary.Errors == 0 }

func (r *report) exitCode() int {
	switch {
	case r.Summary.Errors > 0:
		return exitInput
	case r.Summary.Failed > 0:
		return exitFailed
	}
	return exitOK
}

// storyResult reports on one attempt: its problems, or every expectation
// of every step under every kernel, in the order the story runs them
// (kernel by kernel), with the steps that broke the honesty rule.
func storyResult(a attempt) storyReport {
	out := storyReport{File: a.file}
	if a.err != nil {
		out.Errors = problems(a.file, a.err)
		return out
	}
	s, res := a.l.story, a.l.result
	out.Title, out.Kernels = s.Title, s.KernelNames()
	failures := res.Failures // in the same order as the failed checks below
	next := func() string {
		if len(failures) == 0 {
			return a.file + ": a check failed" // not reached: Execute lists every failed check
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
				c := checkResult{Kind: "expectation", Step: i + 1, Kernel: kernel, Name: x.Text, Pos: x.Pos.String(), Line: x.Pos.Line, Col: x.Pos.Col, OK: chk.OK}
				if !c.OK {
					c.Failure = next()
				}
				out.Checks = append(out.Checks, c)
			}
			if len(failures) > 0 && failures[0].Unnamed && failures[0].Step == i+1 && failures[0].Kernel == kernel {
				pos := failures[0].Pos
				out.Checks = append(out.Checks, checkResult{Kind: "outcome", Step: i + 1, Kernel: kernel,
					Name: "an expectation names what the step broke", Pos: pos.String(), Line: pos.Line, Col: pos.Col, Failure: next()})
			}
		}
	}
	return out
}

// problems lists what err says is wrong with a file: each error of a
// story, or err itself.
func problems(file string, err error) []problem {
	var list story.ErrorList
	if !errors.As(err, &list) {
		return []problem{{Pos: file, Message: strings.TrimPrefix(err.Error(), file+": ")}}
	}
	out := make([]problem, len(list))
	for i, e := range list {
		out[i] = problem{Pos: e.Pos.String(), Line: e.Pos.Line, Col: e.Pos.Col, Message: e.Msg, Hint: e.Hint}
	}
	return out
}

// okLine is the summary of a check that found nothing wrong.
func (r *report) okLine() string {
	line := fmt.Sprintf("ok: %d stories, %d expectations hold", r.Summary.Stories, r.Summary.Checks-r.diagramCount())
	switch {
	case r.golden != "" && r.updated.stored > 0:
		line += fmt.Sprintf("; stored %d diagrams in %s (%d changed, %d removed)", r.updated.stored, r.golden, r.updated.changed, r.updated.removed)
	case r.golden != "":
		line += fmt.Sprintf("; %d diagrams match %s", r.diagramCount(), r.golden)
	}
	return line
}

// failedLine is the summary of a check that found failures.
func (r *report) failedLine() string {
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
		parts = append(parts, fmt.Sprintf("%d of %d diagrams differ from %s", n[0], n[1], r.golden))
	}
	return fmt.Sprintf("%s, in %d stories", strings.Join(parts, "; "), r.Summary.Stories)
}

func (r *report) diagramCount() int {
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

// writeJSON writes the report as indented JSON.
func (r *report) writeJSON(w io.Writer) {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(r) // a report always encodes; w is standard output
}

// JUnit XML, as CI systems read it: a testsuite per story file, a
// testcase per check, an error for a story that could not be checked.
type (
	junitSuites struct {
		XMLName  xml.Name     `xml:"testsuites"`
		Name     string       `xml:"name,attr"`
		Tests    int          `xml:"tests,attr"`
		Failures int          `xml:"failures,attr"`
		Errors   int          `xml:"errors,attr"`
		Suites   []junitSuite `xml:"testsuite"`
	}
	junitSuite struct {
		Name     string      `xml:"name,attr"`
		Tests    int         `xml:"tests,attr"`
		Failures int         `xml:"failures,attr"`
		Errors   int         `xml:"errors,attr"`
		Cases    []junitCase `xml:"testcase"`
	}
	junitCase struct {
		Name      string        `xml:"name,attr"`
		Classname string        `xml:"classname,attr"`
		File      string        `xml:"file,attr,omitempty"`
		Line      int           `xml:"line,attr,omitempty"`
		Failure   *junitProblem `xml:"failure"`
		Error     *junitProblem `xml:"error"`
	}
	junitProblem struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr"`
		Text    string `xml:",chardata"`
	}
)

// writeJUnit writes the report as JUnit XML. encoding/xml escapes every
// text and attribute, and replaces characters XML cannot hold.
func (r *report) writeJUnit(w io.Writer) {
	out := junitSuites{Name: "avdoc check"}
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

func junitStory(s storyReport) junitSuite {
	suite := junitSuite{Name: s.File, Tests: len(s.Checks)}
	if len(s.Errors) > 0 {
		var lines []string
		for _, p := range s.Errors {
			lines = append(lines, problemLine(p))
		}
		suite.Tests, suite.Errors = 1, 1
		suite.Cases = []junitCase{{Name: "the story can be checked", Classname: s.File, File: s.File,
			Error: &junitProblem{Message: lines[0], Type: "input", Text: strings.Join(lines, "\n")}}}
		return suite
	}
	for _, c := range s.Checks {
		tc := junitCase{Name: c.Name, Classname: s.File, File: s.File, Line: c.Line}
		if c.Step > 0 {
			tc.Name = fmt.Sprintf("step %d, kernel %s: %s", c.Step, c.Kernel, c.Name)
		}
		if !c.OK {
			suite.Failures++
			tc.Failure = &junitProblem{Message: c.Failure, Type: c.Kind, Text: c.Failure}
		}
		suite.Cases = append(suite.Cases, tc)
	}
	return suite
}

// problemLine prints a problem as the text format does.
func problemLine(p problem) string {
	if p.Hint == "" {
		return p.Pos + ": " + p.Message
	}
	return p.Pos + ": " + p.Message + " (" + p.Hint + ")"
}
