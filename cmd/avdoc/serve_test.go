package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/avdoc/avdoc/cmd/avdoc/internal/livesite"
	"github.com/avdoc/avdoc/cmd/avdoc/internal/storyfile"
	"github.com/avdoc/avdoc/story"
)

// smallStory is a story of two steps titled title; extra goes into its
// second step's expectations.
func smallStory(title, extra string) string {
	return fmt.Sprintf(`title: %q
kernel: 2.6.34
steps:
  - do: [spawn P, mmap P heap 2, write P:heap]
    expect: [clean]
  - do: fork P C
    expect:
      - walk(P:heap:0) == [P, C]
%s`, title, extra)
}

// storyDir writes stories named by file into a new directory.
func storyDir(t *testing.T, stories map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range stories {
		mustWrite(t, filepath.Join(dir, name), src)
	}
	return dir
}

// edit rewrites a story file and gives it a modification time of its
// own, so that the change shows however coarse the file system's clock.
func edit(t *testing.T, file, src string, n int) {
	t.Helper()
	mustWrite(t, file, src)
	when := time.Date(2030, 1, 1, 0, 0, n, 0, time.UTC)
	if err := os.Chtimes(file, when, when); err != nil {
		t.Fatal(err)
	}
}

// countingSite is a liveSite over dir that counts the story files it
// loads.
func countingSite(t *testing.T, dir string) (*liveSite, *[]string) {
	t.Helper()
	ls := newLiveSite([]string{dir}, story.DefaultLimits(), io.Discard)
	t.Cleanup(func() { ls.Close() })
	var loads []string
	ls.Read = func(file string, limit int64) ([]byte, error) {
		loads = append(loads, filepath.Base(file))
		return storyfile.Read(file, limit)
	}
	return ls, &loads
}

