package site

import (
	"strings"
	"testing"
)

// evil is put into every plain-text field; mdEvil into every Markdown field.
const (
	evil   = `<script>alert(1)</script> "q" 'a' ]]> {{.}} javascript:alert(1)`
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
	return Site{Title: evil, Stories: []Story{{
		Slug: "hostile", Title: evil, Summary: mdEvil, Tags: []string{evil}, Kernels: []string{evilKernel},
		Intro: mdEvil, Outro: mdEvil, Source: evil,
		Steps: []Step{{Narration: mdEvil, Events: []string{evil}, Frames: []Frame{frame}}},
	}}}
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
		if strings.Contains(strings.ToLower(doc), "<script") || strings.Contains(doc, "<iframe") {
			t.Errorf("%s contains an unescaped <script> or <iframe>", f.Path)
		}
	}
	assertFiles(t, files, `
-- index.html --
<title>&lt;script&gt;alert(1)&lt;/script&gt; &#34;q&#34; &#39;a&#39; ]]&gt; {{.}} javascript:alert(1)</title>
<h1>&lt;script&gt;alert(1)&lt;/script&gt;
<a href="hostile/index.html">&lt;script&gt;alert(1)&lt;/script&gt;
<span class="tag">&lt;script&gt;alert(1)&lt;/script&gt;
<code class="kernel">k&#34;&lt;script&gt;&#39;</code>
<a href="">click</a>
-- hostile/index.html --
<!-- raw HTML omitted -->
<a href="">click</a>
<a href="">ref</a>
<img src="" alt="pic">
<img src="step-1-k__script__.svg" alt="&#34; onerror=&#34;alert(7)&lt;script&gt;
<code class="kernel">k&#34;&lt;script&gt;&#39;</code>
<code>&lt;script&gt;alert(1)&lt;/script&gt; &#34;q&#34; &#39;a&#39; ]]&gt; {{.}} javascript:alert(1)</code>
<span class="detail">&lt;script&gt;alert(1)&lt;/script&gt;
<li>&lt;script&gt;alert(1)&lt;/script&gt;
<p>from <code>&lt;script&gt;
! href="javascript
! src="javascript
! <img src=x
! alert(5)
-- hostile/step-1-k__script__.svg --
diagram
`)
}

// TestScanTagsCatchesLiveContent makes sure the checker used above can fail.
func TestScanTagsCatchesLiveContent(t *testing.T) {
	tests := []struct {
		doc  string
		want string
	}{
		{`<p>ok</p><script>x</script>`, "element <script>"},
		{`<img src="a.svg" onerror="x">`, "attribute onerror on <img>"},
		{`<a href="javascript:alert(1)">x</a>`, "is not a relative URL"},
		{`<a href="https://example.com/">x</a>`, "is not a relative URL"},
		{`<p style="x">y</p>`, "attribute style on <p>"},
		{`<img src=x onerror=alert(1)>`, "cannot parse attributes"},
	}
	for _, tt := range tests {
		got := strings.Join(liveProblems(tt.doc), "; ")
		if !strings.Contains(got, tt.want) {
			t.Errorf("liveProblems(%q) = %q, want it to report %q", tt.doc, got, tt.want)
		}
	}
	if p := liveProblems(`<p class="a"><a href="x/index.html#step-1">y</a><img src="s.svg" alt="&#34; onerror=&#34;"></p>`); len(p) > 0 {
		t.Errorf("liveProblems flags safe markup: %q", p)
	}
}
