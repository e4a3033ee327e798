package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/avdoc/avdoc/live/swapdev"
)

// TestLiveSwapSignal: SIGTERM or SIGINT to `avdoc live --swap` while it
// runs stories tears its swap device down before avdoc ends, by 128 +
// the signal; no swap device is left.
func TestLiveSwapSignal(t *testing.T) {
	if os.Geteuid() != 0 && os.Getenv("CI") != "true" {
		t.Skip("a swap device needs root")
	}
	dir := t.TempDir()
	src, err := os.ReadFile("../../stories/26-madvise.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for i := range 40 {
		mustWrite(t, filepath.Join(dir, fmt.Sprintf("s%02d.yaml", i)), string(src))
	}
	for _, tt := range []struct {
		kind string
		sig  syscall.Signal
	}{{"zram", syscall.SIGTERM}, {"file", syscall.SIGINT}} {
		before, err := swapdev.SwapAreas()
		if err != nil {
			t.Fatal(err)
		}
		code, dev, stderr := interruptLive(t, dir, tt.kind, tt.sig, before)
		after, err := swapdev.SwapAreas()
		if err != nil {
			t.Fatal(err)
		}
		if code != 128+int(tt.sig) || slices.Contains(after, dev) || !strings.Contains(stderr, "interrupted ("+tt.sig.String()+"); the swap device is torn down\n") {
			t.Errorf("--swap %s, %v: exit %d (want %d), /proc/swaps %v after (the run's device %s)\n%s", tt.kind, tt.sig, code, 128+int(tt.sig), after, dev, stderr)
		}
		if _, err := os.Stat(dev); tt.kind == "file" && !os.IsNotExist(err) {
			t.Errorf("the swap file %s is still there (%v)", dev, err)
		}
	}
}

// interruptLive starts `avdoc live --swap kind dir`, sends sig once a
// swap area not in before is on, and returns avdoc's exit status, that
// area and avdoc's standard error.
func interruptLive(t *testing.T, dir, kind string, sig syscall.Signal, before []string) (int, string, string) {
	t.Helper()
	cmd := exec.Command("avdoc", "live", "--swap", kind, dir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	var dev string
	for dev == "" {
		select {
		case err := <-exited:
			t.Fatalf("avdoc live ended (%v) before it could be interrupted:\n%s", err, stderr.String())
		case <-time.After(5 * time.Millisecond): // how often to look, not a limit
		}
		areas, _ := swapdev.SwapAreas()
		for _, a := range areas {
			if !slices.Contains(before, a) {
				dev = a
			}
		}
	}
	time.Sleep(200 * time.Millisecond) // into the stories, not a limit
	if err := cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	err := <-exited
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatal(err)
	}
	return cmd.ProcessState.ExitCode(), dev, stderr.String()
}
