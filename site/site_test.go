package site

import (
	"bytes"
	"encoding/json"
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
<a class="tag" href="index.html?tag=fork">fork</a> <a class="tag" href="index.html?tag=basics">basics</a>
<a class="kernel" href="model-2.6.34-rc3.html"><code>2.6.34-rc3</code></a> <a class="kernel" href="model-2.6.34.html"><code>2.6.34</code></a>
2 steps
3 steps <span class="sep" aria-hidden="true">&middot;</span> <span class="flag">&#9888; 2 steps go wrong</span>
! href="/
! class="gl"
-- style.css --
@media screen and (prefers-color-scheme: dark)
system-ui
! @import
! url(
`,
	}, {
		name: "index filters by tag and kernel, from data attributes, with JavaScript only",
		site: sampleSite(),
		want: `
-- index.html --
<div class="filters" hidden>
<select class="f-tag"><option value="">any</option><option>basics</option><option>bug</option><option>fork</option><option>swap</option></select>
<select class="f-kernel"><option value="">any</option><option>2.6.34-rc3</option><option>2.6.34</option></select>
<li class="card" data-tags="[&#34;fork&#34;,&#34;basics&#34;]" data-kernels="[&#34;2.6.34&#34;]">
<li class="card" data-tags="[&#34;bug&#34;,&#34;swap&#34;]" data-kernels="[&#34;2.6.34-rc3&#34;,&#34;2.6.34&#34;]">
! <option>2.6.36</option>
`,
	}, {
		name: "each card shows its key frame: the first broken step, else the fullest diagram, from the story's files",
		site: sampleSite(),
		want: `
-- index.html --
<a class="thumb" href="overly-anonymous/index.html#step-2/2.6.34-rc3" tabindex="-1" aria-hidden="true"><img src="overly-anonymous/step-2-2.6.34-rc3.svg" alt="" loading="lazy"></a>
<a class="thumb" href="fork/index.html#step-2/2.6.34" tabindex="-1" aria-hidden="true"><img src="fork/step-2-2.6.34.svg"
`,
	}, {
		name: "story page has anchored steps, events, narration, prev/next and diagrams",
		site: sampleSite(),
		want: `
-- fork/index.html --
<link rel="stylesheet" href="../style.css">
<a class="brand" href="../index.html">avdoc</a>
<h1>Fork shares an anonymous page</h1>
<p>Both processes now map the page through <strong>one</strong> <a href="../glossary.html#anon_vma" class="gl">anon_vma</a>.</p>
<section class="step" id="step-1">
<section class="step" id="step-2">
! id="step-3"
<a class="anchor" href="#step-1">Step 1</a><span class="events"> <code>spawn P</code> <code>mmap P heap 1</code> <code>write P:heap:0</code></span>
<a class="prev" href="#top">&uarr; Top</a><a class="next" href="#step-2">Step 2 &rarr;</a>
<a class="prev" href="#step-1">&larr; Step 1</a><a class="next" href="#end">End &darr;</a>
<img src="step-1-2.6.34.svg" alt="P&#39;s heap VMA points to anon_vma P:heap, which page 1 maps to.">
<img src="step-2-2.6.34.svg"
<li><code>anon_vma_fork: linked AVC 4 of C:heap to anon_vma P:heap</code></li>
<li class="ok"><span class="mark" aria-label="holds">&#10003;</span> <code>chain(C:heap:0) == [av(C:heap), av(P:heap)]</code></li>
<p>from <code>stories/fork.yaml</code></p>
<span class="label">Kernel</span> <a class="kernel" href="../model-2.6.34.html"><code>2.6.34</code></a>
<a class="tag" href="../index.html?tag=fork">fork</a>
! class="frames multi
! (primary)
! role="alert"
! class="trouble
! class="kernel-pick"
! class="differs"
-- fork/step-1-2.6.34.svg --
P after the first write
-- fork/step-2-2.6.34.svg --
after fork P C
`,
	}, {
		name: "story page carries the step player, hidden until the script shows it",
		site: sampleSite(),
		want: `
-- fork/index.html --
<script src="../avdoc.js"></script>
<nav class="player" aria-label="Steps">
<div class="controls" hidden>
<button type="button" data-go="prev" aria-label="Previous step" title="Previous step (&larr;)">&larr;</button>
<button type="button" data-go="play" class="play" aria-pressed="false"
<button type="button" data-go="next" aria-label="Next step" title="Next step (&rarr;)">&rarr;</button>
<ol class="steplist">
<li><a href="#step-1" title="Step 1">1</a></li>
<li><a href="#step-2" title="Step 2">2</a></li>
<button type="button" data-go="all" class="all" aria-pressed="false" hidden>All steps</button>
-- avdoc.js --
'ArrowRight'
'ArrowLeft'
/^#step-(\d+)(?:\/(.+))?$/
localStorage
`,
	}, {
		name: "every frame has a deep link: #step-N/KERNEL, with the kernel's file-name form",
		site: sampleSite(),
		want: `
-- fork/index.html --
<figure class="frame" id="step-1/2.6.34" data-kernel="2.6.34">
<figcaption><a class="kernel" href="#step-1/2.6.34"><code>2.6.34</code></a></figcaption>
-- overly-anonymous/index.html --
<figure class="frame bad" id="step-2/2.6.34-rc3" data-kernel="2.6.34-rc3">
<figure class="frame" id="step-2/2.6.34" data-kernel="2.6.34">
`,
	}, {
		name: "multi-kernel steps show frames side by side, and a choice of kernel",
		site: sampleSite(),
		want: `
-- overly-anonymous/index.html --
<span class="label">Kernels, side by side</span> <a class="kernel" href="../model-2.6.34-rc3.html"><code>2.6.34-rc3</code></a> (primary) <a class="kernel" href="../model-2.6.34.html"><code>2.6.34</code></a>
<div class="frames multi cols-2">
<img src="step-1-2.6.34-rc3.svg" alt="P and C share page 1.">
<img src="step-1-2.6.34.svg" alt="P and C share page 1.">
<img src="step-3-2.6.34.svg" alt="The walk visits P:heap.">
<div class="kernel-pick" role="group" aria-label="Kernels shown" hidden>
<button type="button" data-kernel="" aria-pressed="true">Side by side</button>
<button type="button" data-kernel="2.6.34-rc3" aria-pressed="false">2.6.34-rc3</button>
-- overly-anonymous/step-2-2.6.34-rc3.svg --
step 2 under 2.6.34-rc3
-- overly-anonymous/step-2-2.6.34.svg --
step 2 under 2.6.34
-- style.css --
grid-template-rows: subgrid;
.frames.cols-2 { grid-template-columns: repeat(2, minmax(0, 1fr)); }
`,
	}, {
		name: "steps where the kernels part ways are marked, in the step list too, saying how",
		site: sampleSite(),
		want: `
-- overly-anonymous/index.html --
<section class="step" id="step-1">
<section class="step trouble diverge" id="step-2">
<li><a href="#step-1" title="Step 1">1</a></li>
<li><a href="#step-2" class="trouble diverge" title="Step 2: something goes wrong; the kernels part ways">2</a></li>
<span class="key-diverge">&ne;</span>: the kernels part ways (2 of 3 steps)
<li>Invariants broken: R1 under 2.6.34-rc3; none under 2.6.34.</li>
<li>mapping(C:heap:0) == av(P:heap): fails under 2.6.34-rc3; holds under 2.6.34.</li>
<li>C:heap:0 maps: a page on anon_vma C:heap under 2.6.34-rc3; a page on anon_vma P:heap under 2.6.34.</li>
<li>Oops (an rmap walk into freed memory): yes under 2.6.34-rc3; no under 2.6.34.</li>
`,
	}, {
		name: "violations, oopses and failed checks are flagged",
		site: sampleSite(),
		want: `
-- overly-anonymous/index.html --
<section class="step trouble diverge" id="step-3">
<figure class="frame bad"
<span class="badge bad">invariant broken</span>
<span class="badge bad">oops</span>
<div class="alert" role="alert">
<p class="alert-title">&#9888; Invariant violation</p>
<li>R1: page 1 is mapped by P:heap, which is not reachable from anon_vma C:heap</li>
<p class="alert-title">&#9888; Oops: an rmap walk reached freed memory</p>
<li>page_referenced: page 1 → freed anon_vma C:heap</li>
<li class="fail"><span class="mark" aria-label="fails">&#10007;</span> <code>mapping(C:heap:0) == av(P:heap)</code><span class="detail">expected av(P:heap), got av(C:heap)</span></li>
<span class="key-trouble">red</span>: something goes wrong
-- style.css --
.alert {
`,
	}, {
		name: "narration links the first mention of each glossary term per step",
		site: sampleSite(),
		want: `
-- fork/index.html --
<p>P maps a page and writes it; the fault creates P&rsquo;s <a href="../glossary.html#anon_vma" class="gl">anon_vma</a>.</p>
<p>The child gets an <a href="../glossary.html#avc" class="gl">AVC</a> to P&rsquo;s <a href="../glossary.html#anon_vma" class="gl">anon_vma</a> and an anon_vma of its own.</p>
<p>P maps one page; then it forks.</p>
-- overly-anonymous/index.html --
<p>This story needs the <a href="../glossary.html#swap-cache" class="gl">swap cache</a>.</p>
-- glossary.html --
<dt id="anon_vma"><a class="anchor" href="#anon_vma"><code>anon_vma</code></a></dt>
<dt id="avc"><a class="anchor" href="#avc">AVC (<code>anon_vma_chain</code>)</a></dt>
<dt id="swap-cache">
<a href="#vma">VMA (<code>vm_area_struct</code>)</a>
`,
	}, {
		name: "a page per model, listing the stories that run it, and an overview",
		site: sampleSite(),
		want: `
-- model-2.6.34.html --
<h1>Kernel model <code>2.6.34</code></h1>
<p class="lead">anon_vma_chain fixed</p>
<dt>Commits</dt><dd><a class="commit" href="https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/commit/?id=5beb49305251"><code>5beb49305251</code></a>, <a class="commit" href="https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/commit/?id=ea90002b0fa7"><code>ea90002b0fa7</code></a></dd>
<tr><td><code>reuse-singular</code></td><td><a class="commit" href="https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/commit/?id=d0e9fe1758f2"><code>d0e9fe1758f2</code></a></td><td>Simplify anon_vma re-use</td><td><span class="no" aria-label="no">&#10007;</span></td></tr>
<tr><td><code>oldest-anon-vma</code></td><td><a class="commit" href="https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/commit/?id=ea90002b0fa7"><code>ea90002b0fa7</code></a></td><td>pick the _oldest_ anonvma</td><td><span class="ok" aria-label="yes">&#10003;</span></td></tr>
<li><a href="fork/index.html">Fork shares an anonymous page</a></li>
<li><a href="overly-anonymous/index.html">The overly anonymous anon_vma</a></li>
<a class="prev" href="model-2.6.34-rc3.html">&larr; 2.6.34-rc3</a><a class="next" href="model-2.6.36.html">2.6.36 &rarr;</a>
-- model-2.6.34-rc3.html --
<li>None of the fixes of the 2.6.34 cycle.</li>
<li><a href="overly-anonymous/index.html">The overly anonymous anon_vma</a></li>
! fork/index.html
! <table class="fixes">
-- model-2.6.36.html --
<p>No story runs this model yet.</p>
-- models.html --
<tr><td><a href="model-2.6.34.html"><code>2.6.34</code></a></td><td>anon_vma_chain</td><td>anon_vma_chain fixed</td><td>2</td></tr>
<tr><td><code>oldest-anon-vma</code></td><td><a class="commit" href="https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/commit/?id=ea90002b0fa7"><code>ea90002b0fa7</code></a></td><td>pick the _oldest_ anonvma</td><td><code>2.6.34</code>, <code>2.6.36</code></td></tr>
`,
	}, {
		name: "a derived kernel links to its model, and shows on the model's page as itself",
		site: Site{Models: []Model{{Name: "2.6.34-rc3"}}, Stories: []Story{{
			Slug: "b3", Title: "B3", Kernels: []string{"rc3+oldest", "2.6.34"},
			KernelInfo: []KernelInfo{{Model: "2.6.34-rc3", Note: "2.6.34-rc3 plus oldest-anon-vma"}, {Model: "2.6.34"}},
			Steps:      []Step{{Frames: []Frame{{Kernel: "rc3+oldest"}, {Kernel: "2.6.34"}}}},
		}}},
		want: `
-- b3/index.html --
<a class="kernel" href="../model-2.6.34-rc3.html"><code>rc3&#43;oldest</code></a> <span class="note">(2.6.34-rc3 plus oldest-anon-vma)</span> (primary) <code class="kernel">2.6.34</code>
<figure class="frame" id="step-1/rc3_oldest" data-kernel="rc3_oldest">
<button type="button" data-kernel="rc3_oldest" aria-pressed="false">rc3&#43;oldest</button>
-- model-2.6.34-rc3.html --
<li><a href="b3/index.html">B3</a> &mdash; as <code>rc3&#43;oldest</code>: 2.6.34-rc3 plus oldest-anon-vma</li>
-- index.html --
data-kernels="[&#34;rc3&#43;oldest&#34;,&#34;2.6.34&#34;,&#34;2.6.34-rc3&#34;]"
<option>2.6.34-rc3</option><option>rc3&#43;oldest</option><option>2.6.34</option>
`,
	}, {
		name: "every page has the top bar with search and the theme toggle, shown by the script",
		site: sampleSite(),
		want: `
-- index.html --
<html lang="en" data-root="">
<script src="avdoc.js"></script>
<a href="index.html" aria-current="page">Stories</a>
<div class="search" role="search" hidden>
<input type="search" class="q"
<button type="button" class="theme" id="theme-toggle" title="Switch between light and dark" hidden>Dark</button>
-- fork/index.html --
<html lang="en" data-root="../">
<a href="../glossary.html">Glossary</a>
<button type="button" class="theme" id="theme-toggle"
-- glossary.html --
<a href="glossary.html" aria-current="page">Glossary</a>
<script src="avdoc.js"></script>
-- models.html --
<a href="models.html" aria-current="page">Kernel models</a>
-- style.css --
:root[data-theme=dark] {
@media screen and (prefers-color-scheme: dark) {
  :root:not([data-theme=light]) {
color-scheme: dark;
[hidden] { display: none !important; }
@media (max-width: 40rem)
-- avdoc.js --
'avdoc-theme'
search-index.js
`,
	}, {
		name: "the print stylesheet prints the steps alone, each from the top of a page",
		site: sampleSite(),
		want: `
-- style.css --
@media print {
.topbar, .player, .steplist-key, .step-nav, .back, .filters, .thumb, .stories-pager, .colophon,
main.one > .step:not(.on), .frame[hidden] { display: block !important; }
.step, main.one > .step { break-before: page; break-inside: avoid;
color-scheme: light;
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
! class="thumb"
! class="kernel" href
-- bare/index.html --
<title>Bare – avdoc: anonymous memory reverse mapping, step by step</title>
<p class="no-diagram">(no diagram) nothing drawn</p>
<a class="anchor" href="#step-1">Step 1</a></h2>
! <img
! class="intro"
! class="narration"
! class="checks"
! class="log"
! (primary)
! <p>from
! class="steplist-key"
-- models.html --
<p>No models.</p>
`,
	}, {
		name: "no stories",
		site: Site{Title: "Empty"},
		want: `
-- index.html --
<p>No stories yet.</p>
! <ol class="cards">
! class="filters"
-- search-index.js --
window.avdocSearch=[
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
			"avdoc.js",
			"fork/index.html", "fork/step-1-2.6.34.svg", "fork/step-2-2.6.34.svg",
			"glossary.html", "index.html",
			"model-2.6.34-rc3.html", "model-2.6.34.html", "model-2.6.36.html", "models.html",
			"overly-anonymous/index.html",
			"overly-anonymous/step-1-2.6.34-rc3.svg", "overly-anonymous/step-1-2.6.34.svg",
			"overly-anonymous/step-2-2.6.34-rc3.svg", "overly-anonymous/step-2-2.6.34.svg",
			"overly-anonymous/step-3-2.6.34-rc3.svg", "overly-anonymous/step-3-2.6.34.svg",
			"search-index.js", "style.css",
		},
	}, {
		name: "a model page per model, whatever its name",
		site: Site{Models: []Model{{Name: "3.7"}, {Name: "a/b c"}}},
		want: []string{"avdoc.js", "glossary.html", "index.html", "model-3.7.html", "model-a_b_c.html",
			"models.html", "search-index.js", "style.css"},
	}, {
		name: "kernel names are sanitized in file names",
		site: Site{Stories: []Story{{
			Slug: "odd", Title: "Odd", Kernels: []string{"rc3+oldest fix/ksm"},
			Steps: []Step{{Frames: []Frame{{Kernel: "rc3+oldest fix/ksm", SVG: placeholderSVG("x")}}}},
		}}},
		want: []string{"avdoc.js", "glossary.html", "index.html", "models.html", "odd/index.html",
			"odd/step-1-rc3_oldest_fix_ksm.svg", "search-index.js", "style.css"},
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
	if tagName == "a" && isCommitLink(link) {
		return // a kernel commit: the one kind of link that leaves the site
	}
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

// TestOutputIsSelfContained: nothing absolute but links to kernel commits, no external
// resources, and no script but the site's own avdoc.js, loaded by one script element per
// page.
func TestOutputIsSelfContained(t *testing.T) {
	for _, f := range mustBuild(t, sampleSite()) {
		if strings.HasSuffix(f.Path, ".svg") {
			continue // the caller's diagrams, copied as they are
		}
		doc := withoutCommitLinks(string(f.Data))
		if strings.HasSuffix(f.Path, ".html") {
			own := `<script src="` + strings.Repeat("../", strings.Count(f.Path, "/")) + `avdoc.js"></script>`
			if strings.Count(doc, own) != 1 || strings.Count(doc, "<script") != 1 {
				t.Errorf("%s: want exactly one script element, %s", f.Path, own)
			}
		}
		for _, bad := range []string{"http://", "https://", "file:", `="/`, "@import", "url(", "fetch("} {
			if strings.Contains(doc, bad) {
				t.Errorf("%s contains %q", f.Path, bad)
			}
		}
	}
}

// TestScriptIsSmall keeps avdoc.js the one small script it is meant to be, and checks
// that every hook it looks for is in the pages it runs on.
func TestScriptIsSmall(t *testing.T) {
	files := fileMap(mustBuild(t, sampleSite()))
	js := string(files["avdoc.js"])
	if len(js) >= 20000 {
		t.Errorf("avdoc.js has %d bytes; keep it under 20000", len(js))
	}
	hooks := []struct{ selector, page, markup string }{
		{"'.theme'", "index.html", `class="theme"`},
		{"'.search'", "index.html", `class="search"`},
		{"'.q'", "index.html", `class="q"`},
		{"'.results'", "index.html", `class="results"`},
		{"'.filters'", "index.html", `class="filters"`},
		{"'.f-tag'", "index.html", `class="f-tag"`},
		{"'.f-kernel'", "index.html", `class="f-kernel"`},
		{"'.count'", "index.html", `class="count"`},
		{"'.card'", "index.html", `class="card"`},
		{"'.player'", "overly-anonymous/index.html", `class="player"`},
		{"'main > .step'", "overly-anonymous/index.html", `<section class="step`},
		{"'.steplist a'", "overly-anonymous/index.html", `<ol class="steplist">`},
		{"'.kernel-pick button'", "overly-anonymous/index.html", `<div class="kernel-pick"`},
		{"'[data-go=prev]'", "overly-anonymous/index.html", `data-go="prev"`},
		{"'[data-go=next]'", "overly-anonymous/index.html", `data-go="next"`},
		{"'[data-go=play]'", "overly-anonymous/index.html", `data-go="play"`},
		{"'[data-go=all]'", "overly-anonymous/index.html", `data-go="all"`},
		{"'.controls'", "overly-anonymous/index.html", `class="controls"`},
		{"'.frame[data-kernel]'", "overly-anonymous/index.html", `data-kernel="2.6.34"`},
		{"'.frames.multi'", "overly-anonymous/index.html", `class="frames multi`},
		{"'data-root'", "overly-anonymous/index.html", `data-root="../"`},
	}
	for _, h := range hooks {
		if !strings.Contains(js, h.selector) {
			t.Errorf("avdoc.js no longer uses %s; update this test", h.selector)
		}
		if !strings.Contains(string(files[h.page]), h.markup) {
			t.Errorf("avdoc.js looks for %s, but %s has no %s", h.selector, h.page, h.markup)
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
		models  []Model
	}{
		{"empty slug", []Story{with(func(s *Story) { s.Slug = "" })}, []string{`story 1 (slug "")`, "empty slug"}, nil},
		{"upper-case slug", []Story{with(func(s *Story) { s.Slug = "Fork" })}, []string{`slug may hold only`, `'F'`}, nil},
		{"slug with slash", []Story{with(func(s *Story) { s.Slug = "../etc" })}, []string{`'.'`}, nil},
		{"slug with space", []Story{with(func(s *Story) { s.Slug = "a b" })}, []string{`' '`}, nil},
		{"duplicate slug", []Story{ok(), with(func(s *Story) { s.Title = "Other" })}, []string{`story 2 (slug "fork"): duplicate slug, story 1 has it too`}, nil},
		{"empty title", []Story{with(func(s *Story) { s.Title = "  " })}, []string{"empty title"}, nil},
		{"no kernels", []Story{with(func(s *Story) { s.Kernels = nil })}, []string{"no kernels"}, nil},
		{"empty kernel name", []Story{with(func(s *Story) { s.Kernels = []string{""} })}, []string{"empty kernel name"}, nil},
		{"kernel file names collide", []Story{with(func(s *Story) { s.Kernels = []string{"a+b", "a/b"}; s.Steps = nil })},
			[]string{`kernels "a+b" and "a/b" would share the diagram file name "a_b"`}, nil},
		{"too few frames", []Story{with(func(s *Story) { s.Kernels = append(s.Kernels, "2.6.36") })},
			[]string{"step 1: 1 frames for 2 kernels (want one frame per kernel: 2.6.34, 2.6.36)", "step 2: 1 frames for 2 kernels"}, nil},
		{"too many frames", []Story{with(func(s *Story) { s.Steps[1].Frames = append(s.Steps[1].Frames, s.Steps[1].Frames[0]) })},
			[]string{"step 2: 2 frames for 1 kernels"}, nil},
		{"frame for another kernel", []Story{with(func(s *Story) { s.Steps[0].Frames[0].Kernel = "2.6.33" })},
			[]string{`step 1: frame 1 is for kernel "2.6.33", want "2.6.34"`}, nil},
		{"not an SVG", []Story{with(func(s *Story) { s.Steps[1].Frames[0].SVG = []byte("digraph { a -> b }") })},
			[]string{"step 2: frame 1 (2.6.34): diagram is not an SVG document"}, nil},
		{"HTML instead of SVG", []Story{with(func(s *Story) { s.Steps[1].Frames[0].SVG = []byte("<html><script>x</script></html>") })},
			[]string{"root element is <html>"}, nil},
		{"every problem reported", []Story{with(func(s *Story) { s.Slug = "X"; s.Title = "" })},
			[]string{"slug may hold only", "empty title"}, nil},
		{"kernel infos for some kernels only", []Story{with(func(s *Story) { s.KernelInfo = []KernelInfo{{}, {}} })},
			[]string{"2 kernel infos for 1 kernels"}, nil},
		{"a model without a name", nil, []string{"model 2: empty name"}, []Model{{Name: "3.7"}, {Name: " "}}},
		{"models that share a page", nil, []string{`models "a+b" and "a/b" would share the page model-a_b.html`},
			[]Model{{Name: "a+b"}, {Name: "a/b"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files, err := Build(Site{Stories: tt.stories, Models: tt.models})
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
			Narration: "A page is written: its `page->mapping` points at the VMA's anon_vma.",
			Events:    []string{"write P:heap:0"},
			Frames: []Frame{
				{Kernel: "2.6.34-rc3", SVG: []byte("<svg/>"), Desc: "P maps page 1.",
					Log: []string{"do_anonymous_page: page 1"}, Violations: []string{"I3: x"},
					Checks: []Check{{Text: "clean", Detail: "expected no violation, got I3"}}},
				{Kernel: "2.6.34", SVG: []byte("<svg/>"), Desc: "P maps page 1.",
					Checks: []Check{{Text: "clean", OK: true}}},
			},
		}},
	}},
		Models: []Model{{Name: "2.6.34", Summary: "anon_vma_chain fixed", Design: "anon_vma_chain",
			Traits: []string{"Six fixes."}, Commits: []string{"5beb49305251"}, Fixes: []string{"oldest-anon-vma"}}},
		Fixes: []Fix{{Name: "oldest-anon-vma", Commit: "ea90002b0fa7", Title: "pick the oldest anon_vma"}},
	}
	files := fileMap(mustBuild(t, s))
	golden.Check(t, "testdata/tiny-index.html", files["index.html"])
	golden.Check(t, "testdata/tiny-story.html", files["tiny/index.html"])
	golden.Check(t, "testdata/tiny-model.html", files["model-2.6.34.html"])
}

// TestSearchIndex checks what search finds: each story, each step with its events,
// narration as plain text and diagram descriptions (each once), the models and the
// glossary; in a stable order.
func TestSearchIndex(t *testing.T) {
	data := fileMap(mustBuild(t, sampleSite()))[searchIndexPath]
	body := strings.TrimSuffix(strings.TrimPrefix(string(data), "window.avdocSearch="), ";\n")
	var entries [][3]string
	if err := json.Unmarshal([]byte(body), &entries); err != nil {
		t.Fatalf("search-index.js: %v\n%.300s", err, data)
	}
	want := [][3]string{
		{"fork/index.html", "Fork shares an anonymous page",
			"A child inherits its parent’s page and links to the parent’s anon_vma. fork basics 2.6.34 P maps one page; then it forks."},
		{"fork/index.html#step-1", "Fork shares an anonymous page, step 1",
			"spawn P; mmap P heap 1; write P:heap:0 P maps a page and writes it; the fault creates P’s anon_vma. " +
				"P's heap VMA points to anon_vma P:heap, which page 1 maps to."},
		{"overly-anonymous/index.html#step-1", "The overly anonymous anon_vma, step 1",
			"spawn P; mmap P heap 1; write P:heap:0; fork P C P forks C after writing its page. P and C share page 1."},
		{"overly-anonymous/index.html#step-2", "The overly anonymous anon_vma, step 2",
			"read C:heap:0 C reads the page back first. Page 1 points at anon_vma C:heap. Page 1 points at anon_vma P:heap."},
		{"model-2.6.34-rc3.html", "Kernel model 2.6.34-rc3",
			"anon_vma_chain as first merged anon_vma_chain None of the fixes of the 2.6.34 cycle."},
	}
	for _, w := range want {
		if !slices.Contains(entries, w) {
			t.Errorf("the search index lacks %q", w)
		}
	}
	var urls []string
	for _, e := range entries {
		urls = append(urls, e[0])
	}
	if i, j := slices.Index(urls, "fork/index.html#step-2"), slices.Index(urls, "glossary.html#avc"); i < 0 || j < 0 || i > j {
		t.Errorf("entries out of order (stories, then models, then the glossary): %q", urls)
	}
	if n := len(urls); n != (1+2)+(1+3)+3+len(glossaryTerms()) {
		t.Errorf("%d entries, want a story and its steps, each model and each glossary term", n)
	}
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
