package site

import (
	"strings"
	"testing"
)

// TestNewLayoutNote says, in the first step of a new scene and in no
// other, that its diagrams are laid out afresh, so that a reader is not
// surprised that objects moved.
func TestNewLayoutNote(t *testing.T) {
	s := sampleSite()
	st := &s.Stories[len(s.Stories)-1]
	if len(st.Steps) < 3 {
		t.Fatalf("the sample story has %d steps, want 3 or more", len(st.Steps))
	}
	st.Steps[2].NewLayout = true
	page := string(fileMap(mustBuild(t, s))[st.Slug+"/index.html"])
	const note = `<p class="scene-note">New layout from this step`
	for i := range st.Steps {
		id := `id="step-` + string(rune('1'+i)) + `"`
		start := strings.Index(page, id)
		if start < 0 {
			t.Fatalf("no section %s in %s's page", id, st.Slug)
		}
		section := page[start:]
		if end := strings.Index(section, "</section>"); end >= 0 {
			section = section[:end]
		}
		if got, want := strings.Contains(section, note), i == 2; got != want {
			t.Errorf("step %d says it starts a new layout: %v, want %v", i+1, got, want)
		}
	}
}
