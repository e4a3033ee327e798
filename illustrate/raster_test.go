package illustrate

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/avdoc/avdoc/render"
)

// needTool returns the path of a command a test needs: outside CI the
// test skips without it; in CI (which installs it) it fails.
func needTool(t *testing.T, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is missing: .ci/run installs %s", name, pkg)
		}
		t.Skipf("%s is missing (apt-get install %s)", name, pkg)
	}
	return p
}

// TestPrintsLookAsGraphviz rasterizes avdoc's PNG and PDF of a few
// frames and compares them with Graphviz's own nop2 drawing of the same
// layout as SVG, rasterized by librsvg at the same resolution: they must
// differ in almost no pixel. The same comparison of two different steps
// must fail, so that the measure is known to see a difference.
func TestPrintsLookAsGraphviz(t *testing.T) {
	rsvg := needTool(t, "rsvg-convert", "librsvg2-bin")
	pdftoppm := needTool(t, "pdftoppm", "poppler-utils")
	ctx, g := context.Background(), newGraphviz(t)
	cases := []struct {
		story        string
		kernel, step int
		theme        render.Theme
	}{
		{"02-fork.yaml", 0, 2, render.ThemeLight},
		{"10-hibernation-oops.yaml", 0, 4, render.ThemeDark},
		{"04-pte-chains.yaml", 0, 2, render.ThemeLight},
		{"08-anon-vma-root.yaml", 1, 3, render.ThemeLight},
	}
	dir := t.TempDir()
	for _, c := range cases {
		res := load(t, filepath.Join("../stories", c.story))
		d, err := Draw(ctx, g, res, Style{Theme: c.theme})
		if err != nil {
			t.Fatal(err)
		}
		k := min(c.kernel, len(res.Runs)-1)
		want := graphvizRaster(t, g, d.Frame(k, c.step-1), rsvg, dir)
		other := graphvizRaster(t, g, d.Frame(k, c.step-2), rsvg, dir)
		pngOut, err := PNG{Scale: 2}.Print(ctx, d.Frame(k, c.step-1))
		if err != nil {
			t.Fatal(err)
		}
		pdfOut, err := PDF{}.Print(ctx, d.Frame(k, c.step-1))
		if err != nil {
			t.Fatal(err)
		}
		name := fmt.Sprintf("%s step %d", c.story, c.step)
		for format, img := range map[string]image.Image{"png": decodePNG(t, pngOut), "pdf": pdfRaster(t, pdftoppm, pdfOut, dir)} {
			same, before := differing(img, want), differing(img, other)
			t.Logf("%s, %s: %.3f%% of pixels differ from Graphviz's drawing, %.3f%% from the step before", name, format, 100*same, 100*before)
			if same > maxDiffering {
				t.Errorf("%s: avdoc's %s differs from Graphviz's drawing in %.2f%% of its pixels", name, format, 100*same)
			}
			if before < 2*maxDiffering {
				t.Errorf("%s: avdoc's %s is as close to the step before (%.2f%%): the comparison sees nothing", name, format, 100*before)
			}
		}
	}
}

// maxDiffering is the share of pixels a print may differ by: text set
// by another rasterizer (poppler's hinting, on a dark background most)
// moves a few.
const maxDiffering = 0.005

// graphvizRaster is Graphviz's SVG of a frame rasterized at 144 dpi.
func graphvizRaster(t *testing.T, g Graphviz, f Frame, rsvg, dir string) image.Image {
	t.Helper()
	svg, err := graphvizSVG(context.Background(), g, f, false)
	if err != nil {
		t.Fatal(err)
	}
	in, out := filepath.Join(dir, "gv.svg"), filepath.Join(dir, "gv.png")
	if err := os.WriteFile(in, svg, 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := exec.Command(rsvg, "-d", "144", "-p", "144", "-b", "white", "-o", out, in).CombinedOutput(); err != nil {
		t.Fatalf("rsvg-convert: %v: %s", err, b)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return decodePNG(t, data)
}

// pdfRaster rasterizes a one-page PDF at 144 dpi with poppler.
func pdfRaster(t *testing.T, pdftoppm string, pdf []byte, dir string) image.Image {
	t.Helper()
	in := filepath.Join(dir, "f.pdf")
	if err := os.WriteFile(in, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := exec.Command(pdftoppm, "-r", "144", "-png", "-singlefile", in, filepath.Join(dir, "f")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, b)
	}
	data, err := os.ReadFile(filepath.Join(dir, "f.png"))
	if err != nil {
		t.Fatal(err)
	}
	return decodePNG(t, data)
}

func decodePNG(t *testing.T, data []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// differing is the share of pixels whose luminance, over white and
// averaged over a 5×5 neighbourhood (so that anti-aliasing and a pixel's
// rounding do not count), differs by more than 48 of 255, over the area
// both images cover.
func differing(a, b image.Image) float64 {
	la, lb := blurred(a), blurred(b)
	h, w := min(len(la), len(lb)), min(len(la[0]), len(lb[0]))
	bad := 0
	for y := range h {
		for x := range w {
			if d := la[y][x] - lb[y][x]; d > 48 || d < -48 {
				bad++
			}
		}
	}
	return float64(bad) / float64(h*w)
}

// blurred is an image's luminance, box-blurred with radius 2.
func blurred(img image.Image) [][]float64 {
	b := img.Bounds()
	l := make([][]float64, b.Dy())
	for y := range l {
		l[y] = make([]float64, b.Dx())
		for x := range l[y] {
			r, g, bl, a := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
			w := float64(65535 - a)
			l[y][x] = (0.299*(float64(r)+w) + 0.587*(float64(g)+w) + 0.114*(float64(bl)+w)) / 257
		}
	}
	out := make([][]float64, len(l))
	for y := range l {
		out[y] = make([]float64, len(l[y]))
		for x := range l[y] {
			s, n := 0.0, 0
			for yy := max(0, y-2); yy <= min(len(l)-1, y+2); yy++ {
				for xx := max(0, x-2); xx <= min(len(l[y])-1, x+2); xx++ {
					s, n = s+l[yy][xx], n+1
				}
			}
			out[y][x] = s / float64(n)
		}
	}
	return out
}
