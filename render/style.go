package render

import (
	"fmt"
	"strings"
)

// FontStack is the CSS font list for the diagrams' text: fonts with
// Helvetica's metrics, which Graphviz measured the text with, so that
// text stays inside its boxes.
const FontStack = `Arial, "Liberation Sans", Arimo, Helvetica, sans-serif`

// The looks the style sheet gives by class, which printers without CSS
// (PDF, PNG) give the shapes themselves.
const (
	RemovedOpacity = 0.55 // what a step removed, drawn once more, fades
	ChangedOutline = 2.2  // the outline of an added or changed node, in points
	StackOutline   = 1.4  // the outlines of a stack of alike objects, in points
)

// Style returns the CSS embedded in every SVG: the font stack, the looks
// of the change marks and, when adaptive, the dark colours that replace
// the light ones for readers who prefer a dark scheme. It does not depend
// on the picture, so every SVG of a site carries the same rules.
func Style(adaptive bool) string {
	var b strings.Builder
	b.WriteString("svg text { font-family: " + FontStack + "; }\n")
	fmt.Fprintf(&b, ".removed { opacity: %g; }\n", RemovedOpacity)
	fmt.Fprintf(&b, ".node.added > polygon[fill=\"none\"], .node.changed > polygon[fill=\"none\"] { stroke-width: %gpx; }\n", ChangedOutline)
	fmt.Fprintf(&b, ".node.stack > polygon { stroke-width: %gpx; }\n", StackOutline)
	if adaptive {
		b.WriteString("@media (prefers-color-scheme: dark) {\n")
		b.WriteString(darkRules())
		b.WriteString("}\n")
	}
	return b.String()
}

// darkRules replaces each light colour of the palette, wherever the SVG
// uses it as a fill or a stroke, by its dark value.
func darkRules() string {
	var b strings.Builder
	seen := map[string]bool{}
	for _, c := range colours() {
		light, dark := c[0], c[1]
		if seen[light] {
			continue
		}
		seen[light] = true
		fmt.Fprintf(&b, "  [fill=\"%s\"] { fill: %s; } [stroke=\"%s\"] { stroke: %s; }\n", light, dark, light, dark)
	}
	return b.String()
}
