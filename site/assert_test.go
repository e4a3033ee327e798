package site

import (
	"fmt"
	"path"
	"regexp"
	"strings"
	"testing"
)

// assertFiles checks files against want, an inline txtar: each "-- path --" header names
// an output file that must exist, and each non-empty line under it must be a substring of
// that file (leading and trailing space ignored); a line starting with "! " must not be.
func assertFiles(t *testing.T, files []File, want string) {
	t.Helper()
	byPath := fileMap(files)
	for _, sec := range parseTxtar(t, want) {
		data, ok := byPath[sec.name]
		if !ok {
			t.Errorf("no file %s in output (have %s)", sec.name, strings.Join(paths(files), ", "))
			continue
		}
		for _, line := range sec.lines {
			assertLine(t, sec.name, string(data), line)
		}
	}
}

func assertLine(t *testing.T, name, data, line string) {
	t.Helper()
	line = strings.TrimSpace(line)
	if line == "" {
		return
	}
	if neg, ok := strings.CutPrefix(line, "! "); ok {
		if strings.Contains(data, neg) {
			t.Errorf("%s contains %q, it must not", name, neg)
		}
		return
	}
	if !strings.Contains(data, line) {
		t.Errorf("%s lacks %q", name, line)
	}
}

type txtarSection struct {
	name  string
	lines []string
}

// parseTxtar reads "-- name --" sections; text before the first header must be blank.
func parseTxtar(t *testing.T, s string) []txtarSection {
	t.Helper()
	var secs []txtarSection
	for _, line := range strings.Split(s, "\n") {
		trimmed := strings.TrimSpace(line)
		if name, ok := txtarHeader(trimmed); ok {
			secs = append(secs, txtarSection{name: name})
			continue
		}
		if len(secs) == 0 {
			if trimmed != "" {
				t.Fatalf("expectation %q comes before any -- file -- header", trimmed)
			}
			continue
		}
		secs[len(secs)-1].lines = append(secs[len(secs)-1].lines, line)
	}
	return secs
}

func txtarHeader(line string) (string, bool) {
	if !strings.HasPrefix(line, "-- ") || !strings.HasSuffix(line, " --") || len(line) < 7 {
		return "", false
	}
	return strings.TrimSpace(line[3 : len(line)-3]), true
}

func fileMap(files []File) map[string][]byte {
	m := make(map[string][]byte, len(files))
	for _, f := range files {
		m[f.Path] = f.Data
	}
	return m
}

func paths(files []File) []string {
	var ps []string
	for _, f := range files {
		ps = append(ps, f.Path)
	}
	return ps
}

// tag is one start or end tag found in an HTML file.
type tag struct {
	name  string
	end   bool
	attrs [][2]string // name, value
}

var (
	tagRE  = regexp.MustCompile(`<(/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>`)
	attrRE = regexp.MustCompile(`^\s+([a-zA-Z][a-zA-Z0-9:-]*)(?:="([^"<>]*)")?`)
)

// scanTags finds every tag of an HTML document as our templates and goldmark write it:
// attribute values always in double quotes. A tag it cannot parse is an error, so
// nothing can hide in a malformed tag.
func scanTags(doc string) ([]tag, error) {
	var tags []tag
	for _, m := range tagRE.FindAllStringSubmatch(doc, -1) {
		tg := tag{name: strings.ToLower(m[2]), end: m[1] == "/"}
		rest := strings.TrimSuffix(m[3], "/")
		for strings.TrimSpace(rest) != "" {
			a := attrRE.FindStringSubmatch(rest)
			if a == nil {
				return nil, fmt.Errorf("cannot parse attributes of %q", m[0])
			}
			tg.attrs = append(tg.attrs, [2]string{strings.ToLower(a[1]), a[2]})
			rest = rest[len(a[0]):]
		}
		tags = append(tags, tg)
	}
	return tags, nil
}

