package gvpool

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/avdoc/avdoc/render/gv"
)

// The protocol between a Pool and a worker. Every integer is big-endian.
//
//	hello:    "AVGV" u16 version            each side sends one first
//	request:  u8 n | engine (n bytes) | u8 n | format (n bytes) | u32 n | DOT (n bytes)
//	response: u8 status | u32 n | payload (n bytes)
//
// A response's status is statusOK, its payload the output, or statusError,
// its payload Graphviz's error message. Requests and responses alternate,
// one at a time, until the pool closes the worker's standard input.
const (
	magic   = "AVGV"
	version = 1

	statusOK    = 0
	statusError = 1

	// maxPayload bounds a DOT graph or an output: a length past it can
	// only come from a garbled stream.
	maxPayload = 1 << 30
)

// hello is what each side writes first.
func hello() []byte {
	return binary.BigEndian.AppendUint16([]byte(magic), version)
}

// readHello reads the other side's hello. io.EOF means the stream ended
// cleanly before it.
func readHello(r io.Reader) error {
	var b [len(magic) + 2]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		if errors.Is(err, io.EOF) {
			return io.EOF
		}
		return fmt.Errorf("reading the hello: %w", err)
	}
	if string(b[:len(magic)]) != magic {
		return fmt.Errorf("not a render worker stream: it starts %q, not %q", b[:], magic)
	}
	if v := binary.BigEndian.Uint16(b[len(magic):]); v != version {
		return fmt.Errorf("protocol version %d, want %d", v, version)
	}
	return nil
}

// request is one render request.
type request struct {
	engine gv.Engine
	format gv.Format
	dot    []byte
}

func writeRequest(w io.Writer, q request) error {
	if len(q.engine) > 255 || len(q.format) > 255 {
		return fmt.Errorf("engine %.20q or format %.20q too long", q.engine, q.format)
	}
	if len(q.dot) > maxPayload {
		return fmt.Errorf("the DOT is %d bytes, more than the %d a request may carry", len(q.dot), maxPayload)
	}
	b := make([]byte, 0, 2+len(q.engine)+len(q.format)+4)
	b = append(append(b, byte(len(q.engine))), q.engine...)
	b = append(append(b, byte(len(q.format))), q.format...)
	b = binary.BigEndian.AppendUint32(b, uint32(len(q.dot)))
	if _, err := w.Write(b); err != nil {
		return err
	}
	_, err := w.Write(q.dot)
	return err
}

// readRequest reads a request. io.EOF means the stream ended cleanly,
// between requests.
func readRequest(r *bufio.Reader) (request, error) {
	var q request
	e, err := readShort(r)
	if err != nil {
		if errors.Is(err, io.EOF) {
			return q, io.EOF
		}
		return q, fmt.Errorf("reading the engine: %w", err)
	}
	f, err := readShort(r)
	if err != nil {
		return q, fmt.Errorf("reading the format: %w", noEOF(err))
	}
	dot, err := readPayload(r)
	if err != nil {
		return q, fmt.Errorf("reading the DOT: %w", err)
	}
	return request{engine: gv.Engine(e), format: gv.Format(f), dot: dot}, nil
}

// readShort reads a u8-length-prefixed string.
func readShort(r *bufio.Reader) (string, error) {
	n, err := r.ReadByte()
	if err != nil {
		return "", err
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", noEOF(err)
	}
	return string(b), nil
}

// readPayload reads a u32-length-prefixed payload. It grows its buffer as
// the bytes arrive, so a garbled length fails at the end of the stream
// rather than allocating up to maxPayload at once.
func readPayload(r io.Reader) ([]byte, error) {
	var nb [4]byte
	if _, err := io.ReadFull(r, nb[:]); err != nil {
		return nil, noEOF(err)
	}
	n := int64(binary.BigEndian.Uint32(nb[:]))
	if n > maxPayload {
		return nil, fmt.Errorf("length %d is past the limit of %d", n, maxPayload)
	}
	var buf bytes.Buffer
	buf.Grow(int(min(n, 1<<20)))
	if m, err := io.CopyN(&buf, r, n); err != nil {
		return nil, fmt.Errorf("after %d of %d bytes: %w", m, n, noEOF(err))
	}
	return buf.Bytes(), nil
}

