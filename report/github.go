package report

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
)

// GitHubAnnotations is how many annotations of one type GitHub shows for
// a step; `check --format github` writes that many and lists every
// failure in the job summary.
const GitHubAnnotations = 10

// Annotation is one failure or problem of the report, where GitHub shows
// it: a file, and a line and column when there are some.
type Annotation struct {
	File      string
	Line, Col int
	Title     string
	Message   string
}

// Annotations lists the report's problems of the input, or, when every
// story loaded, its failed checks, in the order the text format prints
// them; rel rewrites each file name (see [RelativeTo]).
func (r *Report) Annotations(rel func(string) string) []Annotation {
	var out []Annotation
	for _, s := range r.Stories {
		for _, p := range s.Errors {
			file := strings.TrimSuffix(p.Pos, fmt.Sprintf(":%d:%d", p.Line, p.Col))
			msg := p.Message
			if p.Hint != "" {
				msg += " (" + p.Hint + ")"
			}
			out = append(out, Annotation{File: rel(file), Line: p.Line, Col: p.Col, Title: "avdoc: the story cannot be checked", Message: msg})
		}
		if r.Summary.Errors > 0 {
			continue
		}
		for _, c := range s.Checks {
			if c.OK {
				continue
			}
			file := s.File
			if c.Kind == "diagram" {
				file = c.Pos
			}
			out = append(out, Annotation{File: rel(file), Line: c.Line, Col: c.Col,
				Title:   fmt.Sprintf("avdoc: step %d, kernel %s", c.Step, c.Kernel),
				Message: strings.TrimPrefix(c.Failure, c.Pos+": ")})
		}
	}
	return out
}

// RelativeTo returns what makes a file name relative to the directory
// wd, as GitHub wants annotations' files (relative to the checkout); a
// name that is not under wd, or any name if wd is "", is kept as it is.
func RelativeTo(wd string) func(string) string {
	return func(file string) string {
		if wd == "" {
			return file
		}
		abs := file
		if !filepath.IsAbs(abs) {
			abs = filepath.Join(wd, file)
		}
		rel, err := filepath.Rel(wd, abs)
		if err != nil || rel == ".." || strings.HasPrefix(rel, "../") {
			return file
		}
		return filepath.ToSlash(rel)
	}
}

// writeGitHub writes the github format: annotations on stdout, the job
// summary on r.StepSummary (or stdout), the outcome on stderr.
func (r *Report) writeGitHub(stdout, stderr io.Writer) int {
	rel := RelativeTo(r.WorkDir)
	r.WriteGitHub(stdout, rel)
	summary := r.StepSummary
	if summary == nil {
		summary = stdout
	}
	r.WriteGitHubSummary(summary, rel)
	fmt.Fprintln(stderr, r.Outcome())
	return r.ExitCode()
}

// WriteGitHub writes the report as GitHub Actions workflow commands: an
// ::error annotation for each of the first [GitHubAnnotations] failures
// or problems, then a notice that points at the job summary for the
// rest. It returns whether some were left out of the annotations.
func (r *Report) WriteGitHub(w io.Writer, rel func(string) string) (more bool) {
	all := r.Annotations(rel)
	for i, a := range all {
		if i == GitHubAnnotations {
			fmt.Fprintf(w, "::notice title=avdoc check::%s\n",
				ghData(fmt.Sprintf("%d more failures are not annotated: every failure is listed in the job summary", len(all)-i)))
			return true
		}
		fmt.Fprintln(w, a.Command())
	}
	return false
}

// Command is the annotation as a workflow command, on one line.
func (a Annotation) Command() string {
	props := "file=" + ghProperty(a.File)
	if a.Line > 0 {
		props += fmt.Sprintf(",line=%d,col=%d", a.Line, a.Col)
	}
	return "::error " + props + ",title=" + ghProperty(a.Title) + "::" + ghData(a.Message)
}

// WriteGitHubSummary writes the Markdown of the job summary: the outcome,
// then a table of every failure or problem. Every text of the stories is
// escaped, so that it shows as written and makes no markup.
func (r *Report) WriteGitHubSummary(w io.Writer, rel func(string) string) {
	fmt.Fprintln(w, "## avdoc check")
	fmt.Fprintln(w)
	fmt.Fprintln(w, mdText(r.Outcome()))
	all := r.Annotations(rel)
	if len(all) == 0 {
		return
	}
	fmt.Fprint(w, "\n| where | what | message |\n|---|---|---|\n")
	for _, a := range all {
		where := a.File
		if a.Line > 0 {
			where += fmt.Sprintf(":%d:%d", a.Line, a.Col)
		}
		fmt.Fprintf(w, "| %s | %s | %s |\n", mdText(where), mdText(strings.TrimPrefix(a.Title, "avdoc: ")), mdText(a.Message))
	}
}

// ghData escapes the message of a workflow command (GitHub's
// escapeData): % and line breaks, so that it stays one command; other
// control characters, which would reach the log as they are, become
// U+FFFD, as in every text avdoc writes.
func ghData(s string) string {
	return ghEscape(s, map[rune]string{'%': "%25", '\r': "%0D", '\n': "%0A"})
}

// ghProperty escapes a property of a workflow command (GitHub's
// escapeProperty): as data, and the : and , that end a property.
func ghProperty(s string) string {
	return ghEscape(s, map[rune]string{'%': "%25", '\r': "%0D", '\n': "%0A", ':': "%3A", ',': "%2C"})
}

func ghEscape(s string, special map[rune]string) string {
	var b strings.Builder
	for _, r := range s {
		if rep, ok := special[r]; ok {
			b.WriteString(rep)
		} else if isControl(r) {
			b.WriteRune('\uFFFD')
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// mdText escapes s as the text of a Markdown table cell: the characters
// that make inline markup (links, emphasis, code, HTML, entities,
// strikethrough) or end a cell are backslash-escaped, a line break
// becomes a space and other control characters U+FFFD.
func mdText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			b.WriteByte(' ')
		case isControl(r):
			b.WriteRune('\uFFFD')
		case r < 0x80 && strings.ContainsRune("\\`*_[]<>&|!~", r):
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isControl reports whether r is a C0 or C1 control character or DEL.
func isControl(r rune) bool { return r < 0x20 || (r >= 0x7f && r < 0xa0) }

// Outcome is the report in one line: how many problems the input has, or
// what failed, or that all is well.
func (r *Report) Outcome() string {
	switch {
	case r.Summary.Errors > 0:
		return fmt.Sprintf("%d problems in the input, in %d stories", r.Summary.Errors, r.Summary.Stories)
	case r.Summary.Failed > 0:
		return r.FailedLine()
	}
	return r.OKLine()
}
