package story

import "fmt"

// maxControlErrors bounds the control characters reported one by one: a
// binary file pasted into a story holds thousands.
const maxControlErrors = 10

// controlChars reports the characters of the file that YAML refuses
// (control characters other than tab and line breaks, and U+FFFE and
// U+FFFF), each where it is and with what to do about it; yaml.v3 only
// says that there is one, somewhere. lines are the file's lines, as
// splitLines cuts them.
func controlChars(file string, lines []string) ErrorList {
	var errs ErrorList
	more := 0
	for i, line := range lines {
		col := 0
		for _, r := range line {
			col++
			if !yamlRefuses(r) {
				continue
			}
			if len(errs) == maxControlErrors {
				more++
				continue
			}
			errs.Add(Pos{File: file, Line: i + 1, Col: col}, controlHint(r),
				"the file holds the control character %s, which YAML does not allow", runeName(r))
		}
	}
	if more > 0 {
		last := errs[len(errs)-1]
		last.Msg += fmt.Sprintf(" (and %d more after this one)", more)
	}
	return errs
}

// yamlRefuses reports whether YAML 1.1's reader (and so yaml.v3's)
// refuses r anywhere in a file: it accepts tab, LF, CR, printable ASCII,
// NEL and the rest of Unicode but for the surrogates, U+FFFE and U+FFFF.
func yamlRefuses(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r' || r == 0x85:
		return false
	case r < 0x20 || r >= 0x7f && r < 0xa0:
		return true
	}
	return r == 0xfffe || r == 0xffff
}

// controlNames names the control characters most often met in a file.
var controlNames = map[rune]string{0: "NUL", 7: "BEL", 8: "BS", 0x0b: "VT", 0x0c: "FF", 0x1b: "ESC", 0x7f: "DEL"}

// runeName writes r as U+XXXX, with its name if it has a common one.
func runeName(r rune) string {
	if name, ok := controlNames[r]; ok {
		return fmt.Sprintf("U+%04X (%s)", r, name)
	}
	return fmt.Sprintf("U+%04X", r)
}

// controlHint says what to do about a control character: delete it, or
// write it as an escape inside double quotes.
func controlHint(r rune) string {
	esc := fmt.Sprintf(`\x%02x`, r)
	if r > 0xff {
		esc = fmt.Sprintf(`\u%04x`, r)
	}
	return fmt.Sprintf(`delete it, as most editors do not show it; or, to mean it, write the escape "%s" inside double quotes`, esc)
}
