package main

import (
	"io"
	"strings"
	"testing"

	"github.com/avdoc/avdoc/story"
)

// TestServeBoundsSite: serve, which keeps the site in memory, serves no
// page past --max-page-bytes and no site past --max-site-bytes: it lists
// the problem, naming the flag, and serves the rest.
func TestServeBoundsSite(t *testing.T) {
	long := smallStory("Long", "") + "    say: " + strings.Repeat("a long narration ", 2000) + "\n"
	dir := storyDir(t, map[string]string{"long.yaml": long, "short.yaml": smallStory("Short", "")})
	ls := newLiveSite([]string{dir}, story.DefaultLimits(), io.Discard)
	t.Cleanup(func() { ls.Close() })
	ls.siteLimits.Page = 40_000
	ls.rebuild(t.Context())
	snap, _ := ls.current()
	if _, ok := snap.files["long/index.html"]; ok {
		t.Error("the page past --max-page-bytes is served")
	}
	if _, ok := snap.files["short/index.html"]; !ok {
		t.Error("the page within the limit is not served")
	}
	if !strings.Contains(strings.Join(snap.problems, "\n"), "long.yaml: its page, with its diagrams, is") ||
		!strings.Contains(strings.Join(snap.problems, "\n"), "--max-page-bytes N") {
		t.Errorf("problems %q do not say the page is too heavy", snap.problems)
	}

	big := newLiveSite([]string{dir}, story.DefaultLimits(), io.Discard)
	t.Cleanup(func() { big.Close() })
	big.siteLimits.Site = 50_000
	big.rebuild(t.Context())
	snap, _ = big.current()
	if len(snap.files) != 0 || !strings.Contains(strings.Join(snap.problems, "\n"), "--max-site-bytes N") {
		t.Errorf("a site past --max-site-bytes: %d files served, problems %q", len(snap.files), snap.problems)
	}
}
