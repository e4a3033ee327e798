package illustrate

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/avdoc/avdoc/site"
	"github.com/avdoc/avdoc/story"
)

// TestPathPagesDrawn: Drawn hears of every story drawn, once, named as
// Slugs names it (two files of one name get two slugs), and of no file
// that failed; the story with the most work is drawn first, whatever
// its place; the pages come back in the order given.
func TestPathPagesDrawn(t *testing.T) {
	dir := t.TempDir()
	write := func(rel, src string) string {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	small := "title: small\nkernel: 2.6.34\nsteps:\n  - do: [spawn P, mmap P heap 1]\n"
	files := []string{
		write("a/x.yaml", small),
		write("bad.yaml", "title: [\n"),
		write("b/x.yaml", small),
		write("big.yaml", "title: big\nkernel: 2.6.34\nsteps:\n  - do: [spawn P, mmap P heap 1, fork P C1..C20]\n"),
	}
	var mu sync.Mutex
	var drawn []site.Story
	il := &Illustrator{Limits: story.DefaultLimits(), Graphviz: newGraphviz(t), Printer: namePrinter{}, Read: readFile, Jobs: 1,
		Drawn: func(s site.Story) {
			mu.Lock()
			defer mu.Unlock()
			drawn = append(drawn, s)
		}}
	pages := il.PathPages(context.Background(), files, func(p string) ([]string, error) { return []string{p}, nil })
	for i, p := range pages {
		if p.File != files[i] {
			t.Fatalf("page %d is %s, want %s", i, p.File, files[i])
		}
	}
	if pages[1].Err == nil {
		t.Fatalf("bad.yaml parsed")
	}
	var got, want []string
	for _, s := range drawn {
		got = append(got, s.Slug+":"+s.Title)
	}
	for i, s := range Slugs(pages) {
		if pages[i].Err == nil {
			want = append(want, s.Slug+":"+s.Title)
		}
	}
	if len(got) == 0 || got[0] != "big:big" {
		t.Errorf("drawn first: %v, want big:big (the most work)", got)
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("Drawn heard of %v, want %v", got, want)
	}
	for _, s := range drawn {
		if len(site.Diagrams(s)) == 0 {
			t.Errorf("%s came to Drawn without its diagrams", s.Slug)
		}
	}
}
