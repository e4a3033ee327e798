// Package gv turns DOT text into SVG, or into a layout as JSON, with
// go-graphviz, Graphviz compiled to WebAssembly and run in-process. It is
// the only package of avdoc that imports go-graphviz, so that only
// binaries which really render pay for its start-up (the WebAssembly
// module is compiled in go-graphviz's init). It takes only the engines
// and formats avdoc uses: an unknown output format would leave
// go-graphviz unusable. Its PNG renderer is not offered: it draws these
// diagrams wrong.
package gv

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/avdoc/avdoc/internal/gvcache"
	"github.com/goccy/go-graphviz"
)

// go-graphviz has compiled Graphviz, with its cache where gvcache put it:
// $TMPDIR can be the user's again.
func init() { gvcache.Restore() }

// mu serializes every go-graphviz call in the process. go-graphviz runs
// all its work in one package-global WebAssembly instance that is not safe
// for concurrent use: two goroutines rendering at once, even through
// separate Graphviz values, panic or silently produce wrong output. This
// is the one package-level variable the package needs; render in separate
// processes to use more cores.
var mu sync.Mutex

// Renderer lays out DOT graphs with Graphviz and draws them as SVG or
// writes their layout as JSON. A Renderer is safe for concurrent use, but renders run one at a time
// across the whole process.
type Renderer struct {
	g *graphviz.Graphviz // nil once closed
}

// New returns a Renderer. Close it when done.
func New(ctx context.Context) (*Renderer, error) {
	mu.Lock()
	defer mu.Unlock()
	g, err := open(ctx)
	if err != nil {
		return nil, err
	}
	return &Renderer{g: g}, nil
}

// open makes a Graphviz context. The caller holds mu.
func open(ctx context.Context) (*graphviz.Graphviz, error) {
	g, err := graphviz.New(ctx)
	if err != nil {
		return nil, fmt.Errorf("gv: starting graphviz: %w", err)
	}
	return g, nil
}

// ErrClosed is returned by SVG and Render on a closed Renderer.
var ErrClosed = errors.New("gv: renderer is closed")

// Engine is a Graphviz layout engine avdoc uses.
type Engine string

// The engines: dot lays a graph out; nop keeps the nodes where their pos
// attributes put them and routes the edges; nop2 also keeps the edges'
// routes (see Graphviz's neato -n2).
const (
	DOT  Engine = "dot"
	NOP  Engine = "nop"
	NOP2 Engine = "nop2"
)

// Format is an output format avdoc asks Graphviz for. Only these are
// allowed: an unknown format leaves go-graphviz's instance unusable.
type Format string

// The formats.
const (
	SVG   Format = "svg"   // an SVG document
	JSON  Format = "json0" // the layout as JSON, without drawing operations
	Plain Format = "plain" // each node's place and size, a line each: the cheapest to write and read
)

// SVG lays dot out with the dot engine and returns it as an SVG document.
// DOT that does not parse gives an error naming the line Graphviz
// complained about.
func (r *Renderer) SVG(ctx context.Context, dot []byte) ([]byte, error) {
	return r.Render(ctx, dot, DOT, SVG)
}

// Render lays dot out with engine e and writes it in format f. After a
// failed render the Graphviz context is replaced, since a failure can
// leave it unusable.
func (r *Renderer) Render(ctx context.Context, dot []byte, e Engine, f Format) ([]byte, error) {
	if err := check(e, f); err != nil {
		return nil, err
	}
	mu.Lock()
	defer mu.Unlock()
	if r.g == nil {
		return nil, ErrClosed
	}
	r.g.SetLayout(graphviz.Layout(e))
	out, err := r.render(ctx, dot, graphviz.Format(f))
	if err != nil {
		if rerr := r.reopen(ctx); rerr != nil {
			return nil, errors.Join(err, rerr)
		}
		return nil, err
	}
	return out, nil
}

func check(e Engine, f Format) error {
	switch {
	case e != DOT && e != NOP && e != NOP2:
		return fmt.Errorf("gv: unknown layout engine %q", e)
	case f != SVG && f != JSON && f != Plain:
		return fmt.Errorf("gv: unknown output format %q", f)
	}
	return nil
}

// render parses, lays out and draws one graph. The caller holds mu.
func (r *Renderer) render(ctx context.Context, dot []byte, f graphviz.Format) ([]byte, error) {
	graph, err := graphviz.ParseBytes(dot)
	if err != nil {
		return nil, fmt.Errorf("gv: invalid DOT: %w", err)
	}
	if graph == nil { // go-graphviz returns no graph and no error for empty input
		return nil, errors.New("gv: invalid DOT: no graph in input")
	}
	defer graph.Close()
	var buf bytes.Buffer
	if err := r.g.Render(ctx, graph, f, &buf); err != nil {
		return nil, fmt.Errorf("gv: rendering %s: %w", f, err)
	}
	return buf.Bytes(), nil
}

// reopen replaces the Graphviz context after a failure. The caller holds mu.
func (r *Renderer) reopen(ctx context.Context) error {
	r.g.Close() // the old context may be broken; see Close for its result
	g, err := open(ctx)
	r.g = g // nil on failure: the Renderer is then closed
	return err
}

// Close releases the Graphviz context. Closing twice is harmless. It
// always returns nil: go-graphviz's own Close reports the number of errors
// Graphviz has seen process-wide, including parse errors that SVG already
// returned, so its result says nothing about the close itself.
func (r *Renderer) Close() error {
	mu.Lock()
	defer mu.Unlock()
	if r.g != nil {
		r.g.Close()
		r.g = nil
	}
	return nil
}
