package illustrate

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"github.com/avdoc/avdoc/figure"
	"github.com/avdoc/avdoc/render"
	"github.com/avdoc/avdoc/render/gv"
)

// TestDrawsAsGraphviz holds avdoc's own drawing of every frame of every
// shipped story to Graphviz's: the same SVG, byte for byte, as Graphviz's
// nop2 draws from the frame's placed DOT.
func TestDrawsAsGraphviz(t *testing.T) {
	files, err := filepath.Glob("../stories/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no stories: %v", err)
	}
	if testing.Short() {
		files = files[:3]
	}
	ctx := context.Background()
	g := newGraphviz(t)
	for _, file := range files {
		res := load(t, file)
		for _, theme := range []render.Theme{render.ThemeLight, render.ThemeDark} {
			d, err := Draw(ctx, g, res, Style{Theme: theme})
			if err != nil {
				t.Fatal(err)
			}
			for k := range res.Runs {
				for _, f := range d.Frames(k) {
					raw, err := g.Render(ctx, f.PlacedDOT(), gv.NOP2, gv.SVG)
					if err != nil {
						t.Fatal(err)
					}
					// Graphviz draws the whole layout: compare before cropping
					// (TestCropMovesNothing holds the crop to its box).
					got, want := drawingAsGraphviz(f), graphvizBody(t, raw)
					if a, b := svgSize.FindSubmatch(f.wholeFigure(true).SVG()), svgSize.FindSubmatch(raw); a == nil || b == nil || !slices.EqualFunc(a[1:], b[1:], bytes.Equal) {
						t.Fatalf("%s: %s: avdoc's page %q, Graphviz's %q", file, f.Title, a, b)
					}
					if !bytes.Equal(got, want) {
						t.Fatalf("%s: %s: avdoc draws\n%s\nGraphviz draws\n%s", file, f.Title, firstDiff(got, want), firstDiff(want, got))
					}
				}
			}
		}
	}
}

// firstDiff returns a's lines around the first one that differs from b.
func firstDiff(a, b []byte) string {
	la, lb := bytes.Split(a, []byte("\n")), bytes.Split(b, []byte("\n"))
	for i := range la {
		if i >= len(lb) || !bytes.Equal(la[i], lb[i]) {
			return string(bytes.Join(la[max(0, i-3):min(len(la), i+3)], []byte("\n")))
		}
	}
	return "(a prefix of the other)"
}

// drawingAsGraphviz is the SVG of f's drawing, uncropped, from its
// root group on, its groups titled as Graphviz titles them (by DOT name)
// rather than in words.
func drawingAsGraphviz(f Frame) []byte {
	d := f.Drawing()
	for i, pc := range f.Layout.Scene(f.Picture) {
		d.Groups[i].Title = cmp.Or(pc.Title, "avdoc") // the graph's is its name
	}
	svg := (&figure.Figure{Panels: []figure.Panel{{Drawing: d}}}).SVG()
	return svg[bytes.Index(svg, []byte(`<g id="graph"`)):]
}

var (
	svgComment = regexp.MustCompile(`<!--[^>]*-->\n?`)
	svgSize    = regexp.MustCompile(`width="([0-9.]+)pt" height="([0-9.]+)pt"\s+viewBox="([0-9. ]+)"`)
)

// graphvizBody is Graphviz's SVG from its root group on, without its
// comments, its dashes written as dashes (as avdoc has always written
// them).
func graphvizBody(t *testing.T, raw []byte) []byte {
	t.Helper()
	i := bytes.Index(raw, []byte(`<g id="graph"`))
	if i < 0 {
		t.Fatalf("no root group in Graphviz's SVG:\n%.300s", raw)
	}
	body := svgComment.ReplaceAll(raw[i:], nil)
	return bytes.ReplaceAll(body, []byte("&#45;"), []byte("-"))
}

// graphvizSVG is f as Graphviz itself draws it, with avdoc's style sheet,
// for a rasterizer to compare with avdoc's own prints.
func graphvizSVG(ctx context.Context, g Graphviz, f Frame, adaptive bool) ([]byte, error) {
	raw, err := g.Render(ctx, f.PlacedDOT(), gv.NOP2, gv.SVG)
	if err != nil {
		return nil, err
	}
	i := bytes.Index(raw, []byte("<g id="))
	if i < 0 {
		return nil, fmt.Errorf("no root group in Graphviz's SVG")
	}
	style := "<style>\n" + render.Style(adaptive) + "</style>\n"
	return slices.Concat(raw[:i], []byte(style), raw[i:]), nil
}
