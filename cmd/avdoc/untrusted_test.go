package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/avdoc/avdoc/internal/xmlwalk"
)

// untrustedStory puts HTML, SVG, DOT, XML and Markdown metacharacters, and
// script in every form, into every text a story holds: title, summary,
// tags, intro, outro, narration and a custom kernel's name. Every payload
// carries the marker PWN, which must never reach the output as markup.
const untrustedStory = `title: "<script>alert('PWN1')</script> \" \\ ]]> { } {{.}} javascript:alert('PWN2')\nsecond line"
summary: |
  <script>alert("PWN3")</script> [click](javascript:alert('PWN4')) <img src=x onerror="alert('PWN5')">
  ]]> {{.}} \ " <a href="javascript:alert('PWN6')">x</a> <javascript:alert('PWN7')>
kernels:
  - {name: 'k"/><script>PWN8</script>{]]>\', base: 2.6.34}
tags: ["<b onmouseover=PWN9>t</b>", "javascript:PWN10", "a\"b\\c"]
intro: |
  <iframe src="javascript:PWN11"></iframe> <style>body{background:url(PWN12)}</style>
  [x](JaVaScRiPt:alert('PWN13')) ![i](javascript:PWN14) <svg onload=PWN15>
outro: |
  [ref][r] and <!-- PWN16 --> and <?xml PWN17?> and <![CDATA[ PWN18 ]]>

  [r]: javascript:PWN19
steps:
  - do: [spawn P, mmap P heap 1, write P:heap:0]
    say: |
      <a href="&#106;avascript:PWN20">entity-encoded</a> <a href=" javascript:PWN21">space</a>
      digraph { PWN22 [label=<<b>x</b>>] } "quoted \" \\" \{ \} ]]> <svg><script>PWN23</script></svg>
    expect: [clean]
  - do: fork P C
    say: "a\nb\r\nc\u2028d <div style=\"x:expression(PWN24)\">"
    expect: [clean]
`

// untrustedFileName is the story's file name: a file name shows on its page.
const untrustedFileName = `x"><img src=x onerror=PWN25>.yaml`

// TestUntrustedStoryBuild builds the hostile story with the real avdoc
// build and checks every file it wrote: no element, attribute or URL of
// the story's making is live in any HTML page or SVG diagram; its text
// shows escaped, or not at all.
func TestUntrustedStoryBuild(t *testing.T) {
	work := t.TempDir()
	mustWrite(t, filepath.Join(work, "in", untrustedFileName), untrustedStory)
	code, _, stderr := avdoc(t, work, "build", "-o", "site", "in")
	if code != exitOK {
		t.Fatalf("build: exit %d\n%s", code, stderr)
	}
	files := treeFiles(t, filepath.Join(work, "site"))
	var pages, svgs int
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(work, "site", f))
		if err != nil {
			t.Fatal(err)
		}
		var problems []string
		switch filepath.Ext(f) {
		case ".html":
			pages++
			problems = htmlProblems(string(data))
		case ".svg":
			svgs++
			problems = svgProblems(data)
		case ".js":
			problems = scriptFileProblems(f, data)
		}
		for _, p := range problems {
			t.Errorf("%s: %s", f, p)
		}
	}
	if pages < 2 || svgs < 2 {
		t.Fatalf("the build wrote %d pages and %d diagrams: %v", pages, svgs, files)
	}
	page, err := os.ReadFile(filepath.Join(work, "site", "x-img-src-x-onerror-pwn25", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), "&lt;script&gt;alert(") {
		t.Error("the story's title is not on its page, escaped")
	}
}

