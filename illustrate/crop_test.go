package illustrate

import (
	"bytes"
	"testing"
)

// TestCropMovesNothing holds a printed frame to the whole layout's
// drawing of it, which TestDrawsAsGraphviz holds to Graphviz's: cropped,
// only the page's size and the graph's translation differ, every shape
// is still within the page (the box and its margin), and the page is no larger.
func TestCropMovesNothing(t *testing.T) {
	eachShippedFrame(t, SiteStyle(), func(_ string, f Frame) {
		whole, cropped := f.wholeFigure(true), f.Figure(true)
		checkCrop(t, f.Title, whole.SVG(), cropped.SVG())
		wd, cd := whole.Panels[0].Drawing, cropped.Panels[0].Drawing
		b, _ := cd.Bounds()
		if p := cd.Pad; b[0] < cd.BB[0]-p || b[1] < cd.BB[1]-p || b[2] > cd.BB[2]+p || b[3] > cd.BB[3]+p {
			t.Errorf("%s: shapes %v outside the cropped page %v, margin %g", f.Title, b, cd.BB, p)
		}
		if ww, wh := wd.Size(); cd.BB[2]-cd.BB[0]+2*cd.Pad > ww || cd.BB[3]-cd.BB[1]+2*cd.Pad > wh {
			t.Errorf("%s: cropped box %v is larger than the layout's %v", f.Title, cd.BB, wd.BB)
		}
	})
}

// checkCrop fails unless two SVGs differ only in the <svg> element's
// line, the graph group's (its translation) and the background's (the
// first polygon, which fills the page).
func checkCrop(t *testing.T, title string, whole, cropped []byte) {
	t.Helper()
	wl, cl := bytes.Split(whole, []byte("\n")), bytes.Split(cropped, []byte("\n"))
	if len(wl) != len(cl) {
		t.Fatalf("%s: cropping changed the number of lines, %d to %d", title, len(wl), len(cl))
	}
	background := true
	for i := range wl {
		first := background && bytes.HasPrefix(wl[i], []byte("<polygon "))
		background = background && !first
		if bytes.Equal(wl[i], cl[i]) || first {
			continue
		}
		if !bytes.HasPrefix(wl[i], []byte("<svg ")) && !bytes.Contains(wl[i], []byte(`transform="scale(1 1) rotate(0) translate(`)) {
			t.Fatalf("%s: cropping changed line %d:\n%s\nto\n%s", title, i+1, wl[i], cl[i])
		}
	}
}