// allowedTags are the elements the templates and goldmark (GFM) may emit.
var allowedTags = map[string]bool{
	"html": true, "head": true, "meta": true, "title": true, "link": true, "body": true,
	"header": true, "main": true, "footer": true, "nav": true, "section": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"p": true, "div": true, "span": true, "a": true, "code": true, "pre": true,
	"ul": true, "ol": true, "li": true, "em": true, "strong": true, "del": true,
	"br": true, "hr": true, "blockquote": true, "figure": true, "figcaption": true,
	"img": true, "details": true, "summary": true, "input": true,
	"button": true, "label": true, "select": true, "option": true, "dl": true, "dt": true, "dd": true,
	"script": true, // only the site's own, see scriptProblem
	"table":  true, "thead": true, "tbody": true, "tr": true, "th": true, "td": true,
}

// liveProblems lists what could run script or load something in an HTML document: an
// unknown element, an on* attribute, a style attribute, or a URL with a script scheme.
func liveProblems(doc string) []string {
	tags, err := scanTags(doc)
	if err != nil {
		return []string{err.Error()}
	}
	var probs []string
	for _, tg := range tags {
		if !allowedTags[tg.name] {
			probs = append(probs, fmt.Sprintf("element <%s>", tg.name))
		}
		if p := scriptProblem(tg); p != "" {
			probs = append(probs, p)
		}
		for _, a := range tg.attrs {
			if p := attrProblem(tg.name, a[0], a[1]); p != "" {
				probs = append(probs, p)
			}
		}
	}
	return probs
}

// scriptProblem reports a script element other than the site's own: exactly
// <script src="avdoc.js">, from the root or a story folder.
func scriptProblem(tg tag) string {
	if tg.name != "script" || tg.end {
		return ""
	}
	if len(tg.attrs) != 1 || tg.attrs[0][0] != "src" || (tg.attrs[0][1] != "avdoc.js" && tg.attrs[0][1] != "../avdoc.js") {
		return fmt.Sprintf("a script that is not the site's avdoc.js: %q", tg.attrs)
	}
	return ""
}

func attrProblem(tagName, name, value string) string {
	v := strings.ToLower(strings.TrimSpace(value))
	switch {
	case strings.HasPrefix(name, "on"), name == "style", name == "srcdoc", name == "formaction":
		return fmt.Sprintf("attribute %s on <%s>", name, tagName)
	case tagName == "a" && name == "href" && isCommitLink(value):
		return "" // a kernel commit: the one kind of link that leaves the site
	case (name == "href" || name == "src") && strings.Contains(v, ":"):
		return fmt.Sprintf("<%s %s=%q> is not a relative URL", tagName, name, value)
	}
	return ""
}

// links returns every href and src of an HTML document, skipping the page's own
// fragment-only links to ids checked separately.
func links(doc string) ([][2]string, error) {
	tags, err := scanTags(doc)
	if err != nil {
		return nil, err
	}
	var out [][2]string
	for _, tg := range tags {
		for _, a := range tg.attrs {
			if a[0] == "href" || a[0] == "src" {
				out = append(out, [2]string{tg.name, a[1]})
			}
		}
	}
	return out, nil
}

// ids returns the id attributes of an HTML document, in order.
func ids(doc string) []string {
	tags, _ := scanTags(doc)
	var out []string
	for _, tg := range tags {
		for _, a := range tg.attrs {
			if a[0] == "id" {
				out = append(out, a[1])
			}
		}
	}
	return out
}

// resolve joins a relative link to the directory of the file it appears in, dropping
// any query.
func resolve(from, link string) (file, frag string) {
	file, frag, _ = strings.Cut(link, "#")
	file, _, _ = strings.Cut(file, "?")
	if file == "" {
		return from, frag
	}
	return path.Join(path.Dir(from), file), frag
}

// isCommitLink reports whether link is the address of a mainline kernel commit, as the
// model pages link them.
func isCommitLink(link string) bool {
	return strings.HasPrefix(link, commitPrefix) && commitURL(strings.TrimPrefix(link, commitPrefix)) == link
}

// withoutCommitLinks is doc without the addresses of kernel commits in its links.
func withoutCommitLinks(doc string) string {
	var b strings.Builder
	for {
		i := strings.Index(doc, `href="`+commitPrefix)
		if i < 0 {
			return b.String() + doc
		}
		b.WriteString(doc[:i])
		doc = doc[i+len(`href="`):]
		end := strings.IndexByte(doc, '"')
		if end < 0 || !isCommitLink(doc[:end]) {
			b.WriteString(`href="`)
			continue
		}
		b.WriteString(`href=""`)
		doc = doc[end+1:]
	}
}
