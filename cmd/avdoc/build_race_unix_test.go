//go:build unix

package main

import (
	"bytes"
	"fmt"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/avdoc/avdoc/cmd/avdoc/internal/sitedir"
)

// TestKillAnyTimeLeavesCompleteSite kills (kill -9) builds over an
// existing site at times spread over a whole build, swap included: each
// time the output must be a complete site, its manifest matching every
// file; the next build cleans up after them all.
func TestKillAnyTimeLeavesCompleteSite(t *testing.T) {
	if testing.Short() {
		t.Skip("builds sites")
	}
	work := t.TempDir()
	for i := range 3 {
		mustWrite(t, filepath.Join(work, "in", fmt.Sprintf("s%d.yaml", i)), tinyStory)
	}
	start := time.Now()
	buildStories(t, work)
	whole := time.Since(start)
	const kills = 12
	for i := range kills {
		cmd := exec.Command("avdoc", "build", "-j", "1", "-o", "out", "in")
		cmd.Dir = work
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(whole * time.Duration(i) / kills) // when to kill, spread over a build: not a limit
		cmd.Process.Kill()
		cmd.Wait()
		if err := sitedir.CheckOwnSite(filepath.Join(work, "out")); err != nil {
			t.Fatalf("after kill %d (at %v of %v): out is not a complete site: %v", i+1, whole*time.Duration(i)/kills, whole, err)
		}
		mustExist(t, filepath.Join(work, "out", "s0", "index.html"))
	}
	buildStories(t, work)
	if left, _ := filepath.Glob(filepath.Join(work, ".avdoc-*")); len(left) > 0 {
		t.Errorf("left after the killed builds: %v", left)
	}
}

// TestConcurrentBuildsIntoOneDirectory runs two builds into one
// directory at once, again and again: both must succeed, each time
// leaving a complete site and nothing else.
func TestConcurrentBuildsIntoOneDirectory(t *testing.T) {
	if testing.Short() {
		t.Skip("builds sites")
	}
	work := t.TempDir()
	mustWrite(t, filepath.Join(work, "in", "s.yaml"), tinyStory)
	for round := range 6 {
		var wg sync.WaitGroup
		errs := make([]string, 2)
		for b := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				cmd := exec.Command("avdoc", "build", "-j", "1", "-o", "out", "in")
				cmd.Dir = work
				var stderr bytes.Buffer
				cmd.Stderr = &stderr
				if err := cmd.Run(); err != nil {
					errs[b] = fmt.Sprintf("%v: %s", err, stderr.String())
				}
			}()
		}
		wg.Wait()
		for b, e := range errs {
			if e != "" {
				t.Errorf("round %d, build %d: %s", round, b, e)
			}
		}
		if err := sitedir.CheckOwnSite(filepath.Join(work, "out")); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		if left, _ := filepath.Glob(filepath.Join(work, ".avdoc-*")); len(left) > 0 {
			t.Errorf("round %d left %v", round, left)
		}
	}
}

// buildStories builds work/in into work/out.
func buildStories(t *testing.T, work string) {
	t.Helper()
	if code, _, stderr := avdoc(t, work, "build", "-j", "1", "-o", "out", "in"); code != exitOK {
		t.Fatalf("build: exit %d\n%s", code, stderr)
	}
}