func TestSitePath(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"/", "", true},
		{"/index.html", "index.html", true},
		{"/fork/", "fork/", true},
		{"/fork/step-1-2.6.34.svg", "fork/step-1-2.6.34.svg", true},
		{"/..", "", false},
		{"/../etc/passwd", "", false},
		{"/fork/../../etc/passwd", "", false},
		{"/fork/./index.html", "", false},
		{"//etc/passwd", "", false},
		{"/fork//index.html", "", false},
		{`/..\..\etc\passwd`, "", false},
		{"/fork\x00.html", "", false},
		{"relative", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := sitePath(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("sitePath(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// TestServeRequests serves a site of two stories, and a file beside them
// that is no story, and asks for pages, for serve's own files and for
// what must never be served.
func TestServeRequests(t *testing.T) {
	dir := storyDir(t, map[string]string{"fork.yaml": smallStory("Fork", ""), "one.yaml": smallStory("One", "")})
	mustWrite(t, filepath.Join(filepath.Dir(dir), "secret.txt"), "secret\n")
	if err := os.Symlink(filepath.Join(filepath.Dir(dir), "secret.txt"), filepath.Join(dir, "secret.txt")); err != nil {
		t.Fatal(err)
	}
	ls := newLiveSite([]string{dir}, story.DefaultLimits(), io.Discard)
	t.Cleanup(func() { ls.Close() })
	ls.Rebuild(t.Context())
	tests := []struct {
		method, target string
		code           int
		ctype, body    string
	}{
		{"GET", "/", 200, "text/html", `href="fork/index.html"`},
		{"GET", "/index.html", 200, "text/html", `src="/_avdoc/reload.js"`},
		{"GET", "/fork/", 200, "text/html", `id="step-2"`},
		{"GET", "/fork", 301, "", ""},
		{"HEAD", "/fork/", 200, "text/html", ""},
		{"GET", "/style.css", 200, "text/css", ""},
		{"GET", "/fork/step-2-2.6.34.svg", 200, "image/svg+xml", "<svg"},
		{"GET", "/_avdoc/reload.js", 200, "text/javascript", "EventSource"},
		{"GET", "/_avdoc/serve.css", 200, "text/css", "avdoc-serve-problems"},
		{"GET", "/nope/", 404, "text/html", "not in the site"},
		{"GET", "/secret.txt", 404, "text/html", ""},
		{"GET", "/../secret.txt", 400, "", ""},
		{"GET", "/%2e%2e/secret.txt", 400, "", ""},
		{"GET", "/fork/%2e%2e/%2E%2E/secret.txt", 400, "", ""},
		{"GET", "/fork/..%2f..%2fsecret.txt", 400, "", ""},
		{"GET", "/%2fetc/passwd", 400, "", ""},
		{"GET", "/fork%5c..%5c..%5csecret.txt", 400, "", ""},
		{"POST", "/", 405, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.target, func(t *testing.T) {
			rec := httptest.NewRecorder()
			ls.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.target, nil))
			body := rec.Body.String()
			if rec.Code != tt.code || !strings.HasPrefix(rec.Header().Get("Content-Type"), tt.ctype) || !strings.Contains(body, tt.body) {
				t.Errorf("%d %q, %d bytes; want %d %q with %q", rec.Code, rec.Header().Get("Content-Type"), len(body), tt.code, tt.ctype, tt.body)
			}
			if strings.Contains(body, "secret\n") {
				t.Error("served a file outside the site")
			}
		})
	}
}

// TestServeIsBuild checks that serve shows the files `avdoc build` writes,
// plus, in pages only, its banner and script.
func TestServeIsBuild(t *testing.T) {
	dir := storyDir(t, map[string]string{"fork.yaml": smallStory("Fork", ""), "one.yaml": smallStory("One", "")})
	ls := newLiveSite([]string{dir}, story.DefaultLimits(), io.Discard)
	t.Cleanup(func() { ls.Close() })
	ls.Rebuild(t.Context())
	files, err := buildSite(t.Context(), []string{dir}, nil, 2)
	if err != nil {
		t.Fatal(err)
	}
	snap, _ := ls.Current()
	if len(snap.Files) != len(files) {
		t.Errorf("serve has %d files, build %d", len(snap.Files), len(files))
	}
	for _, f := range files {
		if !bytes.Equal(snap.Files[f.Path], f.Data) {
			t.Errorf("%s differs between serve and build", f.Path)
		}
		if bytes.Contains(f.Data, []byte(serveRoot)) {
			t.Errorf("%s holds serve's parts", f.Path)
		}
	}
}

// TestServeRebuildsWhatChanged edits, breaks, fixes, removes and adds
// stories, and checks after each rebuild which stories were read again,
// what the site shows and which problems it lists.
func TestServeRebuildsWhatChanged(t *testing.T) {
	dir := storyDir(t, map[string]string{"a.yaml": smallStory("Story A", ""), "b.yaml": smallStory("Story B", ""), "c.yaml": smallStory("Story C", "")})
	ls, loads := countingSite(t, dir)
	steps := []struct {
		name     string
		change   func()
		loads    []string
		pages    []string // story pages the site has
		has      map[string]string
		problems []string // what the problems hold, in order
	}{
		{"first build", func() {}, []string{"a.yaml", "b.yaml", "c.yaml"}, []string{"a", "b", "c"}, map[string]string{"b/index.html": "Story B"}, nil},
		{"nothing changed", func() {}, nil, []string{"a", "b", "c"}, nil, nil},
		{"retitle b", func() { edit(t, filepath.Join(dir, "b.yaml"), smallStory("Story B, retitled", ""), 1) },
			[]string{"b.yaml"}, []string{"a", "b", "c"}, map[string]string{"b/index.html": "Story B, retitled", "index.html": "Story B, retitled"}, nil},
		{"break c", func() {
			edit(t, filepath.Join(dir, "c.yaml"), smallStory("Story C", "<script>alert(1)</script>: x\n"), 2)
		},
			[]string{"c.yaml"}, []string{"a", "b", "c"}, nil, []string{"c.yaml:9:1: unknown key \"<script>alert(1)</script>\""}},
		{"fail an expectation in a", func() {
			edit(t, filepath.Join(dir, "a.yaml"), smallStory("Story A", "      - count(process) == 3\n"), 3)
		},
			[]string{"a.yaml"}, []string{"a", "b", "c"}, map[string]string{"a/index.html": "count(process) == 3"},
			[]string{"a.yaml:9:9: step 2 (kernel 2.6.34): expected count(process) == 3", "c.yaml:9:1"}},
		{"fix c and a", func() {
			edit(t, filepath.Join(dir, "c.yaml"), smallStory("Story C", ""), 4)
			edit(t, filepath.Join(dir, "a.yaml"), smallStory("Story A", ""), 4)
		}, []string{"a.yaml", "c.yaml"}, []string{"a", "b", "c"}, nil, nil},
		{"remove a, add d", func() {
			os.Remove(filepath.Join(dir, "a.yaml"))
			edit(t, filepath.Join(dir, "d.yaml"), smallStory("Story D", ""), 5)
		}, []string{"d.yaml"}, []string{"b", "c", "d"}, map[string]string{"d/index.html": "Story D"}, nil},
	}
	for _, st := range steps {
		st.change()
		*loads = nil
		ls.Rebuild(t.Context())
		snap, _ := ls.Current()
		if !slices.Equal(*loads, st.loads) {
			t.Errorf("%s: read %v again, want %v", st.name, *loads, st.loads)
		}
		if got := storyPages(snap); !slices.Equal(got, st.pages) {
			t.Errorf("%s: the site has %v, want %v", st.name, got, st.pages)
		}
		for p, text := range st.has {
			if !bytes.Contains(snap.Files[p], []byte(text)) {
				t.Errorf("%s: %s lacks %q", st.name, p, text)
			}
		}
		checkProblems(t, st.name, snap.Problems, dir, st.problems)
	}
}

// storyPages lists the stories that have a page.
func storyPages(snap *livesite.Build) []string {
	var out []string
	for p := range snap.Files {
		if dir, ok := strings.CutSuffix(p, "/index.html"); ok {
			out = append(out, dir)
		}
	}
	slices.Sort(out)
	return out
}

func checkProblems(t *testing.T, step string, got []string, dir string, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: problems %q, want %d", step, got, len(want))
		return
	}
	for i := range want {
		if !strings.HasPrefix(got[i], filepath.Join(dir, want[i])) {
			t.Errorf("%s: problem %q, want %s/%s...", step, got[i], dir, want[i])
		}
	}
}

