package site

import (
	"bytes"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// glossaryLinker links the first mention of each glossary term in a Markdown document to
// the term's entry. It works on goldmark's syntax tree, after parsing and before
// rendering, so it never changes what the Markdown means: it only wraps plain text and
// whole code spans, never inside a link, an image or a code span.
type glossaryLinker struct {
	terms []term
	href  string // prefix of every link, e.g. "../glossary.html#"
}

// link adds the links to doc, whose text lies in source.
func (l glossaryLinker) link(doc ast.Node, source []byte) {
	done := map[string]bool{} // term ids linked already; only looked up
	for _, n := range linkable(doc) {
		switch n := n.(type) {
		case *ast.CodeSpan:
			l.linkCode(n, source, done)
		case *ast.Text:
			l.linkText(n, source, done)
		}
	}
}

// linkable returns, in document order, the text nodes and code spans outside links and
// images. It collects them first, since linking changes the tree.
func linkable(doc ast.Node) []ast.Node {
	var out []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Link, *ast.AutoLink, *ast.Image, *ast.RawHTML, *ast.HTMLBlock, *ast.CodeBlock, *ast.FencedCodeBlock:
			return ast.WalkSkipChildren, nil
		case *ast.CodeSpan:
			out = append(out, n)
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			mergeFollowing(n)
			out = append(out, n)
		}
		return ast.WalkContinue, nil
	})
	return out
}

// mergeFollowing joins to t the text nodes right after it whose text follows its own in
// the source: goldmark splits text at characters that might have been emphasis, such
// as the '_' of anon_vma. Rendering is the same; a term can then be found whole.
func mergeFollowing(t *ast.Text) {
	for {
		next, ok := t.NextSibling().(*ast.Text)
		if !ok || t.IsRaw() || next.IsRaw() || t.SoftLineBreak() || t.HardLineBreak() || next.Segment.Start != t.Segment.Stop {
			return
		}
		t.Segment = text.NewSegment(t.Segment.Start, next.Segment.Stop)
		t.SetSoftLineBreak(next.SoftLineBreak())
		t.SetHardLineBreak(next.HardLineBreak())
		t.Parent().RemoveChild(t.Parent(), next)
	}
}

// linkCode wraps a code span that holds exactly a term, such as `anon_vma` or
// `anon_vma_prepare()`, in a link.
func (l glossaryLinker) linkCode(cs *ast.CodeSpan, source []byte, done map[string]bool) {
	var b bytes.Buffer
	for c := cs.FirstChild(); c != nil; c = c.NextSibling() {
		if t, ok := c.(*ast.Text); ok {
			b.Write(t.Segment.Value(source))
		}
	}
	code := strings.TrimSuffix(strings.TrimSpace(b.String()), "()")
	for _, t := range l.terms {
		if !done[t.ID] && codeMatches(t, code) {
			done[t.ID] = true
			parent := cs.Parent()
			a := l.anchor(t)
			parent.ReplaceChild(parent, cs, a)
			a.AppendChild(a, cs)
			return
		}
	}
}

// codeMatches reports whether code is one of the words t links.
func codeMatches(t term, code string) bool {
	for _, m := range t.Match {
		if m == code {
			return true
		}
	}
	return false
}

// linkText links the first mention of each term not linked yet in a text node, splitting
// it around the mentions: the node keeps the text before, and the link and the rest
// follow it; the rest takes over the node's line break.
func (l glossaryLinker) linkText(t *ast.Text, source []byte, done map[string]bool) {
	for t != nil {
		seg := t.Segment
		s := string(seg.Value(source))
		at, n, tm := l.first(s, done)
		if tm == nil {
			return
		}
		done[tm.ID] = true
		rest := ast.NewTextSegment(text.NewSegment(seg.Start+at+n, seg.Stop))
		rest.SetSoftLineBreak(t.SoftLineBreak())
		rest.SetHardLineBreak(t.HardLineBreak())
		a := l.anchor(*tm)
		a.AppendChild(a, ast.NewTextSegment(text.NewSegment(seg.Start+at, seg.Start+at+n)))
		t.Segment = text.NewSegment(seg.Start, seg.Start+at)
		t.SetSoftLineBreak(false)
		t.SetHardLineBreak(false)
		parent := t.Parent()
		parent.InsertAfter(parent, t, a)
		parent.InsertAfter(parent, a, rest)
		t = rest
	}
}

// first finds the earliest mention in s of a term not in done, the longest at that
// place: its offset, its length and the term; nil if there is none.
func (l glossaryLinker) first(s string, done map[string]bool) (at, n int, found *term) {
	lower := asciiLower(s)
	at = len(s)
	for i := range l.terms {
		t := &l.terms[i]
		if done[t.ID] {
			continue
		}
		for _, m := range t.Match {
			hay := s
			if m == asciiLower(m) {
				hay = lower
			}
			if j := wordIndex(hay, m); j >= 0 && (j < at || j == at && len(m) > n) {
				at, n, found = j, len(m), t
			}
		}
	}
	return at, n, found
}

// wordIndex is the offset of the first occurrence of word in s that is not part of a
// longer word (letters, digits and '_'), or -1.
func wordIndex(s, word string) int {
	for from := 0; from <= len(s)-len(word); {
		j := strings.Index(s[from:], word)
		if j < 0 {
			return -1
		}
		j += from
		end := j + len(word)
		if (j == 0 || !isWordByte(s[j-1])) && (end == len(s) || !isWordByte(s[end])) {
			return j
		}
		from = j + 1
	}
	return -1
}

// isWordByte reports whether c can be part of a word: a letter, a digit or '_'.
func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

// asciiLower lowers ASCII letters only, so that byte offsets stay those of s.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// anchor is an empty link to a term's entry.
func (l glossaryLinker) anchor(t term) *ast.Link {
	a := ast.NewLink()
	a.Destination = []byte(l.href + t.ID)
	a.SetAttributeString("class", []byte("gl"))
	return a
}
