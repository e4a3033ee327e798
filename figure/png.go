package figure

import (
	"bytes"
	"fmt"
	"image/png"

	"github.com/tdewolff/canvas"
	"github.com/tdewolff/canvas/renderers/rasterizer"
)

// MaxPixels bounds a PNG: a figure that would need more pixels at the
// scale asked for is refused rather than drawn out of memory.
const MaxPixels = 100_000_000

// PNG prints the figure as a PNG image, scale pixels to the point (1
// draws a 72 dpi image, 2 one for high-density screens), anti-aliased.
func (f *Figure) PNG(fonts *Fonts, scale float64) ([]byte, error) {
	if scale <= 0 || scale > 16 {
		return nil, fmt.Errorf("writing PNG: scale %g is outside (0, 16]", scale)
	}
	if w, h := f.page(); w*h*scale*scale > MaxPixels {
		return nil, fmt.Errorf("writing PNG: %.0f×%.0f points at scale %g is over %d pixels; lower --scale", w, h, scale, MaxPixels)
	}
	img := rasterizer.Draw(f.canvas(fonts), canvas.DPI(72*scale), canvas.DefaultColorSpace)
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return nil, fmt.Errorf("writing PNG: %w", err)
	}
	return b.Bytes(), nil
}
