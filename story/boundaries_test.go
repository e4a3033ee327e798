package story

import (
	"strings"
	"testing"
)

// TestClipBoundaries: a word or quoted text of exactly clipWord runes, and
// a message of exactly clipMsg, are kept whole; one rune more is cut.
func TestClipBoundaries(t *testing.T) {
	word := func(n int) string { return strings.Repeat("w", n) }
	msg := func(n int) string { return strings.Repeat("ab ", n/3) + word(n%3) }
	tests := []struct {
		name, in, want string
	}{
		{"word at the limit", "x " + word(clipWord), "x " + word(clipWord)},
		{"word over the limit", "x " + word(clipWord+1), "x " + word(clipKeep) + "…"},
		{"quoted at the limit", `x "` + word(clipWord-2) + `"`, `x "` + word(clipWord-2) + `"`},
		{"quoted over the limit", `x "` + word(clipWord-1) + `"`, `x "` + word(clipKeep-1) + `…"`},
		{"message at the limit", msg(clipMsg), msg(clipMsg)},
		{"message over the limit", msg(clipMsg + 1), msg(clipMsg + 1)[:clipMsg] + "…"},
	}
	for _, tt := range tests {
		if got := clipText(tt.in); got != tt.want {
			t.Errorf("%s: clipText gave %d runes %.30q…, want %d runes", tt.name, len([]rune(got)), got, len([]rune(tt.want)))
		}
	}
}

// TestSuggestionDistances: how far a word may be from a candidate to be
// taken for its typo grows with the word, and is at most half of it.
func TestSuggestionDistances(t *testing.T) {
	tests := []struct {
		word       string
		candidates []string
		want       string
	}{
		{"abcdef", []string{"abcxyz"}, "abcxyz"}, // 6 letters: 3 edits
		{"abcdef", []string{"abwxyz"}, ""},       // 4 edits
		{"abcde", []string{"abcyz"}, "abcyz"},    // 5 letters: 2 edits
		{"abcde", []string{"abxyz"}, ""},         // 3 edits
		{"abc", []string{"axc"}, "axc"},          // 3 letters: 1 edit (half of 3)
		{"abc", []string{"xyc"}, ""},
		{"ab", []string{"ac"}, "ac"},
		{"a", []string{"b"}, ""}, // one letter: only itself
		{"a", []string{"A"}, "A"},
		{"fork", []string{"frk", "fork2", "forks"}, "frk"},  // ties: the first
		{"frok", []string{"exit", "fork", "form"}, "fork"},  // the closest
		{"Spawn", []string{"mmap", "spawn"}, "spawn"},       // case does not count
		{"walk", []string{"walk", "talk"}, "walk"},          // an exact match wins
		{"violation", []string{"violations"}, "violations"}, // 1 edit of 3 allowed
	}
	for _, tt := range tests {
		if got := suggestion(tt.word, tt.candidates); got != tt.want {
			t.Errorf("suggestion(%q, %q) = %q, want %q", tt.word, tt.candidates, got, tt.want)
		}
	}
}

// TestErrorListSort: by file, then line, then column; errors at one
// place keep the order they were found in.
func TestErrorListSort(t *testing.T) {
	at := func(file string, line, col int, msg string) *Error {
		return &Error{Pos: Pos{File: file, Line: line, Col: col}, Msg: msg}
	}
	l := ErrorList{at("b", 1, 1, "1"), at("a", 2, 1, "2"), at("a", 1, 5, "3"), at("a", 1, 2, "4"), at("a", 1, 2, "5"), at("a", 10, 1, "6")}
	l.Sort()
	var got []string
	for _, e := range l {
		got = append(got, e.Msg)
	}
	if want := "4 5 3 2 6 1"; strings.Join(got, " ") != want {
		t.Errorf("sorted: %v, want %s", got, want)
	}
}
