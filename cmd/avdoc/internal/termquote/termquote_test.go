package termquote

import "testing"

func TestQuote(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain text, 日本語, ≠ and tabs\tand\nnewlines", "plain text, 日本語, ≠ and tabs\tand\nnewlines"},
		{"x\x1b[2J\x1b]0;owned\x07", `x\u001b[2J\u001b]0;owned\u0007`},
		{"ok\rFAILED", `ok\rFAILED`},
		{"nul\x00 del\x7f", `nul\u0000 del\u007f`},
		{"c1 \u009b31m", `c1 \u009b31m`},
		{"bidi \u202eevil\u202c \u2066x\u2069 \u200f", `bidi \u202eevil\u202c \u2066x\u2069 \u200f`},
		{"bad utf-8 \xff\xc2", `bad utf-8 \xff\xc2`},
		{"\ufffd stays", "\ufffd stays"},
	}
	for _, tt := range tests {
		if got := Quote(tt.in); got != tt.want {
			t.Errorf("Quote(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
