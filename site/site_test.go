package site

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/avdoc/avdoc/internal/golden"
)

// sampleOut, when set, makes TestSampleSite also write the sample site there, for a
// look in a browser: go test ./site/ -run TestSampleSite -sample-out /tmp/sitecheck
var sampleOut = flag.String("sample-out", "", "write the sample site into this directory")

func mustBuild(t *testing.T, s Site) []File {
	t.Helper()
	files, err := Build(s)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	return files
}

func TestBuild(t *testing.T) {
	tests := []struct {
		name string
		site Site
		want string // inline txtar of substring checks, see assertFiles
	}{{
		name: "index lists stories with links, Markdown summaries, tags and kernels",
		site: sampleSite(),
		want: `
-- index.html --
<title>avdoc test site</title>
<link rel="stylesheet" href="style.css">
<h1>avdoc test site</h1>
<a href="fork/index.html">Fork shares an anonymous page</a>
<a href="overly-anonymous/index.html">The overly anonymous anon_vma</a>
<div class="summary"><p>A child inherits its parent&rsquo;s page and links to the parent&rsquo;s <em>anon_vma</em>.</p>
under <code>2.6.34-rc3</code> the page
<span class="tag">fork</span> <span class="tag">basics</span>
<code class="kernel">2.6.34-rc3</code> <code class="kernel">2.6.34</code>
2 steps
3 steps
! href="/
-- style.css --
@media (prefers-color-scheme: dark)
system-ui
! @import
! url(
`,
	}, {
		name: "story page has anchored steps, events, narration, prev/next and diagrams",
		site: sampleSite(),
		want: `
-- fork/index.html --
<link rel="stylesheet" href="../style.css">
<a href="../index.html">&larr; All stories</a>
<h1>Fork shares an anonymous page</h1>
<p>Both processes now map the page through <strong>one</strong> anon_vma.</p>
<section class="step" id="step-1">
<section class="step" id="step-2">
! id="step-3"
<a class="anchor" href="#step-1">Step 1</a><span class="events"> <code>spawn P</code> <code>mmap P heap 1</code> <code>write P:heap:0</code></span>
<p>The child gets an AVC to P&rsquo;s anon_vma and an anon_vma of its own.</p>
<a class="prev" href="#top">&uarr; Top</a><a class="next" href="#step-2">Step 2 &rarr;</a>
<a class="prev" href="#step-1">&larr; Step 1</a><a class="next" href="#end">End &darr;</a>
<img src="step-1-2.6.34.svg" alt="P&#39;s heap VMA points to anon_vma P:heap, which page 1 maps to.">
<img src="step-2-2.6.34.svg"
<li><code>anon_vma_fork: linked AVC 4 of C:heap to anon_vma P:heap</code></li>
<li class="ok"><span class="mark" aria-label="holds">&#10003;</span> <code>chain(C:heap:0) == [av(C:heap), av(P:heap)]</code></li>
<p>from <code>stories/fork.yaml</code></p>
! class="frames multi"
! (primary)
! role="alert"
! class="trouble"
-- fork/step-1-2.6.34.svg --
P after the first write
-- fork/step-2-2.6.34.svg --
after fork P C
`,
	}, {
		name: "multi-kernel steps show frames side by side",
		site: sampleSite(),
		want: `
-- overly-anonymous/index.html --
<code class="kernel">2.6.34-rc3</code> (primary) <code class="kernel">2.6.34</code>
<div class="frames multi">
<img src="step-1-2.6.34-rc3.svg" alt="P and C share page 1.">
<img src="step-1-2.6.34.svg" alt="P and C share page 1.">
<img src="step-3-2.6.34.svg" alt="The walk visits P:heap.">
-- overly-anonymous/step-2-2.6.34-rc3.svg --
step 2 under 2.6.34-rc3
-- overly-anonymous/step-2-2.6.34.svg --
step 2 under 2.6.34
-- style.css --
grid-template-columns: repeat(auto-fit, minmax(min(100%, 26rem), 1fr));
`,
	}, {
		name: "violations, oopses and failed checks are flagged",
		site: sampleSite(),
		want: `
-- overly-anonymous/index.html --
<section class="step trouble" id="step-2">
<section class="step trouble" id="step-3">
<section class="step" id="step-1">
<li><a href="#step-2" class="trouble" title="something went wrong in this step">2</a></li>
<li><a href="#step-1">1</a></li>
<figure class="frame bad">
<span class="badge bad">invariant broken</span>
<span class="badge bad">oops</span>
<div class="alert" role="alert">
<p class="alert-title">&#9888; Invariant violation</p>
<li>R1: page 1 is mapped by P:heap, which is not reachable from anon_vma C:heap</li>
<p class="alert-title">&#9888; Oops: an rmap walk reached freed memory</p>
<li>page_referenced: page 1 → freed anon_vma C:heap</li>
<li class="fail"><span class="mark" aria-label="fails">&#10007;</span> <code>mapping(C:heap:0) == av(P:heap)</code><span class="detail">expected av(P:heap), got av(C:heap)</span></li>
-- style.css --
.alert {
`,
	}, {
		name: "empty site title falls back, empty optional fields leave no trace",
		site: Site{Stories: []Story{{
			Slug: "bare", Title: "Bare", Kernels: []string{"3.7"},
			Steps: []Step{{Frames: []Frame{{Kernel: "3.7", Desc: "nothing drawn"}}}},
		}}},
		want: `
-- index.html --
<title>avdoc: anonymous memory reverse mapping, step by step</title>
1 step
! class="summary"
! class="tag"
-- bare/index.html --
<title>Bare &ndash; avdoc: anonymous memory reverse mapping, step by step</title>
<p class="no-diagram">(no diagram) nothing drawn</p>
<a class="anchor" href="#step-1">Step 1</a></h2>
! <img
! class="intro"
! class="narration"
! class="checks"
! class="log"
! (primary)
! <p>from
`,
	}, {
		name: "no stories",
		site: Site{Title: "Empty"},
		want: `
-- index.html --
<p>No stories yet.</p>
! <ol class="cards">
`,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertFiles(t, mustBuild(t, tt.site), tt.want)
		})
	}
}

