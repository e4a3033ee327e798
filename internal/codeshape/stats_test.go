package codeshape

import "testing"

// TestStats prints, with -v, each package's lines, function count,
// median and longest function: `go test ./internal/codeshape -run Stats -v`.
func TestStats(t *testing.T) {
	var all []Func
	for _, pkg := range packages(t) {
		fs, err := Funcs(pkg.dir)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, fs...)
		longest := Func{}
		over := 0
		for _, f := range fs {
			if f.Lines > longest.Lines {
				longest = f
			}
			if f.Lines > 60 {
				over++
			}
		}
		t.Logf("%-28s lines %5d  funcs %4d  median %2d  over60 %2d  longest %3d %s (%s)",
			pkg.path, pkg.lines, len(fs), Median(fs), over, longest.Lines, longest.Name, longest.Pos)
	}
	t.Logf("all packages: %d functions, median %d lines", len(all), Median(all))
}
