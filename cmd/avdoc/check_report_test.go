package main

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/avdoc/avdoc/report"
)

// reportStories are a failing story and a malformed one whose file
// names and texts hold XML's metacharacters and a control character.
var reportStories = []struct{ name, src string }{
	{"a<&>\"']]>\x01.yaml", "title: T\nkernel: 2.6.34\nsteps:\n  - do: [spawn P, mmap P heap 1, write P:heap:0]\n    expect: [count(page) == 2]\n"},
	{"b]]>.yaml", "title: T\nkernel: 2.6.34\nsteps:\n  - do: [spawn P, \"<frob> & ]]> \\x01\"]\n"},
}

// TestJUnitReport: the JUnit report is well-formed XML whatever the
// stories hold, with a testsuite per story and the exact failure and
// error lines of the text format, and exit status 2 for the bad input.
func TestJUnitReport(t *testing.T) {
	dir := t.TempDir()
	for _, s := range reportStories {
		mustWrite(t, filepath.Join(dir, s.name), s.src)
	}
	code, stdout, stderr := avdoc(t, dir, "check", "--format", "junit", reportStories[0].name, reportStories[1].name)
	if code != exitInput {
		t.Errorf("exit %d, want %d", code, exitInput)
	}
	var got report.JUnitSuites
	if err := xml.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("not well-formed XML: %v\n%s", err, stdout)
	}
	if len(got.Suites) != 2 || got.Tests != 2 || got.Failures != 1 || got.Errors != 1 {
		t.Fatalf("got %d suites, %d tests, %d failures, %d errors; want 2, 2, 1, 1\n%s", len(got.Suites), got.Tests, got.Failures, got.Errors, stdout)
	}
	fail := got.Suites[0].Cases[0].Failure
	wantFail := "a<&>\"']]>\uFFFD.yaml:5:14: step 1 (kernel 2.6.34): expected count(page) == 2, got count(page) is 1"
	if got.Suites[0].Name != "a<&>\"']]>\uFFFD.yaml" || fail == nil || fail.Message != wantFail || fail.Text != wantFail {
		t.Errorf("suite %q, failure %+v; want the file name and %q", got.Suites[0].Name, fail, wantFail)
	}
	errCase := got.Suites[1].Cases[0].Error
	wantErr := `b]]>.yaml:4:20: unknown event "<frob>"`
	if errCase == nil || errCase.Message != wantErr || !strings.Contains(stderr, wantErr) {
		t.Errorf("error %+v, stderr %q; want %q in both", errCase, stderr, wantErr)
	}
}

// TestJSONReport: the JSON report holds the same, and its summary the
// exit status.
func TestJSONReport(t *testing.T) {
	dir := t.TempDir()
	for _, s := range reportStories {
		mustWrite(t, filepath.Join(dir, s.name), s.src)
	}
	tests := []struct {
		files          []string
		code, failed   int
		errors, checks int
	}{
		{[]string{reportStories[0].name}, exitFailed, 1, 0, 1},
		{[]string{reportStories[1].name}, exitInput, 0, 1, 0},
		{[]string{reportStories[0].name, reportStories[1].name, "missing.yaml"}, exitInput, 1, 2, 1},
	}
	for _, tt := range tests {
		code, stdout, _ := avdoc(t, dir, append([]string{"check", "--format", "json"}, tt.files...)...)
		var got report.Report
		if err := json.Unmarshal([]byte(stdout), &got); err != nil {
			t.Fatalf("%v: not JSON: %v\n%s", tt.files, err, stdout)
		}
		s := got.Summary
		if code != tt.code || s.Exit != tt.code || s.Failed != tt.failed || s.Errors != tt.errors || s.Checks != tt.checks || s.Stories != len(tt.files) {
			t.Errorf("%v: exit %d, summary %+v; want exit %d, %d failed, %d errors, %d checks", tt.files, code, s, tt.code, tt.failed, tt.errors, tt.checks)
		}
	}
}

// TestGitHubReport: --format github writes an annotation per failure
// with the file as given relative to the working directory, appends the
// job summary to $GITHUB_STEP_SUMMARY, or without it prints it too, and
// keeps check's exit status.
func TestGitHubReport(t *testing.T) {
	dir := t.TempDir()
	mustWrite(t, filepath.Join(dir, "stories", "a.yaml"), reportStories[0].src)
	summary := filepath.Join(dir, "summary.md")
	mustWrite(t, summary, "before\n")
	for _, env := range []string{summary, ""} {
		t.Setenv("GITHUB_STEP_SUMMARY", env)
		code, stdout, stderr := avdoc(t, dir, "check", "--format", "github", filepath.Join(dir, "stories"))
		want := "::error file=stories/a.yaml,line=5,col=14,title=avdoc%3A step 1%2C kernel 2.6.34::step 1 (kernel 2.6.34): expected count(page) == 2, got count(page) is 1\n"
		if code != exitFailed || !strings.HasPrefix(stdout, want) || !strings.Contains(stderr, "1 of 1 expectations failed") {
			t.Errorf("GITHUB_STEP_SUMMARY=%q: exit %d, stdout %q, stderr %q; want %d and %q", env, code, stdout, stderr, exitFailed, want)
		}
		row := "| stories/a.yaml:5:14 | step 1, kernel 2.6.34 |"
		if got := strings.Contains(stdout, row); got != (env == "") {
			t.Errorf("GITHUB_STEP_SUMMARY=%q: summary row on stdout %v\n%s", env, got, stdout)
		}
	}
	data, err := os.ReadFile(summary)
	if err != nil || !strings.HasPrefix(string(data), "before\n## avdoc check\n") || strings.Count(string(data), "| stories/a") != 1 {
		t.Errorf("summary file %q (%v): want the summary appended once", data, err)
	}
}
