package render

import "strings"

// escapeDOT returns s escaped for the inside of a double-quoted DOT string
// used as a label or an id. Backslashes are doubled so that Graphviz's
// escape sequences (\N, \G, \l …) never fire on story text, quotes are
// escaped, a newline becomes the \n line break, and & becomes &amp;
// because Graphviz decodes HTML entities even in plain labels. Other
// control characters, which SVG cannot carry, become U+FFFD.
func escapeDOT(s string) string {
	if plain(s, `\"&`) {
		return s
	}
	return escape(s, map[rune]string{'\\': `\\`, '"': `\"`, '&': "&amp;", '\n': `\n`, '\t': " "}, isControl)
}

// escapeHTMLLabel returns s escaped as text inside a Graphviz HTML-like
// label: the XML specials become entities (which also defuses "]]>"), a
// newline becomes <BR/>, and other control characters become U+FFFD.
// Backslashes are doubled because Graphviz expands \N, \G … in the text of
// HTML-like labels too.
func escapeHTMLLabel(s string) string {
	if plain(s, `\&<>"`) {
		return s
	}
	return escape(s, map[rune]string{'\\': `\\`, '&': "&amp;", '<': "&lt;", '>': "&gt;", '"': "&quot;",
		'\n': "<BR/>", '\t': " "}, isControl)
}

// plain reports whether s is printable ASCII without any of the bytes
// of specials: text that escaping leaves as it is, most text, found
// without building the escaper.
func plain(s, specials string) bool {
	var set [2]uint64 // specials, all ASCII, as a set of bytes below 128
	for i := 0; i < len(specials); i++ {
		c := specials[i] & 0x7f
		set[c>>6] |= 1 << (c & 63)
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || set[c>>6]&(1<<(c&63)) != 0 {
			return false
		}
	}
	return true
}

// escape rewrites each rune of s that has an entry in special, replaces
// each rune that bad reports with U+FFFD, and keeps the rest.
func escape(s string, special map[rune]string, bad func(rune) bool) string {
	var b strings.Builder
	for _, r := range s {
		if rep, ok := special[r]; ok {
			b.WriteString(rep)
		} else if bad(r) {
			b.WriteRune('\uFFFD')
		} else {
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
