package figure

// Below adds d under the figure's panels, at its left margin and without
// a caption: a legend under a whole figure. A figure of one drawing alone
// becomes a page with a margin; set its Background and Foreground.
func (f *Figure) Below(d *Drawing) {
	if f.single() {
		w, h := f.Panels[0].Drawing.pageSize()
		f.Panels[0].X, f.Panels[0].Y = sheetMargin, sheetMargin
		f.Width, f.Height = w+2*sheetMargin, h+2*sheetMargin
	}
	w, h := d.pageSize()
	y := f.Height - sheetMargin + sheetGap
	f.Panels = append(f.Panels, Panel{X: sheetMargin, Y: y, Drawing: d})
	f.Width = max(f.Width, w+2*sheetMargin)
	f.Height = y + h + sheetMargin
}
