package render

import (
	"fmt"
	"strconv"
	"strings"
)

// Graphviz measures a look from its natural attributes (see sizing), and
// a caller that measures the looks it knows as Graphviz would (see
// package figure) need ask Graphviz only for the others: [Layout.Looks]
// describes each look, [Layout.SizingDOTWithout] lists the others for
// Graphviz, and [Layout.SetMeasuredSizes] takes both answers.

// Look is what decides the natural size of one of a layout's looks: a
// node of shape box, note, plaintext, cylinder, octagon, doubleoctagon
// or plain (the last with a TABLE label), in Arial, its label lines of
// text. A look with any other
// shape, label or attribute has no Shape: Graphviz must measure it.
type Look struct {
	Shape         string    // as above; "" for one to ask Graphviz about
	FontSize      float64   // in points
	Margin        []float64 // the margin's one or two numbers, in inches; nil for none
	Width, Height float64   // the node's, in inches: Graphviz's 0.75 and 0.5 unless given
	Peripheries   int       // -1 for the shape's own
	Lines         []string  // a plain label's lines
	HTML          []HTMLLine
	Table         *DrawnTable // a TABLE label's rows, each cell's lines, padding, WIDTH and HEIGHT
}

// LookSize is a look's natural size, in inches, as Graphviz's poly_init
// leaves a node's width and height.
type LookSize struct{ Width, Height float64 }

// Graphviz's defaults for a node's width and height, in inches
// (lib/common/const.h DEFAULT_NODEWIDTH, DEFAULT_NODEHEIGHT).
const (
	defaultNodeWidth  = 0.75
	defaultNodeHeight = 0.5
)

// Looks describes each of the layout's looks, by index, as
// [Layout.SizingDOT] gives them to Graphviz.
func (l *Layout) Looks() []Look {
	out := make([]Look, len(l.looks))
	for i, n := range l.looks {
		out[i] = lookOf(sizing(n))
	}
	return out
}

// lookOf describes the look whose sizing attributes are as, with the
// defaults [Layout.SizingDOT] gives every node.
func lookOf(as []attr) Look {
	lk := Look{FontSize: 11, Width: defaultNodeWidth, Height: defaultNodeHeight, Peripheries: -1}
	label := attr{}
	for _, a := range as {
		if !lk.set(a) {
			return Look{}
		}
		if a.key == "label" {
			label = a
		}
	}
	if lk.Shape == "" || !lk.setLabel(label) {
		return Look{}
	}
	return lk
}

// set takes attribute a of the look into lk, and reports whether avdoc
// measures it as Graphviz would.
func (lk *Look) set(a attr) bool {
	var err error
	switch a.key {
	case "shape":
		lk.Shape = a.val
		switch a.val {
		case "box", "note", "plaintext", "plain", "cylinder", "octagon", "doubleoctagon":
			return true
		}
		return false
	case "fontname":
		return a.val == fontName
	case "fontsize":
		lk.FontSize, err = strconv.ParseFloat(a.val, 64)
		return err == nil && lk.FontSize >= 1 && lk.FontSize < 1000
	case "width":
		lk.Width, err = strconv.ParseFloat(a.val, 64)
		return err == nil && lk.Width >= 0.01 && lk.Width < 1000
	case "height":
		lk.Height, err = strconv.ParseFloat(a.val, 64)
		return err == nil && lk.Height >= 0.02 && lk.Height < 1000
	case "margin":
		lk.Margin = margins(a.val)
		return lk.Margin != nil
	case "peripheries":
		lk.Peripheries, err = strconv.Atoi(a.val)
		return err == nil && (a.val == "1" || a.val == "2")
	case "label":
		return true
	}
	return false
}

// margins reads a margin of one or two plain numbers, "x" or "x,y",
// between 0 and 100 inches; nil for any other.
func margins(s string) []float64 {
	var out []float64
	for _, part := range strings.Split(s, ",") {
		if part == "" || strings.TrimLeft(part, "0123456789.") != "" {
			return nil
		}
		f, err := strconv.ParseFloat(part, 64)
		if err != nil || f > 100 {
			return nil
		}
		out = append(out, f)
	}
	if len(out) > 2 {
		return nil
	}
	return out
}

// setLabel takes the look's label into lk, and reports whether avdoc
// measures it as Graphviz would: for shape plain a TABLE, for a
// plaintext lines of plain text, for the others either those or an
// HTML-like label of lines; the peripheries given only to a box or a
// note.
func (lk *Look) setLabel(a attr) bool {
	switch {
	case lk.Peripheries >= 0 && lk.Shape != "box" && lk.Shape != "note":
		return false
	case lk.Shape == "plain":
		t := DrawnTable{}
		if !a.html || lk.Peripheries >= 0 || lk.Margin != nil || !t.setLabel(a.val) {
			return false
		}
		lk.Table = &t
		return true
	case a.html:
		lines, ok := htmlLines(a.val)
		lk.HTML = lines
		return ok && lk.Shape != "plaintext"
	case a.val == "":
		return false
	}
	lk.Lines = strings.Split(a.val, "\n")
	for _, l := range lk.Lines {
		if l == "" || !plainLine(l) || strings.Contains(l, "&") {
			return false
		}
	}
	return true
}

// SizingDOTWithout is [Layout.SizingDOT] without the looks measured
// already, by index; nil if none is left.
func (l *Layout) SizingDOTWithout(measured map[int]LookSize) []byte {
	if len(measured) > 0 && len(measured) >= len(l.looks) {
		return nil
	}
	var w writer
	w.b.WriteString("digraph sizes {\n")
	w.attrLine("\tgraph", str("overlap", "true"))
	w.attrLine("\tnode", str("fontname", fontName), str("fontsize", "11"))
	for i, n := range l.looks {
		if _, ok := measured[i]; !ok {
			w.attrLine(fmt.Sprintf("\tlook%d", i), append(sizing(n), str("pos", fmt.Sprintf("0,%d", 100*i)))...)
		}
	}
	w.b.WriteString("}\n")
	return w.b.Bytes()
}

// SetMeasuredSizes is [Layout.SetSizes] with the looks measured already,
// by index, and Graphviz's "plain" measure of the others (see
// [Layout.SizingDOTWithout]; nil if there were none). A measured size is
// taken as "plain" writes it (output.c printdouble, "%.5g" inches).
func (l *Layout) SetMeasuredSizes(measured map[int]LookSize, plain []byte) error {
	sizes, err := l.lookSizes(plain, measured)
	if err != nil {
		return err
	}
	for i, s := range measured {
		if i < 0 || i >= len(sizes) {
			return fmt.Errorf("sizing node looks: no look %d", i)
		}
		g := func(f float64) string { return strconv.FormatFloat(f, 'g', 5, 64) }
		w, h, err := points(fmt.Sprintf("look%d", i), g(s.Width), g(s.Height))
		if err != nil {
			return err
		}
		sizes[i] = [2]int{w, h}
	}
	l.setSizes(sizes)
	return nil
}
