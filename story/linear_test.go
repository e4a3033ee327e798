package story

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
)

// TestInputHandlingAllocatesLinearly parses and executes each shape of
// inputShapes at 16 KB and at 256 KB, and compares the bytes allocated
// per input byte: linear handling allocates about as much per byte at
// both sizes. (Joining the text of nested terms at every level made a
// 128 KB story of nested root() allocate 1.5 GB.)
func TestInputHandlingAllocatesLinearly(t *testing.T) {
	opt := Options{Limits: Limits{ExprDepth: 1 << 20}}
	for _, shape := range inputShapes {
		t.Run(shape.name, func(t *testing.T) {
			small, large := allocPerByte(t, shape.make(16<<10), opt), allocPerByte(t, shape.make(256<<10), opt)
			if large > 2*small+64 {
				t.Errorf("%.0f bytes allocated per input byte at 256 KB, %.0f at 16 KB: more than linear", large, small)
			}
		})
	}
}

// allocPerByte returns the bytes allocated parsing and executing src,
// per byte of src.
func allocPerByte(t *testing.T, src []byte, opt Options) float64 {
	t.Helper()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	s, err := ParseWith("story.yaml", src, opt)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Execute(s); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	return float64(after.TotalAlloc-before.TotalAlloc) / float64(len(src))
}

// TestExprDepthLimit: an expectation nesting deeper than the limit is
// refused where the first term too deep starts, with a hint; one at the
// limit parses; raising the limit lets a deeper one through.
func TestExprDepthLimit(t *testing.T) {
	nest := func(n int) string {
		return strings.Repeat("root(", n) + "av(P:heap)" + strings.Repeat(")", n) + " == NULL"
	}
	story := func(n int) []byte {
		return []byte("title: T\nkernel: 2.6.36\nsteps:\n  - do: [spawn P, mmap P heap 1, write P:heap:0]\n    expect:\n      - " + nest(n) + "\n")
	}
	limit := DefaultLimits().ExprDepth
	// root( nested limit-1 times, and the av() inside them: limit deep.
	if _, err := Parse("s.yaml", story(limit-1)); err != nil {
		t.Errorf("an expectation %d deep: %v", limit, err)
	}
	_, err := Parse("s.yaml", story(limit))
	want := fmt.Sprintf("s.yaml:6:%d", 9+5*limit) + ": an expectation may nest terms at most 100 deep; this one nests deeper here (no expectation needs"
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("an expectation %d deep: got %v, want %s…", limit+1, err, want)
	}
	if _, err := ParseWith("s.yaml", story(5000), Options{Limits: Limits{ExprDepth: 5001}}); err != nil {
		t.Errorf("5001 deep with the limit raised to 5001: %v", err)
	}
	if _, err := ParseWith("s.yaml", story(5000), Options{Limits: Limits{ExprDepth: 5000}}); err == nil {
		t.Errorf("5001 deep with the limit at 5000: no error")
	}
}

// TestTextPosCursor: positions asked for in any order, over multi-byte
// runes, are those counted from the start of the text.
func TestTextPosCursor(t *testing.T) {
	text := "aé€𝄞b c é"
	start := Pos{File: "f", Line: 3, Col: 7}
	tp := textPos{start: start, text: text, exact: true, cur: &runeCursor{}}
	fresh := textPos{start: start, text: text, exact: true}
	var offs []int
	for i := range text {
		offs = append(offs, i)
	}
	offs = append(offs, len(text), len(text)+5)
	r := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		off := offs[r.IntN(len(offs))]
		if got, want := tp.at(off), fresh.at(off); got != want {
			t.Fatalf("at(%d) = %v, want %v", off, got, want)
		}
	}
}

// TestSourceCursor: the text of the file from a position is the same
// whether the positions of a line are asked for in order, out of order,
// or on other lines in between.
func TestSourceCursor(t *testing.T) {
	p := &parser{file: "f", lines: []string{"a: [é, b, 𝄞]", "", "xyz"}}
	for _, tt := range []struct {
		line, col int
		want      string
	}{
		{1, 1, "a: [é, b, 𝄞]"}, {1, 5, "é, b, 𝄞]"}, {1, 8, "b, 𝄞]"}, {1, 6, ", b, 𝄞]"},
		{3, 2, "yz"}, {1, 11, "𝄞]"}, {1, 99, ""}, {2, 1, ""}, {3, 4, ""}, {0, 1, ""}, {4, 1, ""},
	} {
		if got := p.source(Pos{Line: tt.line, Col: tt.col}); got != tt.want {
			t.Errorf("source(%d:%d) = %q, want %q", tt.line, tt.col, got, tt.want)
		}
	}
}

// TestEditDistanceWithin agrees with the whole Levenshtein table when the
// distance is within the limit, and says limit+1 when it is not.
func TestEditDistanceWithin(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	word := func() string {
		b := make([]byte, r.IntN(9))
		for i := range b {
			b[i] = "abc"[r.IntN(3)]
		}
		return string(b)
	}
	for range 5000 {
		a, b, limit := word(), word(), r.IntN(5)
		want := min(levenshtein(a, b), limit+1)
		if got := editDistanceWithin(a, b, limit); got != want {
			t.Fatalf("editDistanceWithin(%q, %q, %d) = %d, want %d", a, b, limit, got, want)
		}
	}
	// Past the rows kept on the stack (32), and a megabyte.
	for _, n := range []int{30, 31, 32, 33, 100, 1 << 20} {
		a := strings.Repeat("ab", n/2) + strings.Repeat("c", n%2)
		b := a[:n-1] + "x"
		if got := editDistanceWithin(a, b, 3); got != 1 {
			t.Errorf("%d-byte words one edit apart: distance %d", n, got)
		}
		if got := editDistanceWithin(a, b+"yyy", 3); got != 4 {
			t.Errorf("%d-byte words four edits apart, limit 3: %d, want 4", n, got)
		}
	}
	if got := editDistanceWithin("abc", "abd", -1); got != 0 {
		t.Errorf("a negative limit gave %d, want 0 (nothing is within it)", got)
	}
}

// levenshtein is the plain table, for TestEditDistanceWithin.
func levenshtein(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
		}
	}
	return d[len(a)][len(b)]
}
