package figure

import (
	"bytes"
	"fmt"

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
	return normalize(b.Bytes())
}
