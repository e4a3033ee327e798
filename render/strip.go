package render

import (
	"bytes"
	"errors"
	"fmt"
)

// The film strip's spacing, in points.
const (
	stripGap     = 24 // between frames
	stripCaption = 26 // the caption's band above each frame
	stripMargin  = 8  // around the whole strip
)

// Strip lays the SVGs Graphviz drew of a story's steps side by side in
// one document, each under its caption: a film strip for an article. The
// pictures must have distinct id prefixes ([Options.ID]), so that ids stay
// unique; info.Titles holds the titles of all of them. The strip's
// background and captions take the colours of theme.
func Strip(frames [][]byte, captions []string, info SVGInfo, theme Theme) ([]byte, error) {
	if len(frames) == 0 || len(frames) != len(captions) {
		return nil, errors.New("render: a film strip needs one caption per frame, and at least one frame")
	}
	docs := make([]svgDoc, len(frames))
	var w, h float64
	for i, f := range frames {
		d, err := parseSVG(f)
		if err != nil {
			return nil, fmt.Errorf("frame %d: %w", i+1, err)
		}
		docs[i], w, h = d, w+d.width, max(h, d.height)
	}
	w += float64(stripGap*(len(frames)-1) + 2*stripMargin)
	h += stripCaption + 2*stripMargin
	pal := paletteOf(theme)
	var b bytes.Buffer
	b.WriteString(xmlHeader)
	fmt.Fprintf(&b, `<svg width="%gpt" height="%gpt" viewBox="0 0 %g %g" %s>`+"\n", w, h, w, h, svgNS)
	info.head(&b)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="%s"/>`+"\n", pal[cBG])
	x := float64(stripMargin)
	for i, d := range docs {
		info.stripFrame(&b, d, x, captions[i], pal)
		x += d.width + stripGap
	}
	b.WriteString("</svg>\n")
	return b.Bytes(), nil
}

// stripFrame writes one frame of a film strip at x, under its caption.
func (info SVGInfo) stripFrame(b *bytes.Buffer, d svgDoc, x float64, caption string, pal palette) {
	fmt.Fprintf(b, `<text x="%g" y="%d" font-family="%s" font-size="14" font-weight="bold" fill="%s">%s</text>`+"\n",
		x, stripMargin+16, fontName, pal[cFG], escapeXML(caption))
	fmt.Fprintf(b, `<svg x="%g" y="%d" width="%g" height="%g" viewBox="%s">`+"\n", x, stripMargin+stripCaption, d.width, d.height, d.viewBox)
	b.WriteString(info.retitle(d.body))
	b.WriteString("</svg>\n")
}
