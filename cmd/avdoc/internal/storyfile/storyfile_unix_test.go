package storyfile

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
)

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestExpandAndScan: a directory gives its story files, recursively, in
// lexical order; a path that names none is a problem of its own.
func TestExpandAndScan(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"b.yaml", "a.yml", "sub/c.yaml", "notes.txt"} {
		write(t, filepath.Join(dir, f), "x")
	}
	write(t, filepath.Join(dir, "empty", "README"), "x")
	files, problems := Scan([]string{dir, filepath.Join(dir, "empty"), filepath.Join(dir, "missing")})
	want := []string{filepath.Join(dir, "a.yml"), filepath.Join(dir, "b.yaml"), filepath.Join(dir, "sub", "c.yaml")}
	if !slices.Equal(files, want) {
		t.Errorf("files %q, want %q", files, want)
	}
	if len(problems) != 2 || !strings.Contains(problems[0], "no story files") || !strings.Contains(problems[1], "no such file or directory") {
		t.Errorf("problems %q", problems)
	}
}

// TestRead: only a regular file within the limit is read.
func TestRead(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "s.yaml")
	write(t, file, "0123456789")
	fifo := filepath.Join(dir, "fifo.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		file  string
		limit int64
		want  string // in the error; "" for none
	}{
		{file, 10, ""},
		{file, 9, "a story may be at most 9 bytes"},
		{dir, 10, "is a directory"},
		{fifo, 10, "not a regular file"},
		{filepath.Join(dir, "missing.yaml"), 10, "no such file"},
	}
	for _, tt := range tests {
		src, err := Read(tt.file, tt.limit)
		switch {
		case tt.want == "" && (err != nil || string(src) != "0123456789"):
			t.Errorf("Read(%s): %q, %v", tt.file, src, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("Read(%s, %d): %v, want an error saying %q", tt.file, tt.limit, err, tt.want)
		}
	}
}

// TestStampAll: a changed file has another stamp; a missing one a zero stamp.
func TestStampAll(t *testing.T) {
	file := filepath.Join(t.TempDir(), "s.yaml")
	write(t, file, "a")
	before := StampAll([]string{file, file + ".gone"})
	write(t, file, "ab")
	after := StampAll([]string{file, file + ".gone"})
	if before[0] == after[0] || before[1] != (Stamp{File: file + ".gone"}) || after[0].File != file {
		t.Errorf("stamps before %+v, after %+v", before, after)
	}
}
