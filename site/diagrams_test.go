package site

import (
	"bytes"
	"strings"
	"testing"
)

// TestDiagramsAreBuildsFiles: Diagrams gives exactly the .svg files Build
// makes for each story, path and content, so that a build may write them
// early.
func TestDiagramsAreBuildsFiles(t *testing.T) {
	s := sampleSite()
	files, err := Build(s)
	if err != nil {
		t.Fatal(err)
	}
	built := map[string][]byte{}
	for _, f := range files {
		if strings.HasSuffix(f.Path, ".svg") {
			built[f.Path] = f.Data
		}
	}
	early := map[string][]byte{}
	for _, st := range s.Stories {
		for _, f := range Diagrams(st) {
			early[f.Path] = f.Data
		}
	}
	if len(built) == 0 {
		t.Fatal("the sample site has no diagrams to compare")
	}
	for p, d := range built {
		if e, ok := early[p]; !ok || !bytes.Equal(e, d) {
			t.Errorf("Build makes %s, which Diagrams does not give as it is", p)
		}
	}
	for p := range early {
		if _, ok := built[p]; !ok {
			t.Errorf("Diagrams gives %s, which Build does not make", p)
		}
	}
}