// TestFiles checks the exact file list: sorted, relative, one SVG per frame with a diagram.
func TestFiles(t *testing.T) {
	tests := []struct {
		name string
		site Site
		want []string
	}{{
		name: "sample",
		site: sampleSite(),
		want: []string{
			"fork/index.html", "fork/step-1-2.6.34.svg", "fork/step-2-2.6.34.svg",
			"index.html",
			"overly-anonymous/index.html",
			"overly-anonymous/step-1-2.6.34-rc3.svg", "overly-anonymous/step-1-2.6.34.svg",
			"overly-anonymous/step-2-2.6.34-rc3.svg", "overly-anonymous/step-2-2.6.34.svg",
			"overly-anonymous/step-3-2.6.34-rc3.svg", "overly-anonymous/step-3-2.6.34.svg",
			"style.css",
		},
	}, {
		name: "kernel names are sanitized in file names",
		site: Site{Stories: []Story{{
			Slug: "odd", Title: "Odd", Kernels: []string{"rc3+oldest fix/ksm"},
			Steps: []Step{{Frames: []Frame{{Kernel: "rc3+oldest fix/ksm", SVG: placeholderSVG("x")}}}},
		}}},
		want: []string{"index.html", "odd/index.html", "odd/step-1-rc3_oldest_fix_ksm.svg", "style.css"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := paths(mustBuild(t, tt.site))
			if !slices.Equal(got, tt.want) {
				t.Errorf("files:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

// TestLinks follows every href and src of every page: each must be relative and lead to
// a file of the site, and each #fragment to an id on the target page.
func TestLinks(t *testing.T) {
	files := mustBuild(t, sampleSite())
	byPath := fileMap(files)
	checked := 0
	for _, f := range files {
		if !strings.HasSuffix(f.Path, ".html") {
			continue
		}
		ls, err := links(string(f.Data))
		if err != nil {
			t.Fatalf("%s: %v", f.Path, err)
		}
		for _, l := range ls {
			checkLink(t, byPath, f.Path, l[0], l[1])
			checked++
		}
	}
	if checked < 30 {
		t.Errorf("followed only %d links; the scanner is missing some", checked)
	}
}

func checkLink(t *testing.T, byPath map[string][]byte, from, tagName, link string) {
	t.Helper()
	if link == "" || strings.Contains(link, ":") || strings.HasPrefix(link, "/") {
		t.Errorf("%s: <%s> link %q is not a non-empty relative URL", from, tagName, link)
		return
	}
	file, frag := resolve(from, link)
	data, ok := byPath[file]
	if !ok {
		t.Errorf("%s: <%s> link %q leads to missing file %s", from, tagName, link, file)
		return
	}
	if frag != "" && !slices.Contains(ids(string(data)), frag) {
		t.Errorf("%s: link %q: %s has no id %q", from, link, file, frag)
	}
}

func TestDeterministic(t *testing.T) {
	a, b := mustBuild(t, sampleSite()), mustBuild(t, sampleSite())
	if !slices.Equal(paths(a), paths(b)) {
		t.Fatalf("file lists differ:\n%q\n%q", paths(a), paths(b))
	}
	for i := range a {
		if !bytes.Equal(a[i].Data, b[i].Data) {
			t.Errorf("%s differs between two builds:\n%s", a[i].Path, golden.Diff(string(a[i].Data), string(b[i].Data)))
		}
	}
}

// TestOutputIsSelfContained: nothing absolute, no scripts, no external resources.
func TestOutputIsSelfContained(t *testing.T) {
	for _, f := range mustBuild(t, sampleSite()) {
		if strings.HasSuffix(f.Path, ".svg") {
			continue // the caller's diagrams, copied as they are
		}
		for _, bad := range []string{"<script", "http://", "https://", "file:", `="/`, "@import", "url("} {
			if strings.Contains(string(f.Data), bad) {
				t.Errorf("%s contains %q", f.Path, bad)
			}
		}
	}
}

func TestBuildErrors(t *testing.T) {
	ok := forkStory
	with := func(edit func(*Story)) Story { s := ok(); edit(&s); return s }
	tests := []struct {
		name    string
		stories []Story
		want    []string // substrings of the error
	}{
		{"empty slug", []Story{with(func(s *Story) { s.Slug = "" })}, []string{`story 1 (slug "")`, "empty slug"}},
		{"upper-case slug", []Story{with(func(s *Story) { s.Slug = "Fork" })}, []string{`slug may hold only`, `'F'`}},
		{"slug with slash", []Story{with(func(s *Story) { s.Slug = "../etc" })}, []string{`'.'`}},
		{"slug with space", []Story{with(func(s *Story) { s.Slug = "a b" })}, []string{`' '`}},
		{"duplicate slug", []Story{ok(), with(func(s *Story) { s.Title = "Other" })}, []string{`story 2 (slug "fork"): duplicate slug, story 1 has it too`}},
		{"empty title", []Story{with(func(s *Story) { s.Title = "  " })}, []string{"empty title"}},
		{"no kernels", []Story{with(func(s *Story) { s.Kernels = nil })}, []string{"no kernels"}},
		{"empty kernel name", []Story{with(func(s *Story) { s.Kernels = []string{""} })}, []string{"empty kernel name"}},
		{"kernel file names collide", []Story{with(func(s *Story) { s.Kernels = []string{"a+b", "a/b"}; s.Steps = nil })},
			[]string{`kernels "a+b" and "a/b" would share the diagram file name "a_b"`}},
		{"too few frames", []Story{with(func(s *Story) { s.Kernels = append(s.Kernels, "2.6.36") })},
			[]string{"step 1: 1 frames for 2 kernels (want one frame per kernel: 2.6.34, 2.6.36)", "step 2: 1 frames for 2 kernels"}},
		{"too many frames", []Story{with(func(s *Story) { s.Steps[1].Frames = append(s.Steps[1].Frames, s.Steps[1].Frames[0]) })},
			[]string{"step 2: 2 frames for 1 kernels"}},
		{"frame for another kernel", []Story{with(func(s *Story) { s.Steps[0].Frames[0].Kernel = "2.6.33" })},
			[]string{`step 1: frame 1 is for kernel "2.6.33", want "2.6.34"`}},
		{"not an SVG", []Story{with(func(s *Story) { s.Steps[1].Frames[0].SVG = []byte("digraph { a -> b }") })},
			[]string{"step 2: frame 1 (2.6.34): diagram is not an SVG document"}},
		{"HTML instead of SVG", []Story{with(func(s *Story) { s.Steps[1].Frames[0].SVG = []byte("<html><script>x</script></html>") })},
			[]string{"root element is <html>"}},
		{"every problem reported", []Story{with(func(s *Story) { s.Slug = "X"; s.Title = "" })},
			[]string{"slug may hold only", "empty title"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files, err := Build(Site{Stories: tt.stories})
			if err == nil {
				t.Fatalf("Build succeeded with %d files, want an error", len(files))
			}
			if files != nil {
				t.Errorf("Build returned %d files with its error", len(files))
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

// TestGolden keeps one tiny site whole, to review the page structure at a glance.
func TestGolden(t *testing.T) {
	s := Site{Title: "Tiny", Stories: []Story{{
		Slug: "tiny", Title: "Tiny", Summary: "One *step*.", Tags: []string{"demo"},
		Kernels: []string{"2.6.34-rc3", "2.6.34"}, Source: "stories/tiny.yaml",
		Steps: []Step{{
			Narration: "A page is written.",
			Events:    []string{"write P:heap:0"},
			Frames: []Frame{
				{Kernel: "2.6.34-rc3", SVG: []byte("<svg/>"), Desc: "P maps page 1.",
					Log: []string{"do_anonymous_page: page 1"}, Violations: []string{"I3: x"},
					Checks: []Check{{Text: "clean", Detail: "expected no violation, got I3"}}},
				{Kernel: "2.6.34", SVG: []byte("<svg/>"), Desc: "P maps page 1.",
					Checks: []Check{{Text: "clean", OK: true}}},
			},
		}},
	}}}
	files := fileMap(mustBuild(t, s))
	golden.Check(t, "testdata/tiny-index.html", files["index.html"])
	golden.Check(t, "testdata/tiny-story.html", files["tiny/index.html"])
}

// TestSampleSite checks that every page of the sample parses as the tags we emit, and
// with -sample-out writes the site out for a look in a browser.
func TestSampleSite(t *testing.T) {
	files := mustBuild(t, sampleSite())
	for _, f := range files {
		if p := liveProblems(string(f.Data)); strings.HasSuffix(f.Path, ".html") && len(p) > 0 {
			t.Errorf("%s: %q", f.Path, p)
		}
	}
	if *sampleOut == "" {
		return
	}
	for _, f := range files {
		p := filepath.Join(*sampleOut, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
