package illustrate

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
)

// TestReadmeGraphvizWork holds the README's count of the Graphviz work
// a build of the shipped stories does to what drawing them does: how
// many scenes dot lays out, in how many of them a look is left to
// Graphviz's nop2, and that no look is left to Graphviz to measure.
func TestReadmeGraphvizWork(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?s)dot, (\d+) layouts over the shipped\s+stories.*?nop2, in (\d+) of the (\d+) scenes`).FindSubmatch(readme)
	if m == nil {
		t.Fatal("the README's Performance section no longer says how many layouts and scenes a build has Graphviz do")
	}
	files, err := filepath.Glob("../stories/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no stories: %v", err)
	}
	rec := &recorder{g: newGraphviz(t)}
	scenes := map[*placing]bool{}
	for _, f := range files {
		d, err := Draw(context.Background(), rec, load(t, f), SiteStyle())
		if err != nil {
			t.Fatal(err)
		}
		for _, run := range d.places {
			for _, p := range run {
				scenes[p] = true
			}
		}
	}
	if n := len(rec.graphs["sizes"]); n > 0 && regexp.MustCompile(`asks Graphviz for no\s+measure at all`).Match(readme) {
		t.Errorf("the README says a build asks Graphviz for no measure; drawing the shipped stories asks %d times", n)
	}
	got := []int{len(rec.graphs["layouts"]), len(rec.graphs["pieces"]), len(scenes)}
	for i, name := range []string{"layouts", "scenes left to nop2", "scenes"} {
		if want, _ := strconv.Atoi(string(m[i+1])); got[i] != want {
			t.Errorf("the README says %d %s; drawing the shipped stories makes %d", want, name, got[i])
		}
	}
}
