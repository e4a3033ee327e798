package report

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// TestGitHubCommand: an annotation is one workflow command whatever its
// texts hold, escaped as GitHub's runner unescapes them.
func TestGitHubCommand(t *testing.T) {
	tests := []struct {
		name string
		a    Annotation
		want string
	}{
		{"plain", Annotation{File: "stories/a.yaml", Line: 5, Col: 14, Title: "avdoc: step 1, kernel 2.6.34", Message: "expected x == 2, got x is 1"},
			"::error file=stories/a.yaml,line=5,col=14,title=avdoc%3A step 1%2C kernel 2.6.34::expected x == 2, got x is 1"},
		{"no line", Annotation{File: "gone.yaml", Title: "t", Message: "no such file"},
			"::error file=gone.yaml,title=t::no such file"},
		{"line breaks and percent", Annotation{File: "a\nb.yaml", Line: 1, Col: 1, Title: "t\r\n", Message: "50% of\r\n::error::forged"},
			"::error file=a%0Ab.yaml,line=1,col=1,title=t%0D%0A::50%25 of%0D%0A::error::forged"},
		{"property delimiters", Annotation{File: "::x,line=9.yaml", Title: "a::b,c", Message: "m"},
			"::error file=%3A%3Ax%2Cline=9.yaml,title=a%3A%3Ab%2Cc::m"},
		{"control characters", Annotation{File: "a\x1b[31m.yaml", Title: "\x00", Message: "bell\x07 del\x7f c1\u009b \xff"},
			"::error file=a\uFFFD[31m.yaml,title=\uFFFD::bell\uFFFD del\uFFFD c1\uFFFD \uFFFD"},
		{"escaped escapes", Annotation{File: "%0A.yaml", Title: "%3A", Message: "%0A"},
			"::error file=%250A.yaml,title=%253A::%250A"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.a.Command()
			if got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
			if strings.ContainsAny(got, "\r\n") {
				t.Errorf("%q spans several lines", got)
			}
		})
	}
}

// failing is a report of n failed expectations in one story, the first at
// line 10, with a message that holds Markdown and HTML.
func failing(file string, n int) *Report {
	s := StoryReport{File: file, Kernels: []string{"2.6.34"}}
	for i := range n {
		pos := fmt.Sprintf("%s:%d:9", file, 10+i)
		s.Checks = append(s.Checks, Check{Kind: "expectation", Step: i + 1, Kernel: "2.6.34", Name: "x", Pos: pos, Line: 10 + i, Col: 9,
			Failure: pos + ": step 1 (kernel 2.6.34): expected <b>x</b> | [y](javascript:z) == `2`"})
	}
	s.Checks = append(s.Checks, Check{Kind: "expectation", Step: 1, Kernel: "2.6.34", Name: "ok", OK: true})
	r := &Report{Stories: []StoryReport{s}}
	r.Count()
	return r
}

