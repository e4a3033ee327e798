package illustrate

import (
	"context"
	"testing"

	"github.com/avdoc/avdoc/internal/golden"
)

// TestPrintersGolden pins one small frame in every format a figure is
// printed in (go test ./illustrate -run PrintersGolden -update rewrites
// them; look at each before committing).
func TestPrintersGolden(t *testing.T) {
	ctx, g := context.Background(), newGraphviz(t)
	d, err := Draw(ctx, g, load(t, "../stories/01-one-process.yaml"), Style{})
	if err != nil {
		t.Fatal(err)
	}
	f := d.Frame(0, 1)
	for _, c := range []struct {
		name string
		p    Printer
	}{
		{"svg", SVG{}},
		{"pdf", PDF{}},
		{"png", PNG{Scale: 1}},
		{"dot", DOT{}},
	} {
		out, err := c.p.Print(ctx, f)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		golden.Check(t, "testdata/golden/01-step2."+c.name, out)
	}
}
