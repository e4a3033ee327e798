package illustrate

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/avdoc/avdoc/figure"
	"github.com/avdoc/avdoc/render"
	"github.com/avdoc/avdoc/render/gv"
	"github.com/avdoc/avdoc/story"
)

// BenchmarkFrames draws every frame of each shipped story as the site
// does: the story-wide layout (measuring, then dot over the union of all
// frames), then each frame placed, drawn by nop2 and finished. The
// stories are parsed and simulated once, outside the timing. It reports
// the time per frame, the layout shared out among the frames.
func BenchmarkFrames(b *testing.B) {
	files, err := filepath.Glob("../stories/*.yaml")
	if err != nil || len(files) == 0 {
		b.Fatalf("no stories: %v", err)
	}
	for _, f := range files {
		res := load(b, f)
		b.Run(strings.TrimSuffix(filepath.Base(f), ".yaml"), func(b *testing.B) {
			benchStory(b, res)
		})
	}
}

func benchStory(b *testing.B, res *story.Result) {
	ctx := context.Background()
	rd, err := gv.New(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer rd.Close()
	frames := 0
	for b.Loop() {
		d, err := Draw(ctx, rd, res, SiteStyle())
		if err != nil {
			b.Fatal(err)
		}
		for k := range res.Runs {
			for _, f := range d.Frames(k) {
				if _, err := (SVG{Adaptive: true}).Print(ctx, f); err != nil {
					b.Fatal(err)
				}
				frames++
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(frames), "ms/frame")
}

// BenchmarkRikFullState draws the last state of stories/07-rik-1000.yaml
// under 2.6.34, a thousand children with a thousand pages each (1001
// processes, 1001 anon_vmas, 2001 AVCs, 1,001,000 pages), with no display
// option at all: runs of alike processes and pages are stacked
// automatically. One frame, layout included.
func BenchmarkRikFullState(b *testing.B) {
	run := &load(b, "../stories/07-rik-1000.yaml").Runs[1]
	st := &run.Steps[len(run.Steps)-1].State
	ctx := context.Background()
	rd, err := gv.New(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer rd.Close()
	for b.Loop() {
		p := render.Draw(st, render.Options{})
		lay, err := measure(ctx, rd, []*render.Picture{p})
		if err != nil {
			b.Fatal(err)
		}
		pos, err := rd.Render(ctx, lay.DOT(), gv.DOT, gv.JSON)
		if err != nil {
			b.Fatal(err)
		}
		if err := lay.SetPositions(pos); err != nil {
			b.Fatal(err)
		}
		if _, err := rd.Render(ctx, lay.Place(p), gv.NOP2, gv.SVG); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPrinters prints one frame (stories/09-interval-tree.yaml,
// step 3 under 3.7) in each format, and reports its cost as a ratio to
// Graphviz drawing the same placed frame as SVG (nop2), the way every
// frame was drawn before avdoc drew its own: both are timed in the same
// loop, so that the ratio holds on a busy machine.
func BenchmarkPrinters(b *testing.B) {
	ctx := context.Background()
	rd, err := gv.New(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer rd.Close()
	res := load(b, "../stories/09-interval-tree.yaml")
	d, err := Draw(ctx, rd, res, SiteStyle())
	if err != nil {
		b.Fatal(err)
	}
	f := d.Frame(len(res.Runs)-1, 2)
	fonts, err := figure.LoadFonts()
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		p    Printer
	}{{"svg", SVG{}}, {"pdf", PDF{Fonts: fonts}}, {"png", PNG{Fonts: fonts, Scale: 1}}, {"dot", DOT{}}} {
		b.Run(c.name, func(b *testing.B) {
			var own, gvz time.Duration
			for b.Loop() {
				t0 := time.Now()
				if _, err := c.p.Print(ctx, f); err != nil {
					b.Fatal(err)
				}
				t1 := time.Now()
				if _, err := rd.Render(ctx, f.PlacedDOT(), gv.NOP2, gv.SVG); err != nil {
					b.Fatal(err)
				}
				own, gvz = own+t1.Sub(t0), gvz+time.Since(t1)
			}
			b.ReportMetric(float64(own)/float64(gvz), "x-graphviz-svg")
		})
	}
}

// BenchmarkRikText prints the state of BenchmarkRikFullState as text,
// against drawing its picture alone (Draw, the baseline): Text selects
// the picture's objects again and writes them.
func BenchmarkRikText(b *testing.B) {
	run := &load(b, "../stories/07-rik-1000.yaml").Runs[1]
	st := &run.Steps[len(run.Steps)-1].State
	b.Run("draw", func(b *testing.B) {
		for b.Loop() {
			render.Draw(st, render.Options{})
		}
	})
	b.Run("draw+text", func(b *testing.B) {
		for b.Loop() {
			render.Draw(st, render.Options{}).Text("Rik", nil)
		}
	})
}

// BenchmarkPieces reads Graphviz's drawing of every look of the largest
// shipped story's layout (stories/19-found-cve-2022-42703.yaml), drawn
// once outside the timing, into pieces, and lists and prints the pieces
// of every frame as the site does: the Go side of drawing a story's
// frames, without Graphviz.
func BenchmarkPieces(b *testing.B) {
	ctx := context.Background()
	rd, err := gv.New(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer rd.Close()
	res := load(b, "../stories/19-found-cve-2022-42703.yaml")
	d, err := Draw(ctx, rd, res, SiteStyle())
	if err != nil {
		b.Fatal(err)
	}
	dot := d.places[0][0].lay.PiecesScenes().DOT
	svg, err := rd.Render(ctx, dot, gv.NOP2, gv.SVG)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("parse", func(b *testing.B) {
		for b.Loop() {
			if _, err := figure.ParseSVG(svg); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("print", func(b *testing.B) {
		for b.Loop() {
			for k := range res.Runs {
				for _, f := range d.Frames(k) {
					if _, err := (SVG{Adaptive: true}).Print(ctx, f); err != nil {
						b.Fatal(err)
					}
				}
			}
		}
	})
}
