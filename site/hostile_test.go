package site

import (
	"encoding/json"
	"strings"
	"testing"
)

// evil is put into every plain-text field; mdEvil into every Markdown field. The line
// and paragraph separators (U+2028, U+2029) end a JavaScript string in older engines.
const (
	evil   = `<script>alert(1)</script> "q" 'a' ]]> {{.}} javascript:alert(1) </script><!-- \u2028 ` + "\u2028\u2029"
	mdEvil = evil + "\n\n" +
		"[click](javascript:alert(1)) [ref][r] <javascript:alert(2)> ![pic](javascript:alert(3))\n\n" +
		"<img src=x onerror=alert(4)>\n\n" +
		`<a href="javascript:alert(5)">raw</a> <iframe src="x"></iframe>` + "\n\n" +
		"[r]: JavaScript:alert(6)\n"
	evilKernel = `k"<script>'`
)

func hostileSite() Site {
	frame := Frame{
		Kernel:     evilKernel,
		SVG:        placeholderSVG("diagram"),
		Desc:       `" onerror="alert(7)` + evil,
		Log:        []string{evil},
		Checks:     []Check{{Text: evil, OK: true}, {Text: evil, Detail: evil}},
		Violations: []string{evil},
		Oopses:     []string{evil},
	}
	other := Frame{Kernel: "2.6.34", Desc: evil, Checks: []Check{{Text: evil, OK: true}}}
	return Site{
		Title: evil,
		Stories: []Story{{
			Slug: "hostile", Title: evil, Summary: mdEvil, Tags: []string{evil}, Kernels: []string{evilKernel, "2.6.34"},
			KernelInfo: []KernelInfo{{Model: evilKernel, Note: evil}, {Model: "2.6.34"}},
			Intro:      mdEvil, Outro: mdEvil, Source: evil,
			Steps: []Step{{Narration: mdEvil, Events: []string{evil}, Frames: []Frame{frame, other}, Differs: []string{evil}},
				{Narration: mdEvil, Frames: []Frame{frame, other}}},
		}},
		Models: []Model{{Name: evilKernel, Summary: evil, Design: evil, Traits: []string{evil},
			Commits: []string{evil}, Fixes: []string{evil}}},
		Fixes: []Fix{{Name: evil, Commit: evil, Title: evil}},
	}
}

// TestHostileInput: whatever the fields hold, no output page gains a live element,
// event handler or script URL; hostile text shows up escaped or not at all.
func TestHostileInput(t *testing.T) {
	files := mustBuild(t, hostileSite())
	for _, f := range files {
		if !strings.HasSuffix(f.Path, ".html") {
			continue
		}
		doc := string(f.Data)
		if p := liveProblems(doc); len(p) > 0 {
			t.Errorf("%s: live hostile content: %q", f.Path, p)
		}
		if strings.Count(strings.ToLower(doc), "<script") != 1 || strings.Contains(doc, "<iframe") {
			t.Errorf("%s contains an unescaped <script> or <iframe>", f.Path)
		}
	}
	assertFiles(t, files, `
-- index.html --
<title>&lt;script&gt;alert(1)&lt;/script&gt; &#34;q&#34; &#39;a&#39; ]]&gt; {{.}} javascript:alert(1) &lt;/script&gt;&lt;!--
<h1>&lt;script&gt;alert(1)&lt;/script&gt;
<a href="hostile/index.html">&lt;script&gt;alert(1)&lt;/script&gt;
<a class="tag" href="index.html?tag=%3Cscript%3Ealert%281%29%3C%2Fscript%3E&#43;%22q%22&#43;%27a%27&#43;%5D%5D%3E&#43;%7B%7B.%7D%7D&#43;javascript%3Aalert%281%29
<option>&lt;script&gt;alert(1)&lt;/script&gt;
<option>k&#34;&lt;script&gt;&#39;</option>
<a class="kernel" href="model-k__script__.html"><code>k&#34;&lt;script&gt;&#39;</code></a>
data-tags="[&#34;\u003cscript\u003ealert(1)\u003c/script\u003e
<a href="">click</a>
-- hostile/index.html --
<!-- raw HTML omitted -->
<a href="">click</a>
<a href="">ref</a>
<img src="" alt="pic">
<img src="step-1-k__script__.svg" alt="&#34; onerror=&#34;alert(7)&lt;script&gt;
<a class="kernel" href="../model-k__script__.html"><code>k&#34;&lt;script&gt;&#39;</code></a> <span class="note">(&lt;script&gt;
<figure class="frame bad" id="step-1/k__script__" data-kernel="k__script__">
<code>&lt;script&gt;alert(1)&lt;/script&gt; &#34;q&#34; &#39;a&#39; ]]&gt; {{.}} javascript:alert(1) &lt;/script&gt;&lt;!-- \u2028
<span class="detail">&lt;script&gt;alert(1)&lt;/script&gt;
<li>&lt;script&gt;alert(1)&lt;/script&gt;
<p>from <code>&lt;script&gt;
<div class="differs">
<li>Invariants broken: &lt;script&gt;alert(1)&lt;/script&gt;
<li>&lt;script&gt;alert(1)&lt;/script&gt; &#34;q&#34;
! href="javascript
! src="javascript
! <img src=x
! alert(5)
-- hostile/step-1-k__script__.svg --
diagram
-- model-k__script__.html --
<h1>Kernel model <code>k&#34;&lt;script&gt;&#39;</code></h1>
<p class="lead">&lt;script&gt;
<tr><td><code>&lt;script&gt;
-- models.html --
<td><a href="model-k__script__.html"><code>k&#34;&lt;script&gt;&#39;</code></a></td><td>&lt;script&gt;
`)
}

