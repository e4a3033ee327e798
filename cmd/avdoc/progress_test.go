package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestWritesToTerminal(t *testing.T) {
	file, err := os.Create(filepath.Join(t.TempDir(), "log"))
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	if writesToTerminal(&bytes.Buffer{}) || writesToTerminal(file) {
		t.Error("a buffer or a regular file taken for a terminal")
	}
}

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
