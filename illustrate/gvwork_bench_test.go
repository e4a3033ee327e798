package illustrate

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/avdoc/avdoc/render/gv"
)

// BenchmarkGraphvizWork times the Graphviz work of drawing every shipped
// story, alone: every graph avdoc gives Graphviz, recorded once while
// drawing them all as the site does, then rendered again, by kind:
// "sizes" (nop, every node's looks measured), "layouts" (dot, each
// scene's union laid out) and "pieces" (nop2, every look drawn once).
// It is the part of a build avdoc cannot speed up but by asking
// Graphviz less. With AVDOC_BENCH_GRAPHS set to a directory it also
// writes the graphs there, kind/N.gv, for bench/graphviz to give them to
// native Graphviz.
func BenchmarkGraphvizWork(b *testing.B) {
	files, err := filepath.Glob("../stories/*.yaml")
	if err != nil || len(files) == 0 {
		b.Fatalf("no stories: %v", err)
	}
	ctx := context.Background()
	rec := &recorder{g: newGraphviz(b)}
	for _, f := range files {
		if _, err := Draw(ctx, rec, load(b, f), SiteStyle()); err != nil {
			b.Fatal(err)
		}
	}
	if dir := os.Getenv("AVDOC_BENCH_GRAPHS"); dir != "" {
		rec.write(b, dir)
	}
	for _, k := range graphKinds {
		b.Run(k.name, func(b *testing.B) {
			for b.Loop() {
				for _, dot := range rec.graphs[k.name] {
					if _, err := rec.g.Render(ctx, dot, k.engine, k.format); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(len(rec.graphs[k.name])), "graphs")
		})
	}
}

// graphKinds are the kinds of Graphviz work a story's drawing does.
var graphKinds = []struct {
	name   string
	engine gv.Engine
	format gv.Format
}{
	{"sizes", gv.NOP, gv.Plain},
	{"layouts", gv.DOT, gv.JSON},
	{"pieces", gv.NOP2, gv.SVG},
}

// recorder renders with g and keeps every graph it was given, by kind.
type recorder struct {
	g      *gv.Renderer
	mu     sync.Mutex
	graphs map[string][][]byte
}

func (r *recorder) Render(ctx context.Context, dot []byte, e gv.Engine, f gv.Format) ([]byte, error) {
	r.mu.Lock()
	for _, k := range graphKinds {
		if k.engine == e && k.format == f {
			if r.graphs == nil {
				r.graphs = map[string][][]byte{}
			}
			r.graphs[k.name] = append(r.graphs[k.name], dot)
		}
	}
	r.mu.Unlock()
	return r.g.Render(ctx, dot, e, f)
}

// write writes the graphs below dir, kind/N.gv.
func (r *recorder) write(b *testing.B, dir string) {
	for kind, graphs := range r.graphs {
		if err := os.MkdirAll(filepath.Join(dir, kind), 0o755); err != nil {
			b.Fatal(err)
		}
		for i, dot := range graphs {
			if err := os.WriteFile(filepath.Join(dir, kind, fmt.Sprintf("%03d.gv", i)), dot, 0o644); err != nil {
				b.Fatal(err)
			}
		}
	}
}