// TestHostileSearchIndex: story text in the search index stays inside its JSON
// string, whatever it holds: no '<' or '>' (so no </script> or <!--), no raw line
// separators, no quote left unescaped; and it reads back exactly as written.
func TestHostileSearchIndex(t *testing.T) {
	data := string(fileMap(mustBuild(t, hostileSite()))[searchIndexPath])
	body, ok := strings.CutPrefix(data, "window.avdocSearch=")
	body, ok2 := strings.CutSuffix(body, ";\n")
	if !ok || !ok2 {
		t.Fatalf("the search index is not window.avdocSearch=[...];\n:\n%.200s", data)
	}
	for _, bad := range []string{"<", ">", "\u2028", "\u2029"} {
		if strings.Contains(body, bad) {
			t.Errorf("the search index holds a raw %q", bad)
		}
	}
	var entries [][3]string
	if err := json.Unmarshal([]byte(body), &entries); err != nil {
		t.Fatalf("the search index is not a JSON list of [url, title, text]: %v", err)
	}
	var title, text bool
	for _, e := range entries {
		title = title || e[1] == evil
		text = text || strings.Contains(e[2], strings.TrimSpace(evil)) // TrimSpace: U+2028 is a space
		if strings.Contains(e[0], "<") || strings.Contains(e[0], ":") {
			t.Errorf("search result URL %q is not a plain relative URL", e[0])
		}
	}
	if !title || !text {
		t.Errorf("the story's hostile title (%v) and events (%v) do not read back exactly from the search index", title, text)
	}
}

// TestScanTagsCatchesLiveContent makes sure the checker used above can fail.
func TestScanTagsCatchesLiveContent(t *testing.T) {
	tests := []struct {
		doc  string
		want string
	}{
		{`<p>ok</p><script>x</script>`, "a script that is not the site's avdoc.js"},
		{`<p>ok</p><iframe src="a.html"></iframe>`, "element <iframe>"},
		{`<img src="a.svg" onerror="x">`, "attribute onerror on <img>"},
		{`<a href="javascript:alert(1)">x</a>`, "is not a relative URL"},
		{`<a href="https://example.com/">x</a>`, "is not a relative URL"},
		{`<p style="x">y</p>`, "attribute style on <p>"},
		{`<img src=x onerror=alert(1)>`, "cannot parse attributes"},
		{`<script src="x.js"></script>`, "a script that is not the site's avdoc.js"},
		{`<script>alert(1)</script>`, "a script that is not the site's avdoc.js"},
		{`<script src="../avdoc.js" async></script>`, "a script that is not the site's avdoc.js"},
	}
	for _, tt := range tests {
		got := strings.Join(liveProblems(tt.doc), "; ")
		if !strings.Contains(got, tt.want) {
			t.Errorf("liveProblems(%q) = %q, want it to report %q", tt.doc, got, tt.want)
		}
	}
	if p := liveProblems(`<script src="../avdoc.js"></script><p class="a"><a href="x/index.html#step-1">y</a><img src="s.svg" alt="&#34; onerror=&#34;"></p>`); len(p) > 0 {
		t.Errorf("liveProblems flags safe markup: %q", p)
	}
}
