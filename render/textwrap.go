package render

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// TextWidth is the widest line [Picture.Text] writes: what a mail reader
// shows without wrapping, as a patch review quotes it.
const TextWidth = 72

// asciiFor spells the typographic characters that story text uses in
// ASCII, so that a title stays readable in a fixed-width font.
var asciiFor = map[rune]string{
	'\u2014': "--", '\u2013': "-", '\u2212': "-", '\u00d7': "x", '\u2026': "...",
	'\u2018': "'", '\u2019': "'", '\u201c': `"`, '\u201d': `"`, '\u2192': "->",
	'\u2260': "!=", '\u2264': "<=", '\u2265': ">=", '\u00a0': " ",
}

// quoteText returns story text as printable ASCII for a terminal or a
// mail, so that every character takes one column and none can command
// the terminal: the typographic characters stories use become their
// ASCII spelling (an em dash "--"), and every control character (a
// newline too: story text is one line here) or other non-ASCII
// character a visible Go escape (\n, \u001b, \u00e9, \xff for a byte
// that is not UTF-8).
func quoteText(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch rep, ok := asciiFor[r]; {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case ok:
			b.WriteString(rep)
		case r >= 0x20 && r < 0x7f:
			b.WriteRune(r)
		case r > 0xffff:
			fmt.Fprintf(&b, `\U%08x`, r)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
		i += size
	}
	return b.String()
}

// textWriter writes the lines of a text figure: each starts with a mark
// column ("+ ", "~ ", "- " or two spaces) when the figure has marks, and
// none is wider than [TextWidth].
type textWriter struct {
	b     strings.Builder
	marks bool // write the mark column
}

// line writes text at indent, wrapped at spaces to [TextWidth] columns;
// continuation lines are indented hang more. A word too long for a line
// is split across lines, never cut. Every line carries the mark. The
// text must be quoted already.
func (w *textWriter) line(mark byte, indent, hang int, text string) {
	lead := strings.Repeat(" ", indent)
	if w.marks {
		lead = string(mark) + " " + lead
	}
	first := true
	for _, l := range wrapWords(text, TextWidth-len(lead), TextWidth-len(lead)-hang) {
		if !first {
			l = strings.Repeat(" ", hang) + l
		}
		w.b.WriteString(strings.TrimRight(lead+l, " ") + "\n")
		first = false
	}
}

// blank writes an empty line, once between parts.
func (w *textWriter) blank() {
	if s := w.b.String(); s != "" && !strings.HasSuffix(s, "\n\n") {
		w.b.WriteString("\n")
	}
}

// wrapWords breaks text at spaces into lines of at most first columns,
// then at most rest. A word longer than a line is split. Widths below
// minWrap are raised to it, so that wrapping always makes progress.
func wrapWords(text string, first, rest int) []string {
	const minWrap = 16
	first, rest = max(first, minWrap), max(rest, minWrap)
	var out []string
	cur, width := "", first
	flush := func() {
		out = append(out, cur)
		cur, width = "", rest
	}
	for _, word := range strings.Fields(text) {
		for len(word) > 0 {
			switch {
			case cur == "" && len(word) > width:
				cur, word = word[:width], word[width:]
				flush()
			case cur == "":
				cur, word = word, ""
			case len(cur)+1+len(word) <= width:
				cur, word = cur+" "+word, ""
			default:
				flush()
			}
		}
	}
	if cur != "" || len(out) == 0 {
		out = append(out, cur)
	}
	return out
}
