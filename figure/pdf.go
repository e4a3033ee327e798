package figure

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"

	"github.com/tdewolff/canvas/renderers/pdf"
)

// PDF prints the figure as a one-page PDF: vector shapes, the fonts
// embedded (subsets of Liberation Sans), the text searchable, the title
// in the document's information. The same figure gives the same bytes.
func (f *Figure) PDF(fonts *Fonts) ([]byte, error) {
	c := f.canvas(fonts)
	var b bytes.Buffer
	w, h := c.Size()
	p := pdf.New(&b, w, h, &pdf.Options{Compress: true, SubsetFonts: true})
	p.SetInfo(f.Title, f.Desc, "", "", "avdoc")
	c.RenderTo(p)
	if err := p.Close(); err != nil {
		return nil, fmt.Errorf("writing PDF: %w", err)
	}
	return fixedDate(b.Bytes())
}

var (
	creationDate = regexp.MustCompile(`/CreationDate ?\(D:[0-9]{14}[^)]*\)`)
	xrefTable    = regexp.MustCompile(`(?s)\nxref\n0 [0-9]+\n(.*?)trailer`)
	startXref    = regexp.MustCompile(`startxref\n([0-9]+)\n`)
	xrefOffset   = regexp.MustCompile(`(?m)^[0-9]{10}`)
)

// epoch is the creation date every avdoc PDF gives, so that the same
// figure is the same file.
const epoch = "/CreationDate (D:19700101000000Z)"

// fixedDate replaces the creation date the PDF writer took from the clock
// with [epoch], and moves the cross-reference offsets after it.
func fixedDate(doc []byte) ([]byte, error) {
	loc := creationDate.FindIndex(doc)
	if loc == nil {
		return doc, nil
	}
	delta := len(epoch) - (loc[1] - loc[0])
	out := append(append(append([]byte{}, doc[:loc[0]]...), epoch...), doc[loc[1]:]...)
	shift := func(s []byte) []byte {
		n, _ := strconv.Atoi(string(s))
		if n > loc[0] {
			n += delta
		}
		return fmt.Appendf(nil, "%010d", n)
	}
	x := xrefTable.FindSubmatchIndex(out)
	s := startXref.FindSubmatchIndex(out)
	if x == nil || s == nil {
		return nil, fmt.Errorf("writing PDF: no cross-reference table")
	}
	table := xrefOffset.ReplaceAllFunc(out[x[2]:x[3]], shift)
	start := bytes.TrimLeft(shift(out[s[2]:s[3]]), "0")
	res := append(append(append([]byte{}, out[:x[2]]...), table...), out[x[3]:s[2]]...)
	return append(append(res, start...), out[s[3]:]...), nil
}
