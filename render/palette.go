package render

// Theme is the set of colours a picture is drawn in.
type Theme int

// The themes. The site draws in [ThemeLight] and switches to the dark
// colours with CSS when the reader prefers a dark scheme (see [Style]).
const (
	ThemeLight Theme = iota
	ThemeDark
)

// colour names one colour of the visual language.
type colour int

// The colours, each with a light and a dark value in [colours].
const (
	cFG          colour = iota // text and plain outlines
	cBG                        // the background
	cSameVMA                   // red: the same_vma list
	cSameAV                    // blue: the same_anon_vma list, and anon_vma outlines
	cPointer                   // dashed: vma->anon_vma
	cMapping                   // gray: page->mapping
	cPTE                       // green: a PTE mapping a page
	cWalk                      // orange: an rmap walk
	cFreed                     // red: a freed object, an oops
	cRoot                      // purple: anon_vma->root
	cCluster                   // a process's outline
	cAdded                     // green: an object or pointer new in this step
	cChanged                   // magenta: an object that changed, a pointer that moved
	cGhost                     // gray: an object or pointer gone in this step
	cVMAHead                   // a VMA's name cell
	cAnonVMAFill               // an anon_vma
	cFreedFill                 // a freed anon_vma
	cPageFill                  // a page
	cVisitFill                 // a VMA row saying what a walk found
	cZeroFill                  // the zero page
	cSwapFill                  // a swap slot
	cLegendLine                // the legend's outline
	cOnFreed                   // text on cFreed
	numColours
)

// colours returns the palette: each colour's light and dark value. The
// light values are those of the DOT; the dark ones replace them in CSS.
func colours() [numColours][2]string {
	return [numColours][2]string{
		cFG:          {"#1d1f23", "#e3e5e8"},
		cBG:          {"#ffffff", "#1f2228"},
		cSameVMA:     {"#d62728", "#ff6b6b"},
		cSameAV:      {"#1f77b4", "#6cb4ee"},
		cPointer:     {"#333333", "#c8ccd2"},
		cMapping:     {"#999999", "#8a9099"},
		cPTE:         {"#2ca02c", "#5fd35f"},
		cWalk:        {"#ff7f0e", "#ffa552"},
		cFreed:       {"#c62828", "#ff8a80"},
		cRoot:        {"#7b3fa0", "#c89af0"},
		cCluster:     {"#aaaaaa", "#5d636d"},
		cAdded:       {"#1a8f3c", "#6fdc8c"},
		cChanged:     {"#b0287e", "#f58ad0"},
		cGhost:       {"#b8bcc2", "#5a6069"},
		cVMAHead:     {"#eeeeee", "#30353d"},
		cAnonVMAFill: {"#e3eef9", "#1c3550"},
		cFreedFill:   {"#fde0e0", "#4a1c1c"},
		cPageFill:    {"#fff8dc", "#3b3520"},
		cVisitFill:   {"#ffe0b3", "#553a12"},
		cZeroFill:    {"#f0f0f0", "#2d3138"},
		cSwapFill:    {"#eef3e6", "#26331f"},
		cLegendLine:  {"#bbbbbb", "#4a5059"},
		cOnFreed:     {"#ffffff", "#1f2228"},
	}
}

// palette is one theme's value of every colour.
type palette [numColours]string

func paletteOf(t Theme) palette {
	var p palette
	for c, v := range colours() {
		p[c] = v[0]
		if t == ThemeDark {
			p[c] = v[1]
		}
	}
	return p
}

// fontName is the font Graphviz measures text with. Its metrics are
// Helvetica's; [Style] names fonts with the same metrics for viewers.
const fontName = "Arial"

// PageColours are a theme's background and text colours, for a page
// that holds several pictures.
func PageColours(t Theme) (bg, fg string) {
	p := paletteOf(t)
	return p[cBG], p[cFG]
}
