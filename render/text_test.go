package render

import (
	"strings"
	"testing"

	"github.com/avdoc/avdoc/engine"
)

// checkText fails the test unless every line of text is at most
// TextWidth columns of printable ASCII without trailing spaces, and the
// text ends with a newline.
func checkText(t *testing.T, name string, text []byte) {
	t.Helper()
	s := string(text)
	if !strings.HasSuffix(s, "\n") {
		t.Errorf("%s: does not end with a newline", name)
	}
	for i, l := range strings.Split(strings.TrimSuffix(s, "\n"), "\n") {
		switch {
		case len(l) > TextWidth:
			t.Errorf("%s:%d: %d columns, over %d: %q", name, i+1, len(l), TextWidth, l)
		case strings.HasSuffix(l, " "):
			t.Errorf("%s:%d: trailing space: %q", name, i+1, l)
		case strings.IndexFunc(l, func(r rune) bool { return r < 0x20 || r > 0x7e }) >= 0:
			t.Errorf("%s:%d: not printable ASCII: %q", name, i+1, l)
		}
	}
}

func TestQuoteText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"P:heap", "P:heap"},
		{"Before anon_vma \u2014 pte_chains, 1 \u00d7 2 \u2212 1 \u2026", "Before anon_vma -- pte_chains, 1 x 2 - 1 ..."},
		{"x\x1b[2J\x1b]0;owned\x07", `x\u001b[2J\u001b]0;owned\u0007`},
		{"ok\rFAILED", `ok\rFAILED`},
		{"a\tb\nc", `a\tb\nc`},
		{"del\x7f c1\u009b bidi\u202e", `del\u007f c1\u009b bidi\u202e`},
		{"caf\u00e9 \U0001F600", `caf\u00e9 \U0001f600`},
		{"bad \xff", `bad \xff`},
	}
	for _, tt := range tests {
		if got := quoteText(tt.in); got != tt.want {
			t.Errorf("quoteText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestWrapWords checks that wrapping keeps every character, in order,
// and that no line is wider than asked, even for a word longer than a
// line.
func TestWrapWords(t *testing.T) {
	long := strings.Repeat("abcdefghij", 9)
	for _, text := range []string{"", "one", "a few short words that need two lines at most", long, "x " + long + " y"} {
		lines := wrapWords(text, 30, 20)
		for i, l := range lines {
			if w := map[bool]int{true: 30, false: 20}[i == 0]; len(l) > w {
				t.Errorf("wrapWords(%q): line %d is %d wide, over %d", text, i+1, len(l), w)
			}
		}
		if got, want := strings.Join(lines, ""), strings.ReplaceAll(text, " ", ""); strings.ReplaceAll(got, " ", "") != want {
			t.Errorf("wrapWords(%q) lost text: %q", text, lines)
		}
	}
}

// TestTextFixtures prints every golden fixture as text: within the width,
// ASCII, and naming its objects.
func TestTextFixtures(t *testing.T) {
	for _, c := range goldenCases {
		out := Draw(c.st(), c.opt).Text("Fixture "+c.name+": step 1 of 1, kernel 2.6.34", []string{"spawn P"})
		checkText(t, c.name, out)
		if !strings.HasPrefix(string(out), "Fixture "+c.name) {
			t.Errorf("%s: no heading:\n%s", c.name, out)
		}
	}
}

// TestTextHostile draws a state whose story text commands a terminal and
// runs far past a line: it stays within the width, every control
// character shows as an escape, and no character of a long name is lost.
func TestTextHostile(t *testing.T) {
	long := strings.Repeat("VeryLongProcessName", 8)
	var f fixture
	p := f.proc(long+"\x1b]0;owned\x07", 0)
	v := f.vma(p, "he\x1b[2Jap\r\u202e"+long, 0x100, 1)
	a := f.prepare(v, "<i>\"av\"</i>\\G\x00"+long)
	f.page(v, 0, a)
	title := "Evil \x1b[31mtitle\x1b[0m\r\n" + long + ": step 1 of 1, kernel 2.6.34"
	out := Draw(&f.st, Options{}).Text(title, []string{"spawn " + long + "\x07"})
	checkText(t, "hostile", out)
	flat := strings.Join(strings.Fields(string(out)), "")
	for _, want := range []string{`Evil\u001b[31mtitle\u001b[0m`, `\u001b]0;owned\u0007`, `he\u001b[2Jap\r\u202e`, `\u0000`,
		strings.Repeat("VeryLongProcessName", 8)} {
		if !strings.Contains(flat, want) {
			t.Errorf("text lacks %q (spaces removed):\n%s", want, out)
		}
	}
}

// TestTextDesigns checks what each design shows: 2.6.6 neither
// vma->anon_vma nor page->mapping but the pte_chain, 2.6.7-2.6.33 the
// anon_vma's list of VMAs, 2.6.34+ the same_vma list.
func TestTextDesigns(t *testing.T) {
	for _, c := range []struct {
		design    engine.Design
		want, not []string
	}{
		{engine.DesignPTEChain, []string{"PTEs: page 1", "PG_direct"}, []string{"vma->anon_vma", "mapping", "same_vma"}},
		{engine.DesignAnonVMAList, []string{"vma->anon_vma: av(P:heap)", "VMAs: P:heap", "mapping av(P:heap)"}, []string{"same_vma", "AVC"}},
		{engine.DesignAnonVMAChain, []string{"same_vma: AVC 1 -> av(P:heap)", "same_anon_vma: AVC 1 -> VMA P:heap"}, []string{"VMAs:"}},
	} {
		st := single()
		st.Model = &engine.Model{Name: "m", Design: c.design}
		if c.design == engine.DesignAnonVMAList {
			st.AnonVMAs[0].VMAs = []engine.VMAID{1}
		}
		out := string(Draw(st, Options{}).Text("T", nil))
		for _, w := range c.want {
			if !strings.Contains(out, w) {
				t.Errorf("design %d: lacks %q:\n%s", c.design, w, out)
			}
		}
		for _, n := range c.not {
			if strings.Contains(out, n) {
				t.Errorf("design %d: shows %q:\n%s", c.design, n, out)
			}
		}
	}
}

// TestTextSummary: a state too big to draw prints the picture's note
// instead of its objects.
func TestTextSummary(t *testing.T) {
	out := string(Draw(fork(), Options{MaxNodes: 2}).Text("T", nil))
	checkText(t, "summary", []byte(out))
	if !strings.Contains(out, "too many to draw legibly") || strings.Contains(out, "same_vma") {
		t.Errorf("want the summary note and no objects:\n%s", out)
	}
}

// TestTextMarks: a step that forked marks the child's objects "+", the
// shared page "~" (its mapcount changed), and explains both marks.
func TestTextMarks(t *testing.T) {
	out := string(Draw(fork(), Options{Prev: single()}).Text("T", nil))
	for _, want := range []string{"\n+ process C\n", "\n+   VMA C:heap", "\n~ page 1 (P:heap:0, C:heap:0),", "marks: + new in this step; ~ changed"} {
		if !strings.Contains(out, want) {
			t.Errorf("lacks %q:\n%s", want, out)
		}
	}
	if out := string(Draw(single(), Options{Prev: fork()}).Text("T", nil)); !strings.Contains(out, "\n- process C\n") {
		t.Errorf("an exit does not mark the process gone:\n%s", out)
	}
}
