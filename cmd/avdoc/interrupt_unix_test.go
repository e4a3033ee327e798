//go:build unix

package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/avdoc/avdoc/cmd/avdoc/internal/sitedir"
)

// TestInterruptedBuildKeepsOldSite builds a site, then starts a build of
// a large story set into the same folder and stops it by a signal as
// soon as it has begun writing (its staging directory exists, so it is
// rendering): the old site must be byte-identical. SIGINT and SIGTERM
// also leave no staging directory; after kill -9 the next build removes
// the one left.
func TestInterruptedBuildKeepsOldSite(t *testing.T) {
	if testing.Short() {
		t.Skip("builds sites")
	}
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGKILL} {
		t.Run(sig.String(), func(t *testing.T) {
			work := t.TempDir()
			mustWrite(t, filepath.Join(work, "story.yaml"), tinyStory)
			buildInto(t, work, "site")
			before := snapshot(t, filepath.Join(work, "site"))
			writeLargeStorySet(t, filepath.Join(work, "large"))

			code, stderr := interruptBuild(t, work, sig)
			if after := snapshot(t, filepath.Join(work, "site")); !sameFiles(before, after) {
				t.Errorf("the old site changed")
			}
			staged, _ := filepath.Glob(filepath.Join(work, sitedir.StagingPrefix+"*"))
			if sig == syscall.SIGKILL {
				if code != -1 {
					t.Errorf("exit %d after kill -9, want -1 (killed)", code)
				}
				buildInto(t, work, "site") // cleans up after the killed build
				staged, _ = filepath.Glob(filepath.Join(work, sitedir.StagingPrefix+"*"))
			} else if code != exitFailed || !strings.Contains(stderr, "interrupted") || !strings.Contains(stderr, "site was left as it was") {
				t.Errorf("exit %d, stderr %q; want exit %d saying the site was left as it was", code, stderr, exitFailed)
			}
			if len(staged) > 0 {
				t.Errorf("staging directories left behind: %v", staged)
			}
		})
	}
}

// interruptBuild starts `avdoc build -o site large` in work, sends sig
// once its staging directory exists, and returns its exit status (-1 if
// the signal killed it) and standard error.
func interruptBuild(t *testing.T, work string, sig syscall.Signal) (int, string) {
	t.Helper()
	cmd := exec.Command("avdoc", "build", "-o", "site", "large")
	cmd.Dir = work
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	for staged := false; !staged; {
		select {
		case err := <-exited:
			t.Fatalf("the build ended (%v) before it could be interrupted:\n%s", err, stderr.String())
		case <-time.After(5 * time.Millisecond): // how often to look, not a limit
		}
		found, _ := filepath.Glob(filepath.Join(work, sitedir.StagingPrefix+"*"))
		staged = len(found) > 0
	}
	if err := cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	err := <-exited
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatal(err)
	}
	return cmd.ProcessState.ExitCode(), stderr.String()
}

// writeLargeStorySet writes stories enough that rendering them takes
// a good while: 40 stories of 12 steps under two kernels.
func writeLargeStorySet(t *testing.T, dir string) {
	t.Helper()
	for i := range 40 {
		var b strings.Builder
		fmt.Fprintf(&b, "title: Story %d\nkernels: [2.6.33, 2.6.34]\nsteps:\n  - do: [spawn P, mmap P heap 4, write P:heap]\n", i)
		for c := 1; c <= 11; c++ {
			fmt.Fprintf(&b, "  - do: [fork P C%d, write C%d:heap:%d]\n", c, c, c%4)
		}
		mustWrite(t, filepath.Join(dir, fmt.Sprintf("s%02d.yaml", i)), b.String())
	}
}

// snapshot returns every file below dir with its content.
func snapshot(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, f := range treeFiles(t, dir) {
		data, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		out[f] = data
	}
	return out
}

// sameFiles reports whether two snapshots hold the same files, byte for
// byte.
func sameFiles(a, b map[string][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for name, data := range a {
		if other, ok := b[name]; !ok || !bytes.Equal(data, other) {
			return false
		}
	}
	return true
}
