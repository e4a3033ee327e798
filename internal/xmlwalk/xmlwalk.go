// Package xmlwalk reads an XML document strictly, token by token, for the
// tests that check the SVG and HTML avdoc writes.
package xmlwalk

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
)

// Walk decodes data strictly and calls visit with each token and the
// elements open around it (for a start element, those around it, not
// itself). It returns the first error that makes data not well-formed.
func Walk(data []byte, visit func(stack []xml.StartElement, tok xml.Token)) error {
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	var stack []xml.StartElement
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		visit(stack, tok)
		switch t := tok.(type) {
		case xml.StartElement:
			stack = append(stack, t.Copy())
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
}
