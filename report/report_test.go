package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/avdoc/avdoc/story"
)

// attempt parses and runs a story given as text.
func attempt(t *testing.T, file, src string) Attempt {
	t.Helper()
	s, err := story.Parse(file, []byte(src))
	if err != nil {
		return Attempt{File: file, Err: err}
	}
	res, err := story.Execute(s)
	return Attempt{File: file, Story: s, Result: res, Err: err}
}

const (
	holds = "title: T\nkernel: 2.6.34\nsteps:\n  - do: [spawn P, mmap P heap 1, write P:heap:0]\n    expect: [clean]\n"
	fails = "title: T\nkernel: 2.6.34\nsteps:\n  - do: [spawn P, mmap P heap 1, write P:heap:0]\n    expect: [count(page) == 2]\n"
	bad   = "title: T\nkernel: 2.6.34\nsteps:\n  - do: [spawn P, frob]\n"
)

// TestReport: the summary, the exit status and the text printed, for
// stories that hold, fail and cannot be checked.
func TestReport(t *testing.T) {
	tests := []struct {
		name     string
		attempts []Attempt
		exit     int
		stdout   string // in the text format
		stderr   string // a line of it
	}{
		{"holds", []Attempt{attempt(t, "a.yaml", holds)}, ExitOK, "ok: 1 stories, 1 expectations hold\n", ""},
		{"fails", []Attempt{attempt(t, "a.yaml", holds), attempt(t, "b.yaml", fails)}, ExitFailed, "",
			"b.yaml:5:14: step 1 (kernel 2.6.34): expected count(page) == 2, got count(page) is 1"},
		{"bad input", []Attempt{attempt(t, "b.yaml", fails), attempt(t, "c.yaml", bad), {File: "gone", Err: errors.New("gone: no such file or directory")}},
			ExitInput, "", "gone: no such file or directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := New(tt.attempts)
			var stdout, stderr bytes.Buffer
			if code := r.Write(&stdout, &stderr, "text"); code != tt.exit || r.Summary.Exit != tt.exit {
				t.Errorf("exit %d, summary's %d; want %d", code, r.Summary.Exit, tt.exit)
			}
			if stdout.String() != tt.stdout || !strings.Contains(stderr.String(), tt.stderr) {
				t.Errorf("stdout %q, stderr %q; want %q and a line %q", stdout.String(), stderr.String(), tt.stdout, tt.stderr)
			}
		})
	}
}

// TestReportJSON: the JSON report holds every check with its position.
func TestReportJSON(t *testing.T) {
	r := New([]Attempt{attempt(t, "b.yaml", fails)})
	var out bytes.Buffer
	r.WriteJSON(&out)
	var got Report
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	c := got.Stories[0].Checks
	if len(c) != 1 || c[0].OK || c[0].Pos != "b.yaml:5:14" || c[0].Kernel != "2.6.34" || got.Summary.Failed != 1 {
		t.Errorf("report %s", out.String())
	}
}

// TestTally: failures and unnamed outcomes are counted apart.
func TestTally(t *testing.T) {
	var tl Tally
	tl.Add([]story.Failure{{Msg: "x"}, {Unnamed: true}, {Msg: "y"}}, 5)
	tl.Add(nil, 2)
	want := "2 of 7 expectations failed; 1 step(s) broke an invariant or oopsed without an expectation saying so, in 3 stories"
	if got := tl.Summary(3); got != want {
		t.Errorf("Summary = %q, want %q", got, want)
	}
}
