package render

import "testing"

func TestEscapeDOT(t *testing.T) {
	tests := []struct{ in, want string }{
		{"P", "P"},
		{`a"b`, `a\"b`},
		{`a\b`, `a\\b`},
		{`\N\G\l`, `\\N\\G\\l`},
		{"a&b", "a&amp;b"},
		{"&lt;", "&amp;lt;"},
		{"<b>]]>{x|y}", "<b>]]>{x|y}"},
		{"two\nlines", `two\nlines`},
		{"tab\there", "tab here"},
		{"bell\a\x7f", "bell\uFFFD\uFFFD"},
		{"καλό", "καλό"},
	}
	for _, tc := range tests {
		if got := escapeDOT(tc.in); got != tc.want {
			t.Errorf("escapeDOT(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestEscapeHTMLLabel(t *testing.T) {
	tests := []struct{ in, want string }{
		{"P:heap", "P:heap"},
		{"<b>", "&lt;b&gt;"},
		{"a&b", "a&amp;b"},
		{"&amp;", "&amp;amp;"},
		{`say "hi"`, "say &quot;hi&quot;"},
		{`back\slash\N`, `back\\slash\\N`},
		{"]]>", "]]&gt;"},
		{"{x|y}", "{x|y}"},
		{"two\nlines", "two<BR/>lines"},
		{"nul\x00", "nul\uFFFD"},
	}
	for _, tc := range tests {
		if got := escapeHTMLLabel(tc.in); got != tc.want {
			t.Errorf("escapeHTMLLabel(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
