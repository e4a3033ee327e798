package sitedir

import (
	"os"
	"path/filepath"
	"testing"
)

// TestRemoveOwn: removing a directory avdoc made leaves nothing, and a
// removal cut short (here: the mark and one file left, as a kill -9
// between two unlinks would) is finished by the next build's RemoveStale,
// and so is a staging directory whose build was killed writing its mark.
func TestRemoveOwn(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, StagingPrefix+"x")
	for _, f := range []string{"a/index.html", "b.css", StagingMarker} {
		p := filepath.Join(dir, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(StagingMarkerText), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	half := filepath.Join(parent, StagingPrefix+"half")
	if err := os.MkdirAll(filepath.Join(half, "a"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(half, StagingMarker), []byte(StagingMarkerText), 0o644); err != nil {
		t.Fatal(err)
	}
	marking := filepath.Join(parent, StagingPrefix+"marking") // killed while it wrote its mark
	if err := os.MkdirAll(marking, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(marking, markTemp), []byte("av"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := removeOwn(dir); err != nil {
		t.Fatal(err)
	}
	RemoveStale(parent)
	if left, _ := os.ReadDir(parent); len(left) != 0 {
		t.Errorf("left: %v", left)
	}
}