// TestServeShowsProblems checks that a broken story's problems are in
// every page served, escaped, and in the page of the broken story itself,
// and that the site's other pages are still served.
func TestServeShowsProblems(t *testing.T) {
	dir := storyDir(t, map[string]string{"good.yaml": smallStory("Good", ""),
		"bad.yaml": smallStory("Bad", "<script>alert(1)</script>: x\n")})
	ls := newLiveSite([]string{dir}, story.DefaultLimits(), io.Discard)
	t.Cleanup(func() { ls.Close() })
	ls.Rebuild(t.Context())
	for _, target := range []string{"/", "/good/", "/bad/"} {
		rec := httptest.NewRecorder()
		ls.ServeHTTP(rec, httptest.NewRequest("GET", target, nil))
		body := rec.Body.String()
		if !strings.Contains(body, `id="avdoc-serve-problems"`) || !strings.Contains(body, "bad.yaml:9:1: unknown key &#34;&lt;script&gt;alert(1)&lt;/script&gt;&#34;") {
			t.Errorf("%s: no escaped problem in the page:\n%s", target, body)
		}
		if strings.Contains(body, "<script>alert") {
			t.Errorf("%s: a problem went into the page unescaped", target)
		}
	}
	rec := httptest.NewRecorder()
	ls.ServeHTTP(rec, httptest.NewRequest("GET", "/good/", nil))
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "<h1>Good</h1>") {
		t.Errorf("the good story is not served beside the bad one: %d", rec.Code)
	}
}

// TestServeKeepsLastGoodPage: a story that stops parsing, as while one
// types, keeps its last good page and diagrams, under its error, and its
// card in the index, until it parses again; then the new page shows.
func TestServeKeepsLastGoodPage(t *testing.T) {
	dir := storyDir(t, map[string]string{"a.yaml": smallStory("Good A", "")})
	ls := newLiveSite([]string{dir}, story.DefaultLimits(), io.Discard)
	t.Cleanup(func() { ls.Close() })
	get := func(target string) (int, string) {
		rec := httptest.NewRecorder()
		ls.ServeHTTP(rec, httptest.NewRequest("GET", target, nil))
		return rec.Code, rec.Body.String()
	}
	ls.Rebuild(t.Context())
	edit(t, filepath.Join(dir, "a.yaml"), "title: \"Broken A\"\nkernel: 2.6.34\nsteps: [\n", 1)
	ls.Rebuild(t.Context())
	code, body := get("/a/")
	banner := strings.Index(body, `id="avdoc-serve-problems"`)
	if code != http.StatusOK || !strings.Contains(body, "<h1>Good A</h1>") || strings.Contains(body, "Broken A") {
		t.Fatalf("a broken story's page: %d, want 200 and its last good page:\n%.600s", code, body)
	}
	if at := strings.Index(body, filepath.Join(dir, "a.yaml")+":4:1: "); banner < 0 || at < banner || at > strings.Index(body, "<h1>") {
		t.Errorf("the page does not show the file:line:col error at its top:\n%.900s", body)
	}
	if code, svg := get("/a/step-2-2.6.34.svg"); code != http.StatusOK || !strings.Contains(svg, "<svg") {
		t.Errorf("the kept page's diagram: %d", code)
	}
	if _, index := get("/"); !strings.Contains(index, `href="a/index.html"`) {
		t.Error("the index lost the broken story's card")
	}
	edit(t, filepath.Join(dir, "a.yaml"), smallStory("Fixed A", ""), 2)
	ls.Rebuild(t.Context())
	code, body = get("/a/")
	if code != http.StatusOK || !strings.Contains(body, "<h1>Fixed A</h1>") || strings.Contains(body, "avdoc-serve-problems") {
		t.Errorf("the fixed story's page: %d, want its new page and no problem:\n%.600s", code, body)
	}
}

