package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"testing"
	"time"
)

// TestStory07Memory: the README says what the largest shipped story
// costs, "about N GB" at peak for `avdoc check`; the claim must stay
// within a factor of 1.5 either way of what it measures (the process's
// peak resident set, see peakRSS).
func TestStory07Memory(t *testing.T) {
	if testing.Short() {
		t.Skip("runs Rik's case at full size")
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`stories/07-rik-1000.yaml[^.]*?peaks at about ([0-9.]+) GB`).FindSubmatch(readme)
	if m == nil {
		t.Fatal("the README says nothing of story 07's memory as 'peaks at about N GB'")
	}
	claim, _ := strconv.ParseFloat(string(m[1]), 64)
	peak := peakRSS(t, "avdoc", "check", "../../stories/07-rik-1000.yaml")
	if peak > claim*1.5 || peak < claim/1.5 {
		t.Errorf("story 07 peaks at %.2f GB; the README says about %.2f GB", peak, claim)
	}
	t.Logf("story 07: peak %.2f GB, README %.2f GB", peak, claim)
}

// peakRSS runs a command and returns its peak resident set in GB, as its
// memory's high-water mark (VmHWM in /proc/PID/status), read until it
// exits. Not getrusage: at exec the kernel seeds a child's ru_maxrss with
// the high-water mark of the memory it replaced, here this test
// process's, which the in-process builds of other tests make large.
func peakRSS(t *testing.T, name string, args ...string) float64 {
	t.Helper()
	cmd := exec.Command(name, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	status := fmt.Sprintf("/proc/%d/status", cmd.Process.Pid)
	var kb float64
	for {
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("%s %v: %v\n%s", name, args, err, out.String())
			}
			return kb * 1024 / 1e9
		case <-time.After(2 * time.Millisecond): // how often to look, not a limit
		}
		if b, err := os.ReadFile(status); err == nil {
			if m := vmHWM.FindSubmatch(b); m != nil {
				v, _ := strconv.ParseFloat(string(m[1]), 64)
				kb = max(kb, v)
			}
		}
	}
}

var vmHWM = regexp.MustCompile(`(?m)^VmHWM:\s+([0-9]+) kB`)
