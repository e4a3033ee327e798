package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

// TestHelpOnce: `avdoc COMMAND --help` (and `avdoc help COMMAND`) prints
// the command's usage once, on standard output, and exits 0; a bad flag
// prints the error and the usage once on standard error, and exits 2.
func TestHelpOnce(t *testing.T) {
	for _, cmd := range commands() {
		if cmd.name == "help" {
			continue
		}
		for _, args := range [][]string{{cmd.name, "--help"}, {cmd.name, "-h"}, {"help", cmd.name}} {
			var stdout, stderr bytes.Buffer
			code := run(args, &stdout, &stderr)
			if n := strings.Count(stdout.String(), "Usage: "+cmd.usage); code != exitOK || n != 1 || stderr.Len() > 0 {
				t.Errorf("avdoc %v: exit %d, usage %d times on stdout, stderr %q; want exit 0, once, nothing", args, code, n, stderr.String())
			}
		}
		var stdout, stderr bytes.Buffer
		code := run([]string{cmd.name, "--no-such-flag"}, &stdout, &stderr)
		if n := strings.Count(stderr.String(), "Usage: "); code != exitInput || n != 1 || stdout.Len() > 0 ||
			!strings.Contains(stderr.String(), "flag provided but not defined: -no-such-flag") {
			t.Errorf("avdoc %s --no-such-flag: exit %d, usage %d times, stdout %q, stderr %q", cmd.name, code, n, stdout.String(), stderr.String())
		}
	}
}

// TestRenderExitStatus: render draws what the simulation shows, and,
// as the README's table says, exits 1 when an expectation fails, saying
// which; 0 when all hold.
func TestRenderExitStatus(t *testing.T) {
	dir := t.TempDir()
	mustWrite(t, filepath.Join(dir, "good.yaml"), tinyStory+"    expect: [count(process) == 1]\n")
	mustWrite(t, filepath.Join(dir, "bad.yaml"), tinyStory+"    expect: [count(process) == 2]\n")
	if code, _, stderr := avdoc(t, dir, "render", "good.yaml", "--step", "1", "-o", "good.svg"); code != exitOK || stderr != "" {
		t.Errorf("render of a story whose expectations hold: exit %d, stderr %q", code, stderr)
	}
	code, _, stderr := avdoc(t, dir, "render", "bad.yaml", "--step", "1", "-o", "bad.svg")
	if code != exitFailed || !strings.Contains(stderr, "bad.yaml:5:14: step 1 (kernel 2.6.34): expected count(process) == 2") {
		t.Errorf("render of a story whose expectation fails: exit %d, stderr %q; want exit %d naming it", code, stderr, exitFailed)
	}
	mustExist(t, filepath.Join(dir, "bad.svg"))
}
