package render

import (
	"fmt"
	"strconv"
	"strings"
)

// Graphviz draws every piece at about a tenth of a millisecond, and a
// third of a story's node looks differ from another only in their
// colours and pen width: an added node's outline, a walked page's. Such
// a look is drawn once, as a base with stand-in colours and a stand-in
// pen width, and avdoc puts each look's own back into Graphviz's drawing
// of the base (see [Derived]). It is exact: a colour "#rrggbb" or a pen
// width changes no coordinate Graphviz draws of a node, only the paint,
// and Graphviz writes each as it was given (a width to two decimals).

// Derived is a piece avdoc draws from another that Graphviz drew: Base,
// drawn with stand-in colours and pen width, and each stand-in replaced
// by the look's own, as Graphviz's SVG writes them.
type Derived struct {
	Name, Base string
	Colours    map[string]string   // by stand-in colour
	Widths     map[float64]float64 // by stand-in pen width
}

// The stand-ins: colours "#0b0c00", "#0b0c01" ... one per coloured
// attribute of a look, and one pen width, which no piece draws else.
const (
	standInPrefix = "#0b0c"
	standInWidth  = 0.37
)

// derive returns a node's look as, whose DOT text is key, with its
// colours and pen width replaced by stand-ins, and what to put back; ok
// is false when it has none, or when its text or the nodes' defaults
// already hold a stand-in. The base lists its pen and colours last, in
// one order, those it takes from the defaults too: looks that differ
// only in them, or in whether they set them, share a base.
func derive(as []attr, key string, defaults []attr) (base []attr, d Derived, ok bool) {
	if strings.Contains(strings.ToLower(key+pieceKey("node", defaults)), standInPrefix) || strings.Contains(attrValue(as, "style"), "setlinewidth") {
		return nil, Derived{}, false
	}
	d = Derived{Colours: map[string]string{}, Widths: map[float64]float64{}}
	paint := map[string]attr{}
	for _, a := range as {
		switch {
		case a.html && a.key == "label":
			a.val = d.standInTable(a.val)
		case !a.html && (a.key == "color" || a.key == "fillcolor" || a.key == "fontcolor" || a.key == "penwidth"):
			paint[a.key] = a
			continue
		}
		base = append(base, a)
	}
	for _, k := range []string{"color", "fillcolor", "fontcolor"} {
		a, set := paint[k]
		if !set && k != "fillcolor" { // Graphviz's default fill is no "#rrggbb"
			a, set = str(k, attrValue(defaults, k)), hexColour(attrValue(defaults, k))
		}
		if set && hexColour(a.val) {
			a.val = d.standIn(a.val)
		}
		if set {
			base = append(base, a)
		}
	}
	return d.standInPen(base, paint)
}

// standInPen adds the look's pen width to base, a stand-in for one
// Graphviz writes as it was given (1 unless set).
func (d *Derived) standInPen(base []attr, paint map[string]attr) ([]attr, Derived, bool) {
	a, set := paint["penwidth"]
	if !set {
		a = str("penwidth", "1")
	}
	if w, ok := drawnWidth(a.val); ok {
		a.val = strconv.FormatFloat(standInWidth, 'f', -1, 64)
		d.Widths[standInWidth] = w
		set = true
	}
	if set {
		base = append(base, a)
	}
	return base, *d, len(d.Colours)+len(d.Widths) > 0
}

// standIn returns the next stand-in colour, to be replaced by c.
func (d *Derived) standIn(c string) string {
	s := fmt.Sprintf("%s%02x", standInPrefix, len(d.Colours))
	d.Colours[s] = c
	return s
}

// standInTable replaces the colours of an HTML-like label, COLOR="#rrggbb"
// and BGCOLOR="#rrggbb", by stand-ins. Its text cannot hold a quote:
// escapeHTMLLabel wrote it as an entity.
func (d *Derived) standInTable(label string) string {
	const attr = `COLOR="`
	var b strings.Builder
	for {
		i := strings.Index(label, attr)
		if i < 0 {
			b.WriteString(label)
			return b.String()
		}
		j := i + len(attr)
		b.WriteString(label[:j])
		label = label[j:]
		if len(label) > 7 && label[7] == '"' && hexColour(label[:7]) {
			b.WriteString(d.standIn(label[:7]))
			label = label[7:]
		}
	}
}

// hexColour reports whether c is "#rrggbb" in lower case, a colour
// Graphviz's SVG writes as it is given.
func hexColour(c string) bool {
	if len(c) != 7 || c[0] != '#' {
		return false
	}
	for i := 1; i < 7; i++ {
		if !('0' <= c[i] && c[i] <= '9' || 'a' <= c[i] && c[i] <= 'f') {
			return false
		}
	}
	return true
}

// drawnWidth is the pen width that Graphviz's SVG writes, as it reads
// back, for a penwidth of digits and a point (to two decimals; none,
// read as 1, for 1); ok is false for other values and those it writes as
// 0.
func drawnWidth(v string) (float64, bool) {
	if v == "" || strings.Trim(v, "0123456789.") != "" || strings.Count(v, ".") > 1 {
		return 0, false
	}
	w, err := strconv.ParseFloat(v, 64)
	if err != nil || w < 0.005 {
		return 0, false
	}
	s := strings.TrimSuffix(strings.TrimRight(strconv.FormatFloat(w, 'f', 2, 64), "0"), ".")
	out, err := strconv.ParseFloat(s, 64)
	return out, err == nil
}
