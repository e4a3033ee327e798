package codeshape

import (
	"slices"
	"testing"
)

// TestFuncsAndImports: lengths run from the func keyword to the closing
// brace, methods are named by their type, test files are left out.
func TestFuncsAndImports(t *testing.T) {
	fs, err := Funcs("testdata/sample")
	if err != nil {
		t.Fatal(err)
	}
	want := []Func{{Pos: "sample.go:10", Name: "short", Lines: 1}, {Pos: "sample.go:12", Name: "T.three", Lines: 3}}
	if !slices.Equal(fs, want) {
		t.Errorf("Funcs = %+v, want %+v", fs, want)
	}
	imps, err := Imports("testdata/sample")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(imps, []string{"fmt", "os"}) {
		t.Errorf("Imports = %v, want [fmt os]", imps)
	}
}
