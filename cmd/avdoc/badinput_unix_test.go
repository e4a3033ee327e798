//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/avdoc/avdoc/internal/golden"
)

// TestBadInputGenerated covers bad input too large or too odd to keep as
// a file: each case is made in a fresh directory and checked with
// `avdoc check`, which must exit 2 and print the golden text of
// testdata/badinput/NAME.stderr.
func TestBadInputGenerated(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, dir string) // makes what args name
		args  []string
	}{
		{"file-too-large", storyFile("big.yaml", "title: T\nkernel: 2.6.34\nsteps:\n  - say: "+strings.Repeat("x", 1<<20)+"\n"),
			[]string{"big.yaml"}},
		{"file-size-flag", storyFile("s.yaml", "title: T\nkernel: 2.6.34\nsteps:\n  - do: spawn P\n"),
			[]string{"--max-file-size", "20", "s.yaml"}},
		{"too-many-steps", storyFile("s.yaml", "title: T\nkernel: 2.6.34\nsteps:\n"+strings.Repeat("  - do: []\n", 1001)),
			[]string{"s.yaml"}},
		{"steps-flag", storyFile("s.yaml", "title: T\nkernel: 2.6.34\nsteps:\n"+strings.Repeat("  - say: hi\n", 4)),
			[]string{"--max-steps", "3", "s.yaml"}},
		{"procs-flag", storyFile("s.yaml", "title: T\nkernel: 2.6.34\nsteps:\n  - do: [spawn P, fork P C1..C3]\n"),
			[]string{"--max-procs", "3", "s.yaml"}},
		{"pages-flag", storyFile("s.yaml", "title: T\nkernel: 2.6.34\nsteps:\n  - do: [spawn P, mmap P heap 10, fork P C]\n"),
			[]string{"--max-pages", "15", "s.yaml"}},
		{"work-flag", storyFile("s.yaml", "title: T\nkernel: 2.6.34\nsteps:\n  - do: [spawn P, mmap P heap 10, write P:heap, walk P:heap]\n"),
			[]string{"--max-work", "50", "s.yaml"}},
		{"yaml-nested-deeper-than-yaml-allows", storyFile("s.yaml", "title: T\nkernel: 2.6.34\nsteps:\n  - do: "+strings.Repeat("[", 20000)+"\n"),
			[]string{"s.yaml"}},
		{"megabyte-line", storyFile("s.yaml", "title: T\nkernel: 2.6.34\nsteps:\n  - do: spawn "+strings.Repeat("P", 1<<19)+"!\n"),
			[]string{"s.yaml"}},
		{"missing-file", nil, []string{"nowhere.yaml"}},
		{"empty-directory", mkdir("empty"), []string{"empty"}},
		{"directory-named-like-a-story", mkdir("dir.yaml"), []string{"dir.yaml"}},
		{"fifo", mkfifo("pipe.yaml"), []string{"pipe.yaml"}},
		{"device", nil, []string{"/dev/zero"}},
		{"bad-limit-value", nil, []string{"--max-procs", "0", "s.yaml"}},
		{"frames-flag", storyFile("s.yaml", "title: T\nkernels: [2.6.33, 2.6.34]\nsteps:\n  - do: spawn P\n  - say: two\n"),
			[]string{"--max-frames", "3", "s.yaml"}},
		{"too-many-frames", storyFile("s.yaml", "title: T\nkernels: [2.6.33, 2.6.34, 3.7]\nsteps:\n"+strings.Repeat("  - say: again\n", 334)),
			[]string{"s.yaml"}},
		{"symlink-loop", symlinkLoop("a.yaml", "b.yaml"), []string{"a.yaml"}},
		{"symlink-loop-in-directory", symlinkLoop("dir", "other"), []string{"dir"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			if tt.setup != nil {
				tt.setup(t, dir)
			}
			code, stdout, stderr := avdoc(t, dir, append([]string{"check"}, tt.args...)...)
			if code != exitInput || stdout != "" {
				t.Errorf("exit %d with stdout %q, want exit %d and no output", code, stdout, exitInput)
			}
			golden.Check(t, filepath.Join("testdata", "badinput", tt.name+".stderr"), []byte(stderr))
		})
	}
}

func storyFile(name, data string) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func mkdir(name string) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		if err := os.Mkdir(filepath.Join(dir, name), 0o755); err != nil {
			t.Fatal(err)
		}
	}
}

func mkfifo(name string) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		if err := syscall.Mkfifo(filepath.Join(dir, name), 0o644); err != nil {
			t.Skipf("no FIFOs here: %v", err)
		}
	}
}

// symlinkLoop makes a and b symbolic links to each other.
func symlinkLoop(a, b string) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		if os.Symlink(b, filepath.Join(dir, a)) != nil || os.Symlink(a, filepath.Join(dir, b)) != nil {
			t.Skip("no symbolic links here")
		}
	}
}
