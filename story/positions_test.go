package story

import (
	"errors"
	"strings"
	"testing"
)

// TestErrorPositions checks that errors inside a scalar point at the
// exact character, whatever the scalar's style.
func TestErrorPositions(t *testing.T) {
	const head = "title: T\nkernel: 2.6.34\nsteps:\n"
	tests := []struct {
		name     string
		steps    string
		line     int
		col      int
		contains string
		index    int // which error, when there are several
		n        int // how many errors
	}{
		{"flow list", "  - do: [spawn P, frok P C]\n", 4, 19, `unknown event "frok"`, 0, 1},
		{"flow list, second word", "  - do: [spawn P, fork P 9]\n", 4, 26, `"9" is not a valid name`, 0, 1},
		{"flow list, extra blanks", "  - do: [  spawn P ,   frok P C ]\n", 4, 24, `unknown event "frok"`, 0, 1},
		{"double-quoted", "  - do: \"frok P C\"\n", 4, 10, `unknown event "frok"`, 0, 1},
		{"single-quoted", "  - do: 'spawn P Q'\n", 4, 18, "spawn takes 1 argument, found 2", 0, 1},
		{"quoted in flow list", "  - do: [spawn P, \"fork P C\", 'wirte P:heap:0']\n", 4, 32, `unknown event "wirte"`, 0, 1},
		{"plain", "  - do: spawn P\n  - do: fork P  C1..D2\n", 5, 17, `"C1..D2" is not a name range`, 0, 1},
		{"block list", "  - do:\n      - spawn P\n      - mmap P heap two\n", 6, 21, `expected a number of pages`, 0, 1},
		{"block list, range index", "  - do:\n      - spawn P\n      - write P:heap:0..x\n", 6, 22, "expected a page index", 0, 1},
		{"range region", "  - do:\n      - spawn P\n      - write P:9heap:0\n", 6, 17, `"9heap" is not a valid name`, 0, 1},
		{"folded block scalar", "  - do: >-\n       frok P C\n", 5, 8, `unknown event "frok"`, 0, 1},
		{"literal block scalar", "  - do: |\n      spawn P 1\n", 5, 15, "spawn takes 1 argument", 0, 1},
		{"escape in double quotes: the start", "  - do: \"fork\\x20P Q R\"\n", 4, 10, "fork takes 2 arguments", 0, 1},
		{"after a non-ASCII character", "  - do: [spawn P, fork É Q..R]\n", 4, 26, `"Q..R" is not a name range`, 1, 2},
		{"expectation in flow list", "  - do: spawn P\n    expect: [mappin(P:heap:0) == NULL]\n", 5, 14, `unknown function "mappin"`, 0, 1},
		{"expectation, quoted", "  - do: spawn P\n    expect:\n      - \"count(avcs) == 1\"\n", 6, 16, `not "avcs"`, 0, 1},
		{"expectation, block list", "  - do: spawn P\n    expect:\n      - chain(P:heap:0) == [av(P:heap), av(P)]\n", 6, 45, `expected ":"`, 0, 1},
		{"expectation, end of text", "  - do: spawn P\n    expect:\n      - count(avc) ==   # comment\n", 6, 22, "expected a term, found the end", 0, 1},
		{"expect map key", "  - do: spawn P\n    expect:\n      2.6.3: [clean]\n", 6, 7, "does not run kernel 2.6.3", 0, 1},
		{"CRLF line ends", "  - do: spawn P\r\n  - do: frok P C\r\n", 5, 9, `unknown event "frok"`, 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("s.yaml", []byte(head+tt.steps))
			var list ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("Parse returned %v, want an ErrorList", err)
			}
			if len(list) != tt.n {
				t.Fatalf("got %d errors, want %d:\n%v", len(list), tt.n, err)
			}
			e := list[tt.index]
			if e.Pos.Line != tt.line || e.Pos.Col != tt.col || !strings.Contains(e.Error(), tt.contains) {
				t.Errorf("got %v\nwant s.yaml:%d:%d: …%s…", e, tt.line, tt.col, tt.contains)
			}
		})
	}
}

// TestYAMLErrorPositions checks the lines of YAML syntax errors, which
// yaml.v3 reports without a column and, for some, on the wrong line.
func TestYAMLErrorPositions(t *testing.T) {
	tests := []struct {
		name      string
		src       string
		line, col int
	}{
		{"unclosed flow list", "title: T\nkernel: 2.6.34\nsteps:\n  - do: [spawn P\n", 4, 9},
		{"misindented key", "title: T\nkernel: 2.6.34\nsteps:\n  - do: spawn P\n  - do: exit P\n   say: x\n", 6, 4},
		{"key outdented", "title: T\nsteps:\n  - do: spawn P\n say: x\n", 4, 2},
		{"tab before a list item", "title: T\nsteps:\n\t- do: x\n", 3, 1},
		{"tab after spaces", "title: T\nsteps:\n  - do: x\n  \tsay: y\n", 4, 3},
		{"mapping value in plain scalar", "title: a: b\n", 1, 1},
		{"unclosed quote", "title: T\nsay: 'abc\n", 2, 6},
		{"list after a mapping", "title: T\n- x\n", 2, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("s.yaml", []byte(tt.src))
			var list ErrorList
			if !errors.As(err, &list) || len(list) != 1 {
				t.Fatalf("Parse returned %v, want one error", err)
			}
			if p := list[0].Pos; p.Line != tt.line || p.Col != tt.col {
				t.Errorf("got %v, want s.yaml:%d:%d", list[0], tt.line, tt.col)
			}
		})
	}
}
