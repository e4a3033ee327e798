package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/avdoc/avdoc/cmd/avdoc/internal/termquote"
	"github.com/avdoc/avdoc/report"
)

// hostileKernelStory fails an expectation under a custom kernel whose
// name clears the screen, sets the terminal's title and reverses the
// text after it.
const hostileKernelStory = `title: "Evil \e]0;pwned\a"
kernels:
  - {name: "x\e[2J\e]0;owned\a\u202e\r", base: 2.6.34}
steps:
  - do: [spawn P, mmap P heap 1, write P:heap:0]
    expect:
      - count(process) == 2
`

// TestHostileTextNeverReachesTheTerminal runs commands whose output
// quotes a hostile custom kernel name: no control character of it may
// reach standard error or standard output raw.
func TestHostileTextNeverReachesTheTerminal(t *testing.T) {
	dir := t.TempDir()
	mustWrite(t, filepath.Join(dir, "evil.yaml"), hostileKernelStory)
	for _, args := range [][]string{
		{"check", "evil.yaml"},
		{"build", "-j", "1", "-o", "site", "evil.yaml"},
		{"render", "evil.yaml", "--step", "1", "--kernel", "nope"},
	} {
		code, stdout, stderr := avdoc(t, dir, args...)
		if code == exitOK {
			t.Errorf("avdoc %v: exit 0, want a failure", args)
		}
		if !strings.Contains(stderr, `x\u001b[2J\u001b]0;owned\u0007\u202e\r`) {
			t.Errorf("avdoc %v: stderr does not quote the kernel's name: %q", args, stderr)
		}
		for _, out := range []string{stdout, stderr} {
			if i := strings.IndexFunc(out, termquote.NeedsQuote); i >= 0 {
				t.Errorf("avdoc %v: a raw control character (%q) in %q", args, out[i], out)
			}
		}
	}
}

// TestHostileTextInJSON: check --format json quotes the hostile name
// too, and stays JSON that decodes to the name as the story wrote it.
func TestHostileTextInJSON(t *testing.T) {
	dir := t.TempDir()
	mustWrite(t, filepath.Join(dir, "evil.yaml"), hostileKernelStory)
	code, stdout, _ := avdoc(t, dir, "check", "--format", "json", "evil.yaml")
	if code != exitFailed || strings.IndexFunc(stdout, termquote.NeedsQuote) >= 0 {
		t.Errorf("exit %d, a raw control character in %q", code, stdout)
	}
	var r report.Report
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, stdout)
	}
	if want := "x\x1b[2J\x1b]0;owned\a\u202e\r"; len(r.Stories) != 1 || len(r.Stories[0].Kernels) != 1 || r.Stories[0].Kernels[0] != want {
		t.Errorf("kernels %q, want [%q]", r.Stories[0].Kernels, want)
	}
}

// TestNullIsNoTerminal: /dev/null is a character device, and no
// terminal; nor are a buffer and a regular file.
func TestNullIsNoTerminal(t *testing.T) {
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	file, err := os.Create(filepath.Join(t.TempDir(), "log"))
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	if writesToTerminal(null) || writesToTerminal(file) || writesToTerminal(&bytes.Buffer{}) {
		t.Error("/dev/null, a regular file or a buffer taken for a terminal")
	}
}
