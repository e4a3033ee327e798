package render

import "strings"

// escapeDOT returns s escaped for the inside of a double-quoted DOT string
// used as a label or an id. Backslashes are doubled so that Graphviz's
// escape sequences (\N, \G, \l …) never fire on story text, quotes are
// escaped, a newline becomes the \n line break, and & becomes &amp;
// because Graphviz decodes HTML entities even in plain labels. Other
// control characters, which SVG cannot carry, become U+FFFD.
func escapeDOT(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == '"':
			b.WriteString(`\"`)
		case r == '&':
			b.WriteString("&amp;")
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteByte(' ')
		case isControl(r):
			b.WriteRune('\uFFFD')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// escapeHTMLLabel returns s escaped as text inside a Graphviz HTML-like
// label: the XML specials become entities (which also defuses "]]>"), a
// newline becomes <BR/>, and other control characters become U+FFFD.
// Backslashes are doubled because Graphviz expands \N, \G … in the text of
// HTML-like labels too.
func escapeHTMLLabel(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"':
			b.WriteString("&quot;")
		case r == '\n':
			b.WriteString("<BR/>")
		case r == '\t':
			b.WriteByte(' ')
		case isControl(r):
			b.WriteRune('\uFFFD')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isControl reports whether r is a C0 or C1 control character or DEL,
// none of which XML 1.0 output can hold safely.
func isControl(r rune) bool {
	return r < 0x20 || (r >= 0x7f && r < 0xa0)
}
