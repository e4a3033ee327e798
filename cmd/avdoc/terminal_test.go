package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestQuoteControls(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain text, 日本語, ≠ and tabs\tand\nnewlines", "plain text, 日本語, ≠ and tabs\tand\nnewlines"},
		{"x\x1b[2J\x1b]0;owned\x07", `x\x1b[2J\x1b]0;owned\x07`},
		{"ok\rFAILED", `ok\rFAILED`},
		{"nul\x00 del\x7f", `nul\x00 del\x7f`},
		{"c1 \u009b31m", `c1 \x9b31m`},
		{"bidi \u202eevil\u202c \u2066x\u2069 \u200f", `bidi \u202eevil\u202c \u2066x\u2069 \u200f`},
		{"bad utf-8 \xff\xc2", `bad utf-8 \xff\xc2`},
		{"\ufffd stays", "\ufffd stays"},
	}
	for _, tt := range tests {
		if got := quoteControls(tt.in); got != tt.want {
			t.Errorf("quoteControls(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

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
		if !strings.Contains(stderr, `x\x1b[2J\x1b]0;owned\x07\u202e\r`) {
			t.Errorf("avdoc %v: stderr does not quote the kernel's name: %q", args, stderr)
		}
		for _, out := range []string{stdout, stderr} {
			if i := strings.IndexFunc(out, needsQuote); i >= 0 {
				t.Errorf("avdoc %v: a raw control character (%q) in %q", args, out[i], out)
			}
		}
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
