package figure

import "strings"

// EscapeXML escapes text for XML content or a double-quoted attribute.
// Characters XML cannot hold become U+FFFD.
func EscapeXML(s string) string {
	if plainText(s, `&<>"`) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"':
			b.WriteString("&quot;")
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case r < 0x20 || (r >= 0x7f && r < 0xa0) || r == 0xFFFE || r == 0xFFFF:
			b.WriteRune(0xFFFD)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// escapeText escapes a text span as Graphviz's SVG renderer does: a
// space after a space is a non-breaking space, so that runs of spaces
// survive, and an apostrophe is a character reference.
func escapeText(s string) string {
	if plainText(s, `&<>"'`) && !strings.Contains(s, "  ") {
		return s
	}
	var b strings.Builder
	prev := rune(0)
	for _, r := range s {
		switch {
		case r == ' ' && prev == ' ':
			b.WriteString("&#160;")
		case r == '\'':
			b.WriteString("&#39;")
		default:
			b.WriteString(EscapeXML(string(r)))
		}
		prev = r
	}
	return b.String()
}

// plainText reports whether s is printable ASCII, newlines and tabs,
// without any of the bytes of specials: text that escaping leaves as it
// is, most text, found without building a copy.
func plainText(s, specials string) bool {
	if strings.ContainsAny(s, specials) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 0x20 && c != '\n' && c != '\t') || c >= 0x7f {
			return false
		}
	}
	return true
}
