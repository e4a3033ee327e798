// Package codeshape measures the shape of avdoc's own code, for the tests
// that keep it in line with the developers' guide: how long its functions
// are, and which of avdoc's packages each package imports.
package codeshape

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// Func is one function or method of a package, and its length in lines
// from its func keyword to its closing brace.
type Func struct {
	Pos   string // file:line
	Name  string // "f", or "T.m" for a method
	Lines int
}

// Funcs returns every function of the package in dir, test files left out.
func Funcs(dir string) ([]Func, error) {
	fset := token.NewFileSet()
	files, err := sources(fset, dir, 0)
	if err != nil {
		return nil, err
	}
	var out []Func
	for _, f := range files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			start, end := fset.Position(fd.Pos()), fset.Position(fd.End())
			out = append(out, Func{Pos: fmt.Sprintf("%s:%d", filepath.Base(start.Filename), start.Line),
				Name: funcName(fd), Lines: end.Line - start.Line + 1})
		}
	}
	return out, nil
}

func funcName(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return fd.Name.Name
	}
	t := fd.Recv.List[0].Type
	if s, ok := t.(*ast.StarExpr); ok {
		t = s.X
	}
	if ix, ok := t.(*ast.IndexExpr); ok {
		t = ix.X
	}
	if id, ok := t.(*ast.Ident); ok {
		return id.Name + "." + fd.Name.Name
	}
	return fd.Name.Name
}

// Median is the median length of fs (the lower middle of an even count);
// 0 for none.
func Median(fs []Func) int {
	if len(fs) == 0 {
		return 0
	}
	n := make([]int, len(fs))
	for i, f := range fs {
		n[i] = f.Lines
	}
	slices.Sort(n)
	return n[(len(n)-1)/2]
}

// Imports returns the import paths that the package in dir imports, test
// files left out, sorted.
func Imports(dir string) ([]string, error) {
	files, err := sources(token.NewFileSet(), dir, parser.ImportsOnly)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, f := range files {
		for _, imp := range f.Imports {
			p, err := strconv.Unquote(imp.Path.Value)
			if err != nil {
				return nil, err
			}
			if !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	slices.Sort(out)
	return out, nil
}

// sources parses the package's non-test Go files in dir, in name order.
func sources(fset *token.FileSet, dir string, mode parser.Mode) ([]*ast.File, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []*ast.File
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, mode)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}