// TestLiveMarkupCheckers: the checkers of TestUntrustedStoryBuild find live
// markup where there is some, and pass escaped text.
func TestLiveMarkupCheckers(t *testing.T) {
	for _, doc := range []string{
		`<p>PWN</p><script>x</script>`,
		`<img src=x onerror=alert(1)>`,
		`<a href="javascript:x">`,
		`<a href="&#106;avascript:x">`,
		`<a HREF=' JavaScript:x'>`,
		`<b class=x PWN=1>`,
		`<PWN>`,
		`<style>a{b:PWN}</style>`,
		`<div style="color:PWN">`,
		`<script src="x.js"></script>`,
		`<script src="../avdoc.js">alert(1)</script>`,
		`<script src="../avdoc.js" onload="x"></script>`,
	} {
		if len(htmlProblems(doc)) == 0 {
			t.Errorf("htmlProblems(%q) found nothing", doc)
		}
	}
	if p := htmlProblems(`<script src="../avdoc.js"></script><p title="&lt;script&gt; PWN">&lt;script&gt;PWN &amp; javascript:x</p><!-- c -->`); len(p) > 0 {
		t.Errorf("escaped text reported: %q", p)
	}
	for _, doc := range []string{
		`<svg><script>x</script></svg>`,
		`<svg onload="x"/>`,
		`<svg xmlns:xlink="http://www.w3.org/1999/xlink"><a xlink:href="javascript:x"/></svg>`,
		`<svg><foreignObject/></svg>`,
		`<svg><text>unclosed</svg>`,
		`<svg><PWN/></svg>`,
	} {
		if len(svgProblems([]byte(doc))) == 0 {
			t.Errorf("svgProblems(%q) found nothing", doc)
		}
	}
	for _, js := range []string{"window.avdocSearch=[\"</script>\"];\n", "window.avdocSearch=[\"\u2028\"];\n", "alert(1);\n"} {
		if len(scriptFileProblems("search-index.js", []byte(js))) == 0 {
			t.Errorf("scriptFileProblems(%q) found nothing", js)
		}
	}
	if p := scriptFileProblems("search-index.js", []byte("window.avdocSearch=[\"\\u003c/script\\u003e PWN\"];\n")); len(p) > 0 {
		t.Errorf("escaped search index reported: %q", p)
	}
	if p := svgProblems([]byte(`<svg><title>&lt;script&gt; PWN ]]&gt;</title><text x="PWN">javascript:x</text></svg>`)); len(p) > 0 {
		t.Errorf("escaped text reported: %q", p)
	}
}

// marker is in every payload of the hostile story.
const payloadMark = "PWN"

// tagAttr is one attribute of an HTML tag, its value unescaped.
type tagAttr struct{ name, value string }

// htmlProblems scans an HTML document as a browser's tokenizer would,
// tag by tag, and reports what is live and should not be: scripts and
// frames, event handlers, script URLs (however encoded), and any tag,
// attribute, style or script that carries the marker.
func htmlProblems(doc string) []string {
	var out []string
	for doc != "" {
		i := strings.IndexByte(doc, '<')
		if i < 0 {
			break
		}
		doc = doc[i:]
		switch {
		case strings.HasPrefix(doc, "<!--"):
			doc = skipPast(doc, "-->")
		case strings.HasPrefix(doc, "<!") || strings.HasPrefix(doc, "<?"):
			doc = skipPast(doc, ">")
		case strings.HasPrefix(doc, "</"):
			doc = skipPast(doc, ">")
		case len(doc) > 1 && isLetter(doc[1]):
			name, attrs, rest := scanTag(doc[1:])
			own := name == "script" && isOwnScript(attrs)
			if !own {
				out = append(out, tagProblems(name, attrs)...)
			}
			doc = rest
			if name == "script" || name == "style" || name == "textarea" || name == "title" {
				end := strings.Index(strings.ToLower(doc), "</"+name)
				if end < 0 {
					end = len(doc)
				}
				if own && doc[:end] != "" {
					out = append(out, fmt.Sprintf("the site's <script> holds code: %q", doc[:end]))
				}
				if name != "title" && name != "textarea" && strings.Contains(doc[:end], payloadMark) {
					out = append(out, fmt.Sprintf("<%s> holds the marker: %q", name, doc[:end]))
				}
				doc = doc[end:]
			}
		default:
			doc = doc[1:] // a '<' that starts no tag is text
		}
	}
	return out
}

// isOwnScript reports whether a script element is the site's own script,
// avdoc.js, loaded by src and nothing else.
func isOwnScript(attrs []tagAttr) bool {
	return len(attrs) == 1 && attrs[0].name == "src" && (attrs[0].value == "avdoc.js" || attrs[0].value == "../avdoc.js")
}

