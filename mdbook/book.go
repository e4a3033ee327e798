// Package mdbook is avdoc as an mdBook preprocessor: it replaces each
// {{#avdoc FILE}} directive in a book's chapters with the story, checked
// and drawn, and each {{#avdoc FILE step=N}} with one step's figure.
//
// mdBook runs a preprocessor with `[context, book]` as JSON on standard
// input and reads the book back from its standard output. Books have
// come in two shapes: mdBook up to 0.4 lists the book's items under
// "sections", 0.5 and later under "items"; both nest chapters as
// {"Chapter": {..., "content": "...", "sub_items": [...]}}. [Process]
// reads either, and writes the book back byte for byte as it came but for
// the content of the chapters it expanded directives in.
package mdbook

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
)

// Context is the part of mdBook's preprocessor context avdoc uses.
type Context struct {
	Root     string `json:"root"` // the book's root directory, where book.toml is
	Renderer string `json:"renderer"`
	Config   struct {
		Book struct {
			Src string `json:"src"` // the chapters' directory, relative to Root
		} `json:"book"`
	} `json:"config"`
}

// chapter is the content of one chapter in the book's JSON: where its
// JSON string is, and what it says.
type chapter struct {
	start, end int    // the content's JSON string, quotes included, in the book
	content    string // decoded
	source     string // the chapter's file, relative to the book's src; "" for a draft
	name       string
}

// Input splits mdBook's input into the context and the book, exactly as
// it came.
func Input(in []byte) (Context, []byte, error) {
	var ctx Context
	dec := json.NewDecoder(bytes.NewReader(in))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		return ctx, nil, errors.New("mdBook's input: want a JSON array [context, book]")
	}
	if err := dec.Decode(&ctx); err != nil {
		return ctx, nil, fmt.Errorf("mdBook's input: the context: %w", err)
	}
	var book json.RawMessage
	if err := dec.Decode(&book); err != nil {
		return ctx, nil, fmt.Errorf("mdBook's input: the book: %w", err)
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim(']') {
		return ctx, nil, errors.New("mdBook's input: want nothing after the book")
	}
	if _, err := dec.Token(); err != io.EOF {
		return ctx, nil, errors.New("mdBook's input: want nothing after [context, book]")
	}
	return ctx, book, nil
}

// chapters finds every chapter's content in the book, in the book's order.
func chapters(book []byte) ([]chapter, error) {
	w := walker{dec: json.NewDecoder(bytes.NewReader(book)), book: book}
	if err := w.value(false); err != nil {
		return nil, fmt.Errorf("mdBook's book: %w", err)
	}
	// A chapter is noted when its object ends, after its sub-chapters.
	slices.SortFunc(w.found, func(a, b chapter) int { return a.start - b.start })
	return w.found, nil
}

// walker walks the book's JSON token by token, so that it knows where
// each chapter's content is, byte for byte.
type walker struct {
	dec   *json.Decoder
	book  []byte
	found []chapter
}

// value walks one value; chapterBody says it is the object of a
// "Chapter" key.
func (w *walker) value(chapterBody bool) error {
	tok, err := w.dec.Token()
	if err != nil {
		return err
	}
	switch tok {
	case json.Delim('{'):
		return w.object(chapterBody)
	case json.Delim('['):
		for w.dec.More() {
			if err := w.value(false); err != nil {
				return err
			}
		}
		_, err = w.dec.Token()
	}
	return err
}

// object walks an object's members and its closing brace, noting a
// chapter's content, file and name.
func (w *walker) object(chapterBody bool) error {
	var ch chapter
	for w.dec.More() {
		key, err := w.dec.Token()
		if err != nil {
			return err
		}
		switch {
		case chapterBody && (key == "content" || key == "source_path" || key == "name"):
			err = w.chapterString(key.(string), &ch)
		default:
			err = w.value(key == "Chapter")
		}
		if err != nil {
			return err
		}
	}
	if chapterBody {
		w.found = append(w.found, ch)
	}
	_, err := w.dec.Token()
	return err
}

// chapterString reads a chapter's string member (null for a draft's
// file), and where the content's string starts and ends.
func (w *walker) chapterString(key string, ch *chapter) error {
	before := w.dec.InputOffset()
	tok, err := w.dec.Token()
	if err != nil {
		return err
	}
	s, isString := tok.(string)
	switch key {
	case "content":
		if !isString {
			return fmt.Errorf("a chapter's content is %v, not a string", tok)
		}
		ch.end = int(w.dec.InputOffset())
		ch.start = int(before) + bytes.IndexByte(w.book[before:ch.end], '"')
		ch.content = s
	case "source_path":
		ch.source = s
	case "name":
		ch.name = s
	}
	return nil
}

// splice writes the book with each chapter's content replaced by
// contents[i] where it is set.
func splice(book []byte, chs []chapter, contents []*string) ([]byte, error) {
	var out bytes.Buffer
	last := 0
	for i, ch := range chs {
		if contents[i] == nil {
			continue
		}
		enc, err := jsonString(*contents[i])
		if err != nil {
			return nil, err
		}
		out.Write(book[last:ch.start])
		out.Write(enc)
		last = ch.end
	}
	out.Write(book[last:])
	return out.Bytes(), nil
}

// jsonString encodes s as a JSON string, leaving <, > and & as they are.
func jsonString(s string) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}
