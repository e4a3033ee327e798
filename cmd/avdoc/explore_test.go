package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/avdoc/avdoc/internal/golden"
)

// TestShippedFindings regenerates each story avdoc explore found and
// avdoc ships, and compares it with the shipped file byte for byte: the
// search is deterministic, and the stories are reproducible from the
// command in their first line. `-update` rewrites them. Story 19's search
// takes minutes, so it is written from the search's report (which
// bench/explore-cve makes again, and engine/explore's tests check from a
// known prefix), with 6.0 beside 3.19 and a person's narration.
func TestShippedFindings(t *testing.T) {
	tests := []struct {
		file string
		args []string
	}{
		{"15-found-hibernation-oops.yaml", []string{"--kernel", "2.6.34-rc3", "--procs", "2", "--ignore", "I5"}},
		{"16-found-vma-adjust.yaml", []string{"--kernel", "2.6.34-rc3", "--procs", "1", "--pages", "2", "--events", "write,mprotect"}},
		{"17-found-clone-order.yaml", []string{"--kernel", "2.6.34-rc3"}},
		{"18-found-anon-vma-reuse.yaml", []string{"--kernel", "2.6.34", "--procs", "2", "--events", "write,fork,mprotect,mmap",
			"--fixes", "adjust-exporter,clone-order,oldest-anon-vma,exclusive-newest,fork-unwind"}},
		{"19-found-cve-2022-42703.yaml", []string{"--merge", "--beside", "6.0", "--notes", "testdata/explore/19-notes.yaml",
			filepath.Join("..", "..", "engine", "explore", "testdata", "cve-2022-42703.json")}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "found.yaml")
			var stdout, stderr bytes.Buffer
			args := append(append([]string{"explore"}, tt.args...), "-o", out)
			if code := run(args, &stdout, &stderr); code != exitFailed {
				t.Fatalf("explore exited %d, want %d (found):\n%s%s", code, exitFailed, stdout.String(), stderr.String())
			}
			got, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			golden.Check(t, filepath.Join("..", "..", "stories", tt.file), got)
		})
	}
}

// exploreRun runs avdoc with args and returns its exit status and output.
func exploreRun(args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := run(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// TestExploreHelpOnce: --help prints the usage once, on stdout, with the
// exit statuses.
func TestExploreHelpOnce(t *testing.T) {
	code, out, errOut := exploreRun("explore", "--help")
	if code != exitOK || strings.Count(out+errOut, "Usage:") != 1 || !strings.Contains(out, "3 stopped early") {
		t.Errorf("exit %d, stdout %q, stderr %q; want the usage once on stdout, with exit status 3", code, out, errOut)
	}
}

// TestExploreStoppedEarly: a search cut short by a budget exits 3 and
// says how far it got, whichever budget stopped it.
func TestExploreStoppedEarly(t *testing.T) {
	for _, tt := range []struct {
		flag, value, why string
	}{
		{"--max-states", "40", "state budget"},
		{"--timeout", "1ns", "time budget"},
		{"--max-memory", "1K", "memory budget"},
	} {
		t.Run(tt.why, func(t *testing.T) {
			code, out, errOut := exploreRun("explore", "--kernel", "6.0", "--procs", "3", "--pages", "2", tt.flag, tt.value)
			if code != exitStopped || !strings.Contains(out, "stopped by the "+tt.why) {
				t.Errorf("exit %d:\n%s%s\nwant exit %d, stopped by the %s", code, out, errOut, exitStopped, tt.why)
			}
		})
	}
}

// TestExploreShardsMerge: the shards of a search, merged, say what the
// whole search says; reports of different searches, or a missing shard,
// are refused.
func TestExploreShardsMerge(t *testing.T) {
	dir := t.TempDir()
	search := []string{"explore", "--kernel", "6.0", "--procs", "3", "--pages", "2", "--depth", "5", "--events", "write,fork,exit,mprotect"}
	var reports []string
	for k := 1; k <= 2; k++ {
		file := filepath.Join(dir, fmt.Sprintf("shard%d.json", k))
		if code, out, errOut := exploreRun(append(search, "--shard", fmt.Sprintf("%d/2", k), "--report", file)...); code != exitOK {
			t.Fatalf("shard %d/2: exit %d\n%s%s", k, code, out, errOut)
		}
		reports = append(reports, file)
	}
	code, out, errOut := exploreRun(append([]string{"explore", "--merge"}, reports...)...)
	if code != exitOK || !strings.Contains(out, "nothing found: no sequence of up to 5 events") {
		t.Errorf("merge: exit %d\n%s%s", code, out, errOut)
	}
	other := filepath.Join(dir, "other.json")
	exploreRun("explore", "--kernel", "3.19", "--depth", "2", "--shard", "1/2", "--report", other)
	for _, bad := range [][]string{reports[:1], {reports[0], other}, {reports[0], reports[0]}} {
		if code, _, errOut := exploreRun(append([]string{"explore", "--merge"}, bad...)...); code != exitInput || errOut == "" {
			t.Errorf("merge %v: exit %d, %q; want exit %d and why", bad, code, errOut, exitInput)
		}
	}
}
