package render

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// SVGInfo is what [FinishSVG] and [Strip] add to Graphviz's SVG.
type SVGInfo struct {
	Title    string            // the document's title, e.g. the story, step and kernel
	Desc     string            // what it shows, in words (see [Picture.Describe])
	Titles   map[string]string // words for each element's <title>, by id (see [Picture.Titles])
	Adaptive bool              // switch to dark colours for readers who prefer them
}

// svgDoc is a Graphviz SVG taken apart: its size and what its root holds.
type svgDoc struct {
	width, height float64 // in points
	viewBox       string
	body          string // the content of the <svg> element
}

var (
	svgStart  = regexp.MustCompile(`(?s)<svg width="([0-9.]+)pt" height="([0-9.]+)pt"\s+viewBox="([0-9. -]+)"[^>]*>`)
	comment   = regexp.MustCompile(`<!--[^>]*-->\n?`)
	elemTitle = regexp.MustCompile(`(<g id="([^"]+)"[^>]*>\n<title>)[^<]*(</title>)`)
)

// parseSVG takes apart an SVG that Graphviz wrote.
func parseSVG(svg []byte) (svgDoc, error) {
	s := string(svg)
	m := svgStart.FindStringSubmatchIndex(s)
	end := strings.LastIndex(s, "</svg>")
	if m == nil || end < m[1] {
		return svgDoc{}, errors.New("render: not an SVG document from Graphviz")
	}
	w, _ := strconv.ParseFloat(s[m[2]:m[3]], 64)
	h, _ := strconv.ParseFloat(s[m[4]:m[5]], 64)
	// Graphviz writes "-" as "&#45;", in ids too; plain dashes keep ids
	// as the DOT gave them (comments, where "--" may not appear, are gone).
	body := strings.ReplaceAll(comment.ReplaceAllString(s[m[1]:end], ""), "&#45;", "-")
	return svgDoc{width: w, height: h, viewBox: s[m[6]:m[7]], body: body}, nil
}

// FinishSVG makes Graphviz's SVG of a picture a standalone document: a
// <title> and <desc> from info, a <title> in words for every element that
// info names, and the CSS of [Style]. Every text it adds is escaped.
func FinishSVG(svg []byte, info SVGInfo) ([]byte, error) {
	doc, err := parseSVG(svg)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString(xmlHeader)
	fmt.Fprintf(&b, `<svg width="%gpt" height="%gpt" viewBox="%s" %s>`+"\n", doc.width, doc.height, doc.viewBox, svgNS)
	info.head(&b)
	b.WriteString(info.retitle(doc.body))
	b.WriteString("</svg>\n")
	return b.Bytes(), nil
}

const (
	xmlHeader = `<?xml version="1.0" encoding="UTF-8" standalone="no"?>` + "\n"
	svgNS     = `xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" role="img"`
)

// head writes the document's title, description and style.
func (info SVGInfo) head(b *bytes.Buffer) {
	b.WriteString("<title>" + escapeXML(info.Title) + "</title>\n")
	b.WriteString("<desc>" + escapeXML(info.Desc) + "</desc>\n")
	b.WriteString("<style>\n" + Style(info.Adaptive) + "</style>\n")
}

// retitle replaces the <title> Graphviz gives each element (its DOT name)
// by the words info has for its id.
func (info SVGInfo) retitle(body string) string {
	return elemTitle.ReplaceAllStringFunc(body, func(m string) string {
		sub := elemTitle.FindStringSubmatch(m)
		t, ok := info.Titles[sub[2]]
		if !ok {
			return m
		}
		return sub[1] + escapeXML(t) + sub[3]
	})
}

// escapeXML escapes text for XML content or a double-quoted attribute.
// Characters XML cannot hold become U+FFFD.
func escapeXML(s string) string {
	return escape(s, map[rune]string{'&': "&amp;", '<': "&lt;", '>': "&gt;", '"': "&quot;", '\n': "\n", '\t': "\t"},
		func(r rune) bool { return isControl(r) || r == 0xFFFE || r == 0xFFFF })
}