// TestWriteGitHub: at most ten annotations, with files relative to the
// working directory, then a notice of how many more.
func TestWriteGitHub(t *testing.T) {
	tests := []struct {
		failures    int
		annotations int
		more        bool
	}{{1, 1, false}, {10, 10, false}, {11, 10, true}, {25, 10, true}}
	for _, tt := range tests {
		var b bytes.Buffer
		more := failing("/ci/work/stories/a.yaml", tt.failures).WriteGitHub(&b, RelativeTo("/ci/work"))
		lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
		errs := 0
		for _, l := range lines {
			if strings.HasPrefix(l, "::error file=stories/a.yaml,line=") {
				errs++
			}
		}
		if errs != tt.annotations || more != tt.more || len(lines) != errs+boolInt(tt.more) {
			t.Errorf("%d failures: %d annotations of %d lines, more %v; want %d, more %v\n%s", tt.failures, errs, len(lines), more, tt.annotations, tt.more, b.String())
		}
		if tt.more && !strings.Contains(lines[len(lines)-1], fmt.Sprintf("::%d more failures", tt.failures-10)) {
			t.Errorf("last line %q does not say how many more", lines[len(lines)-1])
		}
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestGitHubSummary: the job summary renders (as GitHub-flavoured
// Markdown) to a table with a row per failure, all of them, each failure's
// text shown as written and none of its markup live.
func TestGitHubSummary(t *testing.T) {
	var md bytes.Buffer
	failing("stories/a|b.yaml", 12).WriteGitHubSummary(&md, RelativeTo("/ci"))
	var html bytes.Buffer
	if err := goldmark.New(goldmark.WithExtensions(extension.Table)).Convert(md.Bytes(), &html); err != nil {
		t.Fatal(err)
	}
	h := html.String()
	rows := regexp.MustCompile(`(?s)<tr>.*?</tr>`).FindAllString(h, -1)
	if len(rows) != 13 { // the header and 12 failures
		t.Fatalf("%d rows, want 13\n%s", len(rows), h)
	}
	wantCells := []string{"stories/a|b.yaml:21:9", "step 12, kernel 2.6.34",
		"step 1 (kernel 2.6.34): expected &lt;b&gt;x&lt;/b&gt; | [y](javascript:z) == `2`"}
	for i, want := range wantCells {
		cells := regexp.MustCompile(`<td>(.*?)</td>`).FindAllStringSubmatch(rows[12], -1)
		if len(cells) != 3 || cells[i][1] != want {
			t.Errorf("last row %s: cell %d, want %q", rows[12], i, want)
		}
	}
	for _, bad := range []string{"<b>", "<a ", "<code>"} {
		if strings.Contains(h, bad) {
			t.Errorf("the summary makes %s of the stories' text:\n%s", bad, h)
		}
	}
	if !strings.Contains(h, "12 of 13 expectations failed, in 1 stories") {
		t.Errorf("no outcome in\n%s", h)
	}
}

// TestRelativeTo: files under the working directory become relative to
// it; others are kept.
func TestRelativeTo(t *testing.T) {
	rel := RelativeTo("/ci/work")
	for in, want := range map[string]string{
		"/ci/work/stories/a.yaml": "stories/a.yaml",
		"stories/a.yaml":          "stories/a.yaml",
		"./stories/../b.yaml":     "b.yaml",
		"/elsewhere/c.yaml":       "/elsewhere/c.yaml",
		"../d.yaml":               "../d.yaml",
	} {
		if got := rel(in); got != want {
			t.Errorf("rel(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestGitHubProblems: a story that cannot be checked is annotated at each
// problem, hint included, and hides the checks of the others, as the
// text format does; a missing file is annotated without a line.
func TestGitHubProblems(t *testing.T) {
	r := New([]Attempt{attempt(t, "/w/b.yaml", fails), attempt(t, "/w/c.yaml", "title: T\nkernel: 2.6.34\nsteps:\n  - do: [spawn P, forkk P C]\n"),
		{File: "/w/gone", Err: errors.New("/w/gone: no such file or directory")}})
	r.WorkDir = "/w"
	var out, stderr bytes.Buffer
	if code := r.Write(&out, &stderr, "github"); code != ExitInput || !strings.Contains(stderr.String(), "2 problems in the input, in 3 stories") {
		t.Errorf("exit %d, stderr %q; want %d and the outcome", code, stderr.String(), ExitInput)
	}
	want := []string{
		`::error file=c.yaml,line=4,col=19,title=avdoc%3A the story cannot be checked::unknown event "forkk" (did you mean "fork"?)`,
		`::error file=gone,title=avdoc%3A the story cannot be checked::no such file or directory`,
		"## avdoc check",
	}
	lines := strings.Split(out.String(), "\n")
	if len(lines) < 3 || lines[0] != want[0] || lines[1] != want[1] || lines[2] != want[2] || strings.Contains(out.String(), "b.yaml") {
		t.Errorf("got\n%s\nwant it to start\n%s\nand not name b.yaml", out.String(), strings.Join(want, "\n"))
	}
}
