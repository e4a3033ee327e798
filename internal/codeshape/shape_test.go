package codeshape

import (
	"slices"
	"strings"
	"testing"
)

// maxLines is the longest a function may be (the developers' guide).
const maxLines = 60

// dataTables are the functions allowed past maxLines: tables of data
// written as code.
func dataTables() []string {
	return []string{"site.glossaryTerms"}
}

// TestFunctionsAreShort: no function of avdoc's is longer than 60 lines
// but the data tables, and the median length is at most 15.
func TestFunctionsAreShort(t *testing.T) {
	var all []Func
	for _, p := range packages(t) {
		fs, err := Funcs(p.dir)
		if err != nil {
			t.Fatal(err)
		}
		name := p.path[strings.LastIndex(p.path, "/")+1:]
		for _, f := range fs {
			if f.Lines > maxLines && !slices.Contains(dataTables(), name+"."+f.Name) {
				t.Errorf("%s: %s is %d lines; at most %d (split it, or list it in dataTables if it is a table)", strings.TrimPrefix(p.path, module+"/")+"/"+f.Pos, f.Name, f.Lines, maxLines)
			}
		}
		all = append(all, fs...)
	}
	if m := Median(all); m > 15 {
		t.Errorf("the median function is %d lines; at most 15", m)
	}
}

// TestCLIOnlyWires: cmd/avdoc's top level, the flags and the wiring, stays
// under 2,000 lines; what is not wiring belongs in a package.
func TestCLIOnlyWires(t *testing.T) {
	for _, p := range packages(t) {
		if p.path == module+"/cmd/avdoc" && p.lines > 2000 {
			t.Errorf("cmd/avdoc has %d lines at its top level; at most 2000: move what is not flags, files, processes, signals or HTTP into a package", p.lines)
		}
	}
}

// TestMedian: the median of lengths, and of none.
func TestMedian(t *testing.T) {
	fs := func(n ...int) []Func {
		var out []Func
		for _, l := range n {
			out = append(out, Func{Lines: l})
		}
		return out
	}
	for _, tt := range []struct {
		in   []Func
		want int
	}{{nil, 0}, {fs(3), 3}, {fs(9, 1, 5), 5}, {fs(4, 1, 100, 2), 2}} {
		if got := Median(tt.in); got != tt.want {
			t.Errorf("Median(%v) = %d, want %d", tt.in, got, tt.want)
		}
	}
}
