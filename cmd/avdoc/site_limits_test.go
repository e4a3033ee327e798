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
	ls.SiteLimits.Page = 40_000
	ls.Rebuild(t.Context())
	snap, _ := ls.Current()
	if _, ok := snap.Files["long/index.html"]; ok {
		t.Error("the page past --max-page-bytes is served")
	}
	if _, ok := snap.Files["short/index.html"]; !ok {
		t.Error("the page within the limit is not served")
	}
	if !strings.Contains(strings.Join(snap.Problems, "\n"), "long.yaml: its page, with its diagrams, is") ||
		!strings.Contains(strings.Join(snap.Problems, "\n"), "--max-page-bytes N") {
		t.Errorf("problems %q do not say the page is too heavy", snap.Problems)
	}

	big := newLiveSite([]string{dir}, story.DefaultLimits(), io.Discard)
	t.Cleanup(func() { big.Close() })
	big.SiteLimits.Site = 50_000
	big.Rebuild(t.Context())
	snap, _ = big.Current()
	if len(snap.Files) != 0 || !strings.Contains(strings.Join(snap.Problems, "\n"), "--max-site-bytes N") {
		t.Errorf("a site past --max-site-bytes: %d files served, problems %q", len(snap.Files), snap.Problems)
	}
}
