package illustrate

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"path/filepath"
	"testing"

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
					want, err := graphvizSVG(ctx, g, f, true)
					if err != nil {
						t.Fatal(err)
					}
					// Graphviz draws the whole layout: compare before cropping
					// (TestCropMovesNothing holds the crop to its box).
					got := f.wholeFigure(true).SVG()
					if !bytes.Equal(got, want) {
						t.Fatalf("%s: %s: avdoc draws\n%s\nGraphviz draws\n%s", file, f.Title, firstDiff(got, want), firstDiff(want, got))
					}
				}
			}
		}
	}
}

// TestStripAsGraphviz holds the film strip to the one avdoc made from
// Graphviz's own drawings of each step.
func TestStripAsGraphviz(t *testing.T) {
	ctx := context.Background()
	g := newGraphviz(t)
	for _, file := range []string{"../stories/02-fork.yaml", "../stories/10-hibernation-oops.yaml"} {
		res := load(t, file)
		d, err := Draw(ctx, g, res, Style{Theme: render.ThemeDark, Prefixed: true})
		if err != nil {
			t.Fatal(err)
		}
		var frames [][]byte
		var captions []string
		info := render.SVGInfo{Title: res.Story.Title + ", kernel " + res.Runs[0].Kernel.Label(), Titles: map[string]string{}}
		for i, f := range d.Frames(0) {
			raw, err := g.Render(ctx, f.PlacedDOT(), gv.NOP2, gv.SVG)
			if err != nil {
				t.Fatal(err)
			}
			frames, captions = append(frames, raw), append(captions, stepCaption(&res.Story.Steps[i], i))
			info.Desc += fmt.Sprintf("Step %d: %s ", i+1, f.Picture.Describe())
			maps.Copy(info.Titles, f.Picture.Titles())
		}
		want, err := render.Strip(frames, captions, info, render.ThemeDark)
		if err != nil {
			t.Fatal(err)
		}
		if got := d.Strip(0, false); !bytes.Equal(got, want) {
			t.Errorf("%s: avdoc draws\n%s\nGraphviz draws\n%s", file, firstDiff(got, want), firstDiff(want, got))
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

// graphvizSVG is f as Graphviz itself draws it: what [SVG] printed before
// avdoc drew its own frames, kept to check that it still draws the same.
func graphvizSVG(ctx context.Context, g Graphviz, f Frame, adaptive bool) ([]byte, error) {
	raw, err := g.Render(ctx, f.PlacedDOT(), gv.NOP2, gv.SVG)
	if err != nil {
		return nil, err
	}
	return render.FinishSVG(raw, render.SVGInfo{Title: f.Title, Desc: f.Picture.Describe(),
		Titles: f.Picture.Titles(), Adaptive: adaptive})
}
