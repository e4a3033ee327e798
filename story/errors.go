package story

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// Pos is a position in a story file; Line and Col count from 1.
type Pos struct {
	File string
	Line int
	Col  int
}

func (p Pos) String() string {
	if p.Line == 0 {
		return p.File
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// add returns p moved n columns to the right, on the same line.
func (p Pos) add(n int) Pos {
	p.Col += n
	return p
}

// Error is one problem in a story file: where, what, and how to fix it.
type Error struct {
	Pos  Pos
	Msg  string
	Hint string // "did you mean fork?", or ""
}

func (e *Error) Error() string {
	if e.Hint == "" {
		return e.Pos.String() + ": " + e.Msg
	}
	return e.Pos.String() + ": " + e.Msg + " (" + e.Hint + ")"
}

// ErrorList collects every problem in a file, so that all are reported at
// once.
type ErrorList []*Error

// Add appends an error at pos.
func (l *ErrorList) Add(pos Pos, hint, format string, args ...any) {
	*l = append(*l, &Error{Pos: pos, Msg: fmt.Sprintf(format, args...), Hint: hint})
}

// Sort orders the list by file, line and column, keeping the order in
// which errors were found at the same place.
func (l ErrorList) Sort() {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i].Pos, l[j].Pos
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
}

// Clipping: an error quotes what the story wrote, which may be a
// megabyte on one line. A quoted text or a word longer than clipWord runes
// keeps its first clipKeep; a message longer than clipMsg runes is cut.
const (
	clipWord = 80
	clipKeep = 60
	clipMsg  = 2000
)

// clip shortens the message and hint of every error (see clipText).
func (l ErrorList) clip() {
	for _, e := range l {
		e.Msg, e.Hint = clipText(e.Msg), clipText(e.Hint)
	}
}

// clipText shortens the long quoted texts and words of s, then s itself,
// marking each cut with "…".
func clipText(s string) string {
	var b strings.Builder
	for s != "" {
		n := tokenLen(s)
		tok := s[:n]
		if utf8.RuneCountInString(tok) > clipWord {
			tok = firstRunes(tok, clipKeep) + "…"
			if quoted := s[0] == '"' && n > 1 && s[n-1] == '"'; quoted {
				tok += `"`
			}
		}
		b.WriteString(tok)
		s = s[n:]
	}
	if out := b.String(); utf8.RuneCountInString(out) > clipMsg {
		return firstRunes(out, clipMsg) + "…"
	}
	return b.String()
}

// tokenLen returns the length of the token s starts with: a quoted text
// as %q writes it (up to its closing quote), a run of blanks, or a word.
func tokenLen(s string) int {
	if s[0] == '"' {
		for i := 1; i < len(s); i++ {
			switch s[i] {
			case '\\':
				i++
			case '"':
				return i + 1
			}
		}
		return len(s)
	}
	blank := s[0] == ' '
	for i := 1; i < len(s); i++ {
		if (s[i] == ' ') != blank || s[i] == '"' {
			return i
		}
	}
	return len(s)
}

// firstRunes returns the first n runes of s (all of s if it is shorter).
func firstRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// Err returns the list as an error, or nil if it is empty.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// Error prints one problem a line.
func (l ErrorList) Error() string {
	msgs := make([]string, len(l))
	for i, e := range l {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// suggest returns a "did you mean" hint naming the candidate closest to
// word, if one is close enough to be a likely typo.
func suggest(word string, candidates []string) string {
	best := suggestion(word, candidates)
	if best == "" {
		return ""
	}
	return fmt.Sprintf("did you mean %q?", best)
}

// suggestion returns the candidate closest to word, if one is close
// enough to be a likely typo, or "".
func suggestion(word string, candidates []string) string {
	limit := 2
	if len(word) > 5 {
		limit = 3
	}
	// A short word is close to too much: "Z" is one edit from every
	// one-letter process name, which would make a random hint.
	limit = min(limit, len(word)/2)
	best, bestD := "", limit+1
	lower := strings.ToLower(word)
	for _, c := range candidates {
		if d := editDistanceWithin(lower, strings.ToLower(c), bestD-1); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// editDistanceWithin is the Levenshtein distance between a and b, in
// bytes, if it is at most limit, or else limit+1. It fills only the band
// of the table within limit of its diagonal, so that it takes time
// proportional to the shorter string, not to the product of the two: a
// word may be a megabyte long.
func editDistanceWithin(a, b string, limit int) int {
	over := limit + 1
	if limit < 0 || len(a)-len(b) > limit || len(b)-len(a) > limit {
		return max(over, 0)
	}
	// Two rows of the table; on the stack for a word of the usual length.
	var rows [2][32]int
	prev, cur := rows[0][:0], rows[1][:0]
	if len(b) >= len(rows[0]) {
		prev, cur = make([]int, 0, len(b)+1), make([]int, 0, len(b)+1)
	}
	prev, cur = prev[:len(b)+1], cur[:len(b)+1]
	for j := range prev {
		prev[j] = min(j, over)
	}
	for i := 1; i <= len(a); i++ {
		lo, hi := max(1, i-limit), min(len(b), i+limit)
		cur[lo-1] = over
		if lo == 1 {
			cur[0] = min(i, over)
		}
		for j := lo; j <= hi; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost, over)
		}
		if hi < len(b) {
			cur[hi+1] = over
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
