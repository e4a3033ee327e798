package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNew runs `avdoc new` in a fresh directory: it writes a story that
// checks, with a modeline pointing at the schema from the story's
// directory, and refuses bad names, missing directories and existing
// files.
func TestNew(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		code     int
		file     string // the story written, if any
		modeline string
		stderr   string
	}{
		{"default directory", []string{"fork-twice"}, exitOK, "stories/fork-twice.yaml", "$schema=../avdoc-story.schema.json", ""},
		{"name with .yaml", []string{"cow.yaml"}, exitOK, "stories/cow.yaml", "$schema=../avdoc-story.schema.json", ""},
		{"given directory", []string{"here", "."}, exitOK, "here.yaml", "$schema=./avdoc-story.schema.json", ""},
		{"nested directory", []string{"deep", "a/b"}, exitOK, "a/b/deep.yaml", "$schema=../../avdoc-story.schema.json", ""},
		{"existing file", []string{"taken"}, exitInput, "", "", "already exists"},
		{"missing directory", []string{"x", "nowhere"}, exitInput, "", "", "nowhere is not a directory"},
		{"path in name", []string{"../escape"}, exitInput, "", "", "cannot name a story"},
		{"slash in name", []string{"a/b"}, exitInput, "", "", "cannot name a story"},
		{"hidden name", []string{".x"}, exitInput, "", "", "cannot name a story"},
		{"blank in name", []string{"a b"}, exitInput, "", "", "cannot name a story"},
		{"no name", nil, exitInput, "", "", "takes a story's name"},
		{"too many arguments", []string{"a", "b", "c"}, exitInput, "", "", "takes a story's name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Chdir(t.TempDir())
			mustMkdir(t, "stories")
			mustMkdir(t, "a/b")
			mustWrite(t, "stories/taken.yaml", "mine\n")
			var stdout, stderr bytes.Buffer
			code := run(append([]string{"new"}, tt.args...), &stdout, &stderr)
			if code != tt.code || !strings.Contains(stderr.String(), tt.stderr) {
				t.Fatalf("exit %d, stderr %q; want exit %d, stderr with %q", code, stderr.String(), tt.code, tt.stderr)
			}
			if got, _ := os.ReadFile("stories/taken.yaml"); string(got) != "mine\n" {
				t.Errorf("an existing story was overwritten: %q", got)
			}
			if tt.file == "" {
				return
			}
			src, err := os.ReadFile(tt.file)
			if err != nil {
				t.Fatalf("no story written: %v", err)
			}
			if first, _, _ := strings.Cut(string(src), "\n"); first != "# yaml-language-server: "+tt.modeline {
				t.Errorf("modeline %q, want %q", first, tt.modeline)
			}
			res, err := load(tt.file)
			if err != nil || len(res.Failures) > 0 {
				t.Errorf("the new story does not check: %v %v", err, res)
			}
		})
	}
}

// TestNewStoryChecks runs `avdoc check` on a new story, as its comment
// tells its author to.
func TestNewStoryChecks(t *testing.T) {
	t.Chdir(t.TempDir())
	var stdout, stderr bytes.Buffer
	if code := run([]string{"new", "first"}, &stdout, &stderr); code != exitOK {
		t.Fatalf("avdoc new: exit %d: %s", code, stderr.String())
	}
	stdout.Reset()
	if code := run([]string{"check", filepath.Join("stories", "first.yaml")}, &stdout, &stderr); code != exitOK {
		t.Fatalf("avdoc check on a new story: exit %d: %s", code, stderr.String())
	}
}

func mustMkdir(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
}
