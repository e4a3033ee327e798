package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"golang.org/x/term"
)

// quoteControls returns s with every character that could command a
// terminal written out as a Go escape, so that text from a story (a
// custom kernel's name, a file name, an event) shows as what it is and
// cannot clear the screen, set the title or hide a line; the escapes
// (\u001b, \r; \xff for a byte that is not UTF-8) are also JSON's, so
// that check --format json stays valid JSON. It quotes C0 controls but
// newline and tab (ESC, BEL, carriage return, ...), DEL, C1 controls,
// the Unicode controls that reorder text (U+202A-U+202E, U+2066-U+2069,
// U+200E, U+200F, U+061C), and bytes that are not UTF-8. Everything
// avdoc writes to standard output and standard error goes through it
// (see quotingWriter).
func quoteControls(s string) string {
	if strings.IndexFunc(s, needsQuote) < 0 && utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\r':
			b.WriteString(`\r`)
		case needsQuote(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// needsQuote reports whether quoteControls escapes r.
func needsQuote(r rune) bool {
	switch {
	case r == '\n' || r == '\t':
		return false
	case r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return true
	}
	return false
}

// quotingWriter writes through quoteControls. Each Write is quoted on
// its own: avdoc writes whole messages.
type quotingWriter struct{ w io.Writer }

func (q quotingWriter) Write(b []byte) (int, error) {
	if _, err := io.WriteString(q.w, quoteControls(string(b))); err != nil {
		return 0, err
	}
	return len(b), nil
}

// isTerminal reports whether f is a terminal: a character device that
// answers a terminal's ioctl, which /dev/null does not.
func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

// writesToTerminal reports whether w is a terminal.
func writesToTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && isTerminal(f)
}
