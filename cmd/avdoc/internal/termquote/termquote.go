// Package termquote quotes what could command a terminal in text avdoc
// prints: escape sequences, carriage returns, bidirectional controls.
package termquote

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Quote returns s with every character that could command a
// terminal written out as a Go escape, so that text from a story (a
// custom kernel's name, a file name, an event) shows as what it is and
// cannot clear the screen, set the title or hide a line; the escapes
// (\u001b, \r; \xff for a byte that is not UTF-8) are also JSON's, so
// that check --format json stays valid JSON. It quotes C0 controls but
// newline and tab (ESC, BEL, carriage return, ...), DEL, C1 controls,
// the Unicode controls that reorder text (U+202A-U+202E, U+2066-U+2069,
// U+200E, U+200F, U+061C), and bytes that are not UTF-8. Everything
// avdoc writes to standard output and standard error goes through it
// (see Writer).
func Quote(s string) string {
	if strings.IndexFunc(s, NeedsQuote) < 0 && utf8.ValidString(s) {
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
		case NeedsQuote(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// NeedsQuote reports whether Quote escapes r.
func NeedsQuote(r rune) bool {
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

// Writer writes through Quote. Each Write is quoted on
// its own: avdoc writes whole messages.
type Writer struct{ W io.Writer }

func (q Writer) Write(b []byte) (int, error) {
	if _, err := io.WriteString(q.W, Quote(string(b))); err != nil {
		return 0, err
	}
	return len(b), nil
}
