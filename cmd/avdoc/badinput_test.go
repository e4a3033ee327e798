package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/avdoc/avdoc/internal/golden"
	"github.com/rogpeppe/go-internal/txtar"
)

// avdoc runs the real avdoc command (the test binary, which TestMain
// puts on $PATH under that name) in dir, and returns its exit status,
// standard output and standard error.
func avdoc(t *testing.T, dir string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return avdocIn(t, dir, "", args...)
}

// avdocIn is avdoc with in on its standard input.
func avdocIn(t *testing.T, dir, in string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	cmd := exec.Command("avdoc", args...)
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(in)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		code = exit.ExitCode()
	case err != nil:
		t.Fatalf("running avdoc %v: %v", args, err)
	}
	return code, out.String(), errb.String()
}

// TestBadStoriesThroughCLI runs every malformed story of the story
// package's corpus (story/testdata/errors) through `avdoc check`, as a
// user would: each must exit 2 and print exactly its golden errors, with
// file:line:col, what was expected, and a hint. The goldens are the
// story package's (rewrite them there, with -update).
func TestBadStoriesThroughCLI(t *testing.T) {
	files, err := filepath.Glob("../../story/testdata/errors/*.txtar")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, file := range files {
		a, err := txtar.ParseFile(file)
		if err != nil {
			t.Fatal(err)
		}
		src, want := section(a, "story.yaml"), section(a, "errors")
		if want == "" {
			continue // a story that is fine after all, such as one with a byte-order mark
		}
		n++
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "story.yaml"), []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			code, stdout, stderr := avdoc(t, dir, "check", "story.yaml")
			if code != exitInput || stdout != "" {
				t.Errorf("exit %d with stdout %q, want exit %d and no output", code, stdout, exitInput)
			}
			if stderr != want {
				t.Errorf("stderr differs from the errors of %s:\n%s", file, golden.Diff(want, stderr))
			}
		})
	}
	if n < 50 {
		t.Errorf("only %d bad stories in the corpus, want at least 50", n)
	}
}

func section(a *txtar.Archive, name string) string {
	for _, f := range a.Files {
		if f.Name == name {
			return string(f.Data)
		}
	}
	return ""
}
