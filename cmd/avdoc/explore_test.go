package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/avdoc/avdoc/internal/golden"
)

// TestShippedFindings regenerates each story avdoc explore found and
// avdoc ships, and compares it with the shipped file byte for byte: the
// search is deterministic, and the stories are reproducible from the
// command in their first line. `-update` rewrites them.
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