func writeResponse(w io.Writer, status byte, payload []byte) error {
	if len(payload) > maxPayload {
		return fmt.Errorf("the output is %d bytes, more than the %d a response may carry", len(payload), maxPayload)
	}
	b := binary.BigEndian.AppendUint32([]byte{status}, uint32(len(payload)))
	if _, err := w.Write(b); err != nil {
		return err
	}
	_, err := w.Write(payload)
	return err
}

// readResponse reads a response: the output, or the worker's error
// message as renderErr. err is a broken stream.
func readResponse(r *bufio.Reader) (out []byte, renderErr error, err error) {
	status, err := r.ReadByte()
	if err != nil {
		return nil, nil, noEOF(err)
	}
	if status != statusOK && status != statusError {
		return nil, nil, fmt.Errorf("garbled response: status byte %#02x", status)
	}
	payload, err := readPayload(r)
	if err != nil {
		return nil, nil, fmt.Errorf("reading the response: %w", err)
	}
	if status == statusError {
		return nil, errors.New(string(payload)), nil
	}
	return payload, nil, nil
}

// noEOF turns io.EOF, which means a clean end between messages, into
// io.ErrUnexpectedEOF inside one.
func noEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// Renderer is what a worker renders with: in avdoc, a [gv.Renderer].
type Renderer interface {
	Render(ctx context.Context, dot []byte, e gv.Engine, f gv.Format) ([]byte, error)
}

// Serve is the worker's side of the protocol. It writes its hello, reads
// the pool's, then answers each request read from r with rd's output, or
// its error message, written to w, until r ends; then it returns nil. A
// render error is the request's answer, not Serve's: the worker goes on.
// It returns an error when r breaks off inside a request or does not speak
// the protocol, when w fails, when ctx is done (checked between
// requests), and when rd panics, since a panic may leave Graphviz
// unusable: the pool then starts a new worker.
//
// Nothing else in the worker may write to w: in avdoc it is standard
// output, which go-graphviz leaves alone (its WebAssembly module has no
// standard output).
func Serve(ctx context.Context, r io.Reader, w io.Writer, rd Renderer) error {
	br := bufio.NewReaderSize(r, 64<<10)
	bw := bufio.NewWriterSize(w, 64<<10)
	if _, err := bw.Write(hello()); err != nil {
		return fmt.Errorf("gvpool: writing the hello: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("gvpool: writing the hello: %w", err)
	}
	if err := readHello(br); err != nil {
		if err == io.EOF {
			return nil
		}
		return fmt.Errorf("gvpool: %w", err)
	}
	for n := 1; ; n++ {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("gvpool: serving: %w", err)
		}
		q, err := readRequest(br)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("gvpool: request %d: %w", n, err)
		}
		out, rerr := safeRender(ctx, rd, q)
		if p, ok := rerr.(panicked); ok {
			return fmt.Errorf("gvpool: request %d (%s, %s, %d bytes of DOT): %v", n, q.engine, q.format, len(q.dot), p.v)
		}
		if rerr != nil {
			err = writeResponse(bw, statusError, []byte(rerr.Error()))
		} else {
			err = writeResponse(bw, statusOK, out)
		}
		if err == nil {
			err = bw.Flush()
		}
		if err != nil {
			return fmt.Errorf("gvpool: answering request %d: %w", n, err)
		}
	}
}

// panicked is a panic of a Renderer, recovered.
type panicked struct{ v any }

func (p panicked) Error() string { return fmt.Sprintf("panic: %v", p.v) }

func safeRender(ctx context.Context, rd Renderer, q request) (out []byte, err error) {
	defer func() {
		if v := recover(); v != nil {
			out, err = nil, panicked{v}
		}
	}()
	return rd.Render(ctx, q.dot, q.engine, q.format)
}