// readEvent reads the next data line of an event stream.
func readEvent(t *testing.T, r *bufio.Reader) string {
	t.Helper()
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("the event stream ended: %v", err)
		}
		if data, ok := strings.CutPrefix(strings.TrimRight(line, "\n"), "data: "); ok {
			return data
		}
	}
}

// TestServeEvents checks that a browser watching the event stream learns
// of a rebuild that changes the site, and only of one that does.
func TestServeEvents(t *testing.T) {
	dir := storyDir(t, map[string]string{"a.yaml": smallStory("A", ""), "b.yaml": smallStory("B", "")})
	ls := newLiveSite([]string{dir}, story.DefaultLimits(), io.Discard)
	t.Cleanup(func() { ls.Close() })
	ls.Rebuild(t.Context())
	srv := httptest.NewServer(ls) // on 127.0.0.1
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL + "/_avdoc/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Errorf("Content-Type %q", ct)
	}
	r := bufio.NewReader(resp.Body)
	first := readEvent(t, r)
	if snap, _ := ls.Current(); first != snap.Gen {
		t.Errorf("first event %q, want the site's generation %q", first, snap.Gen)
	}
	edit(t, filepath.Join(dir, "a.yaml"), smallStory("A", ""), 1) // touched, not changed
	ls.Rebuild(t.Context())
	edit(t, filepath.Join(dir, "b.yaml"), smallStory("B2", ""), 2)
	ls.Rebuild(t.Context())
	next := readEvent(t, r)
	if snap, _ := ls.Current(); next == first || next != snap.Gen {
		t.Errorf("after a change the event is %q; want the new generation %q (the old was %q)", next, snap.Gen, first)
	}
}

// syncBuffer is a bytes.Buffer that the server's goroutines may write to
// while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestServeCommand runs serve on a loopback port: it serves, notices an
// edit by itself, tells the browser, and stops cleanly with an event
// stream open when its context ends, as on SIGINT.
func TestServeCommand(t *testing.T) {
	dir := storyDir(t, map[string]string{"a.yaml": smallStory("A", "")})
	var stdout, stderr syncBuffer
	c := &cli{stdout: &stdout, stderr: &stderr, limits: story.DefaultLimits()}
	ctx, cancel := context.WithCancel(t.Context())
	addrs := make(chan net.Addr, 1)
	done := make(chan int)
	go func() { done <- c.serve(ctx, []string{dir}, "127.0.0.1:0", nil, func(a net.Addr) { addrs <- a }) }()
	addr := (<-addrs).(*net.TCPAddr)
	if !addr.IP.IsLoopback() {
		t.Errorf("serving on %v", addr)
	}
	resp, err := http.Get("http://" + addr.String() + "/_avdoc/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	r := bufio.NewReader(resp.Body)
	first := readEvent(t, r)
	edit(t, filepath.Join(dir, "a.yaml"), smallStory("A, edited", ""), 1)
	if next := readEvent(t, r); next == first {
		t.Error("the watcher sent the same generation again")
	}
	page, err := http.Get("http://" + addr.String() + "/a/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(page.Body)
	page.Body.Close()
	if !bytes.Contains(body, []byte("A, edited")) {
		t.Errorf("the page does not show the edit: %d %.300s", page.StatusCode, body)
	}
	cancel()
	if code := <-done; code != exitOK {
		t.Errorf("serve ended with exit %d: %s", code, stderr.String())
	}
	if _, err := io.ReadAll(r); err != nil {
		t.Errorf("the event stream did not end cleanly: %v", err)
	}
	if !strings.Contains(stdout.String(), "serving the stories at http://127.0.0.1:") {
		t.Errorf("stdout: %q", stdout.String())
	}
}

// TestServeArguments checks serve's flags and refusals before it
// listens: it listens on loopback unless told otherwise.
func TestServeArguments(t *testing.T) {
	tests := []struct {
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{[]string{"--help"}, exitOK, "(default \"127.0.0.1:8080\")", ""},
		{[]string{"--help"}, exitOK, "-max-work", ""},
		{[]string{filepath.Join(t.TempDir(), "missing")}, exitInput, "", "no such file or directory"},
		{[]string{"--addr"}, exitInput, "", "flag needs an argument"},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		code := run(append([]string{"serve"}, tt.args...), &stdout, &stderr)
		if code != tt.code || !strings.Contains(stdout.String(), tt.stdout) || !strings.Contains(stderr.String(), tt.stderr) {
			t.Errorf("serve %v: exit %d, stdout %q, stderr %q", tt.args, code, stdout.String(), stderr.String())
		}
	}
}
