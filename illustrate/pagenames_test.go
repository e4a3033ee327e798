package illustrate

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/avdoc/avdoc/story"
)

// TestLogNamesPages: a step's kernel log on the site names each page as
// the step's diagram does, and a page the step freed as it was.
func TestLogNamesPages(t *testing.T) {
	file := filepath.Join(t.TempDir(), "cow.yaml")
	src := "title: COW\nkernel: 2.6.34\nsteps:\n  - do: [spawn P, mmap P heap 1, write P:heap:0, fork P C]\n" +
		"  - do: write C:heap:0\n  - do: exit C\n"
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	il := &Illustrator{Limits: story.DefaultLimits(), Graphviz: newGraphviz(t), Printer: namePrinter{}, Read: readFile}
	p := il.Page(context.Background(), file)
	if p.Err != nil {
		t.Fatal(p.Err)
	}
	for _, tc := range []struct {
		step int
		want []string
	}{
		{2, []string{"write to C:heap:0 breaks COW of page 1 (P:heap:0): new page 2 (C:heap:0), index 0x100",
			"page 2 (C:heap:0)->mapping := anon_vma C:heap"}},
		{3, []string{"unmapped page 2 (was C:heap:0) at C:heap:0"}},
	} {
		log := strings.Join(p.Story.Steps[tc.step-1].Frames[0].Log, "\n")
		for _, w := range tc.want {
			if !strings.Contains(log, w) {
				t.Errorf("step %d: log lacks %q:\n%s", tc.step, w, log)
			}
		}
	}
}