// scriptFileProblems checks the site's scripts: avdoc.js holds nothing of the
// story's; the search index is one JSON value assigned to window.avdocSearch, in
// which no story text can end the script or its string.
func scriptFileProblems(name string, data []byte) []string {
	doc := string(data)
	if name == "avdoc.js" {
		if strings.Contains(doc, payloadMark) {
			return []string{"avdoc.js holds the marker"}
		}
		return nil
	}
	body, ok := strings.CutPrefix(doc, "window.avdocSearch=")
	body, ok2 := strings.CutSuffix(body, ";\n")
	var v []any
	if !ok || !ok2 || json.Unmarshal([]byte(body), &v) != nil {
		return []string{"not window.avdocSearch=JSON;"}
	}
	if strings.ContainsAny(body, "<>\u2028\u2029") {
		return []string{"the search index holds a raw <, >, U+2028 or U+2029"}
	}
	return nil
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func skipPast(s, end string) string {
	if i := strings.Index(s, end); i >= 0 {
		return s[i+len(end):]
	}
	return ""
}

// scanTag reads a start tag after its '<': its name, its attributes, and
// what follows its '>'.
func scanTag(s string) (name string, attrs []tagAttr, rest string) {
	n := strings.IndexAny(s, " \t\n\r\f/>")
	if n < 0 {
		return strings.ToLower(s), nil, ""
	}
	name, s = strings.ToLower(s[:n]), s[n:]
	for {
		s = strings.TrimLeft(s, " \t\n\r\f/")
		if s == "" || s[0] == '>' {
			return name, attrs, strings.TrimPrefix(s, ">")
		}
		n := strings.IndexAny(s, " \t\n\r\f/>=")
		if n < 0 {
			n = len(s)
		}
		a := tagAttr{name: strings.ToLower(s[:n])}
		s = strings.TrimLeft(s[n:], " \t\n\r\f")
		if strings.HasPrefix(s, "=") {
			a.value, s = scanValue(strings.TrimLeft(s[1:], " \t\n\r\f"))
		}
		attrs = append(attrs, a)
	}
}

// scanValue reads an attribute's value, quoted or not, and unescapes it.
func scanValue(s string) (value, rest string) {
	if s != "" && (s[0] == '"' || s[0] == '\'') {
		end := strings.IndexByte(s[1:], s[0])
		if end < 0 {
			return html.UnescapeString(s[1:]), ""
		}
		return html.UnescapeString(s[1 : 1+end]), s[2+end:]
	}
	n := strings.IndexAny(s, " \t\n\r\f>")
	if n < 0 {
		n = len(s)
	}
	return html.UnescapeString(s[:n]), s[n:]
}

// tagProblems reports what is live in one tag.
func tagProblems(name string, attrs []tagAttr) []string {
	var out []string
	switch name {
	case "script", "iframe", "object", "embed", "frame", "base", "form":
		out = append(out, "a <"+name+"> element")
	}
	if strings.Contains(strings.ToUpper(name), payloadMark) {
		out = append(out, "a tag of the story's making: <"+name+">")
	}
	for _, a := range attrs {
		out = append(out, attrProblems(name, a.name, a.value)...)
	}
	return out
}

// attrProblems reports what is live in one attribute, of HTML or SVG.
func attrProblems(tag, name, value string) []string {
	var out []string
	lower := strings.ToLower(name)
	switch {
	case strings.HasPrefix(lower, "on"):
		out = append(out, fmt.Sprintf("an event handler: <%s %s=%q>", tag, name, value))
	case strings.Contains(strings.ToUpper(name), payloadMark):
		out = append(out, fmt.Sprintf("an attribute of the story's making: <%s %s>", tag, name))
	case lower == "style" && strings.Contains(value, payloadMark):
		out = append(out, fmt.Sprintf("a style of the story's making: <%s style=%q>", tag, value))
	}
	if isURLAttr(lower) && isScriptURL(value) {
		out = append(out, fmt.Sprintf("a script URL: <%s %s=%q>", tag, name, value))
	}
	return out
}

func isURLAttr(name string) bool {
	switch name {
	case "href", "src", "xlink:href", "action", "formaction", "poster", "data", "srcset":
		return true
	}
	return false
}

// isScriptURL reports whether a browser would run a URL as script: its
// scheme, ignoring case, blanks and control characters, is javascript
// or vbscript.
func isScriptURL(u string) bool {
	u = strings.Map(func(r rune) rune {
		if r <= ' ' {
			return -1
		}
		return r
	}, strings.ToLower(u))
	return strings.HasPrefix(u, "javascript:") || strings.HasPrefix(u, "vbscript:")
}

// svgProblems parses an SVG document as XML, strictly, and reports
// scripts, foreign HTML, event handlers, script links, and elements,
// attributes or styles of the story's making.
func svgProblems(doc []byte) []string {
	var out []string
	var inStyle bool
	err := xmlwalk.Walk(doc, func(_ []xml.StartElement, tok xml.Token) {
		switch tok := tok.(type) {
		case xml.StartElement:
			name := tok.Name.Local
			inStyle = name == "style"
			if name == "script" || name == "foreignObject" || strings.Contains(strings.ToUpper(name), payloadMark) {
				out = append(out, "a <"+name+"> element")
			}
			for _, a := range tok.Attr {
				attr := a.Name.Local
				if a.Name.Space == "http://www.w3.org/1999/xlink" || a.Name.Space == "xlink" {
					attr = "xlink:" + attr
				}
				out = append(out, attrProblems(name, attr, a.Value)...)
			}
		case xml.EndElement:
			inStyle = false
		case xml.CharData:
			if inStyle && bytes.Contains(tok, []byte(payloadMark)) {
				out = append(out, fmt.Sprintf("a style of the story's making: %q", tok))
			}
		}
	})
	if err != nil {
		out = append(out, "not well-formed XML: "+err.Error())
	}
	return out
}
