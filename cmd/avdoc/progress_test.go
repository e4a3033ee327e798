package main

import (
	"bytes"
	"path/filepath"
	"testing"
)

// TestBuildShowsNoProgressOffTerminal builds into a buffer: nothing but
// the usual line is written.
func TestBuildShowsNoProgressOffTerminal(t *testing.T) {
	dir := storyDir(t, map[string]string{"a.yaml": smallStory("A", "")})
	var stdout, stderr bytes.Buffer
	out := filepath.Join(t.TempDir(), "site")
	if code := run([]string{"build", "-o", out, dir}, &stdout, &stderr); code != exitOK {
		t.Fatalf("build: exit %d: %s", code, stderr.String())
	}
	if stderr.Len() != 0 || bytes.Count(stdout.Bytes(), []byte("\n")) != 1 || bytes.ContainsAny(stdout.Bytes(), "\r\033") {
		t.Errorf("build wrote more than its line: stdout %q, stderr %q", stdout.String(), stderr.String())
	}
}
