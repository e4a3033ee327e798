package figure

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
)

// The PDF writer takes two things from the clock: the document's creation
// date, and each embedded font's modification date. normalize replaces
// both, so that the same figure is always the same file.

// epoch is the creation date every avdoc PDF gives.
const epoch = "/CreationDate (D:19700101000000Z)"

var (
	creationDate = regexp.MustCompile(`/CreationDate ?\(D:[0-9]{14}[^)]*\)`)
	fontFile     = regexp.MustCompile(`/FontFile2 ([0-9]+) 0 R`)
	xrefTable    = regexp.MustCompile(`(?s)\nxref\n0 [0-9]+\n(.*?)trailer`)
	startXref    = regexp.MustCompile(`startxref\n([0-9]+)\n`)
	xrefOffset   = regexp.MustCompile(`(?m)^[0-9]{10}`)
	streamLength = regexp.MustCompile(`/Length ([0-9]+)`)
)

// edit replaces doc[from:to] by with.
type edit struct {
	from, to int
	with     []byte
}

// normalize gives the PDF a fixed creation date and its fonts a fixed
// modification date, and moves the cross-reference offsets to match.
func normalize(doc []byte) ([]byte, error) {
	var edits []edit
	if loc := creationDate.FindIndex(doc); loc != nil {
		edits = append(edits, edit{loc[0], loc[1], []byte(epoch)})
	}
	for _, m := range fontFile.FindAllSubmatch(doc, -1) {
		e, err := fontEdit(doc, string(m[1]))
		if err != nil {
			return nil, fmt.Errorf("writing PDF: font %s: %w", m[1], err)
		}
		edits = append(edits, e)
	}
	return applyEdits(doc, edits)
}

// fontEdit rewrites the stream of object obj, a compressed TrueType
// font, with its head table's modification date set to its creation date.
func fontEdit(doc []byte, obj string) (edit, error) {
	start := bytes.Index(doc, []byte("\n"+obj+" 0 obj\n")) + 1 // the object, after the newline
	if start == 0 {
		return edit{}, fmt.Errorf("no object")
	}
	dictEnd := bytes.Index(doc[start:], []byte(">>stream\n"))
	if dictEnd < 0 {
		return edit{}, fmt.Errorf("no stream")
	}
	dict := doc[start : start+dictEnd]
	m := streamLength.FindSubmatchIndex(dict)
	if m == nil {
		return edit{}, fmt.Errorf("no stream length")
	}
	n, _ := strconv.Atoi(string(dict[m[2]:m[3]]))
	data := start + dictEnd + len(">>stream\n")
	if data+n > len(doc) {
		return edit{}, fmt.Errorf("stream length %d past the end", n)
	}
	font, err := inflate(doc[data : data+n])
	if err != nil {
		return edit{}, err
	}
	if err := fixHead(font); err != nil {
		return edit{}, err
	}
	z := deflate(font)
	with := slices.Concat(dict[:m[2]], []byte(strconv.Itoa(len(z))), dict[m[3]:], []byte(">>stream\n"), z)
	return edit{start, data + n, with}, nil
}

func inflate(b []byte) ([]byte, error) {
	r, err := zlib.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(io.LimitReader(r, 64<<20))
}

func deflate(b []byte) []byte {
	var out bytes.Buffer
	w := zlib.NewWriter(&out)
	w.Write(b) // a bytes.Buffer does not fail
	w.Close()
	return out.Bytes()
}

// fixHead sets a TrueType font's modification date to its creation date
// and recomputes the head table's checksum and the font's checksum
// adjustment, as the OpenType specification defines them.
func fixHead(font []byte) error {
	if len(font) < 12 {
		return fmt.Errorf("font too short")
	}
	be := binary.BigEndian
	for i := range int(be.Uint16(font[4:])) {
		rec := 12 + 16*i
		if rec+16 > len(font) {
			return fmt.Errorf("table directory past the end")
		}
		if string(font[rec:rec+4]) != "head" {
			continue
		}
		off, n := int(be.Uint32(font[rec+8:])), int(be.Uint32(font[rec+12:]))
		if off+max(n, 54) > len(font) {
			return fmt.Errorf("head table past the end")
		}
		head := font[off : off+n]
		copy(head[28:36], head[20:28]) // modified = created
		be.PutUint32(head[8:], 0)
		be.PutUint32(font[rec+4:], checksum(head))
		be.PutUint32(head[8:], 0xB1B0AFBA-checksum(font))
		return nil
	}
	return fmt.Errorf("no head table")
}

// checksum is the OpenType table checksum: the sum of big-endian uint32s,
// the last one padded with zeros.
func checksum(b []byte) uint32 {
	var sum uint32
	for i := 0; i < len(b); i += 4 {
		var w [4]byte
		copy(w[:], b[i:])
		sum += binary.BigEndian.Uint32(w[:])
	}
	return sum
}

// applyEdits applies edits, in the order of their places in doc, and
// moves every cross-reference offset and startxref past them.
func applyEdits(doc []byte, edits []edit) ([]byte, error) {
	slices.SortFunc(edits, func(a, b edit) int { return a.from - b.from })
	moved := func(at int) int {
		for _, e := range edits {
			if e.from < at {
				at += len(e.with) - (e.to - e.from)
			}
		}
		return at
	}
	var out []byte
	last := 0
	for _, e := range edits {
		out = append(append(out, doc[last:e.from]...), e.with...)
		last = e.to
	}
	out = append(out, doc[last:]...)
	x, s := xrefTable.FindSubmatchIndex(out), startXref.FindSubmatchIndex(out)
	if x == nil || s == nil {
		return nil, fmt.Errorf("writing PDF: no cross-reference table")
	}
	table := xrefOffset.ReplaceAllFunc(out[x[2]:x[3]], func(b []byte) []byte {
		n, _ := strconv.Atoi(string(b))
		return fmt.Appendf(nil, "%010d", moved(n))
	})
	n, _ := strconv.Atoi(string(out[s[2]:s[3]]))
	res := slices.Concat(out[:x[2]], table, out[x[3]:s[2]])
	return slices.Concat(res, []byte(strconv.Itoa(moved(n))), out[s[3]:]), nil
}
