package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/avdoc/avdoc/live/livestory"
)

const liveStory = `title: "Fork, live"
kernels: [6.18, live]
steps:
  - do: [spawn P, mmap P heap 2, write P:heap]
  - do: fork P C
    expect:
      - chain(C:heap:0) == [av(C:heap), av(P:heap)]
      - mapcount(P:heap:0) == 2
`

// TestBuildReusesALiveRun: a second build of a story that runs the live
// kernel takes it from the cache, without running it again, keyed on
// the running kernel's release; once the story has a recording, the
// build replays that (a new key) and caches it in turn. Each build is
// the site the build without a cache makes.
func TestBuildReusesALiveRun(t *testing.T) {
	dir := storyDir(t, map[string]string{"live.yaml": liveStory})
	cacheDir := t.TempDir()
	for _, st := range []struct {
		name   string
		before func()
		hits   int64
	}{
		{"first build", func() {}, 0},
		{"again", func() {}, 1},
		{"recorded", func() { recordStories(t, dir) }, 0},
		{"recorded, again", func() {}, 1},
	} {
		st.before()
		want, err := buildSite(t.Context(), []string{dir}, nil, 1)
		if livestory.Unavailable(err) && os.Getenv("CI") != "true" {
			t.Skip(err)
		}
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		s := openStore(cacheDir, func(string) string { return "" }, io.Discard)
		got, err := buildSite(t.Context(), []string{dir}, s, 1)
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		sameSite(t, st.name, got, want)
		if hits, misses := s.Stats.StoryHits.Load(), s.Stats.StoryMisses.Load(); hits != st.hits || hits+misses != 1 {
			t.Errorf("%s: %d from the cache, %d run; want %d from the cache", st.name, hits, misses, st.hits)
		}
	}
}

// recordStories runs avdoc live --record on dir.
func recordStories(t *testing.T, dir string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if code := run([]string{"live", "--record", dir}, &stdout, &stderr); code != exitOK {
		t.Fatalf("avdoc live --record: exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "live.live.json")); err != nil {
		t.Fatal(err)
	}
}

// TestLiveRecordRefuses: avdoc live --record's bad input.
func TestLiveRecordRefuses(t *testing.T) {
	for _, tt := range []struct {
		args   []string
		stderr string
	}{
		{[]string{"--record", "../../stories/02-fork.yaml"}, "02-fork.yaml: the story does not run the live kernel"},
		{[]string{"--record", "--swap", "zram", "../../stories/27-live-fork.yaml"}, "--record takes no other flag"},
		{[]string{"--record", "--seed", "3", "../../stories/27-live-fork.yaml"}, "--record takes no other flag"},
		{[]string{"--record", "../../stories/26-madvise.yaml"}, "26-madvise.yaml: the story does not run the live kernel"},
	} {
		var stdout, stderr bytes.Buffer
		code := run(append([]string{"live"}, tt.args...), &stdout, &stderr)
		if code != exitInput || !strings.Contains(stderr.String(), tt.stderr) {
			t.Errorf("avdoc live %q: exit %d, want %d and %q\nstderr: %s", tt.args, code, exitInput, tt.stderr, stderr.String())
		}
	}
}
