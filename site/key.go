package site

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// A story page explains its diagrams' colours and lines once, in a key above its steps:
// the entries of all its frames, each once, in the order they first appear. The
// swatches take their colours from rules the site adds to style.css, one per colour
// class, light and dark like the rest of the page.

// pageKey is the key of a story's page: every entry of its frames, once.
func pageKey(st Story) []KeyEntry {
	var out []KeyEntry
	for _, step := range st.Steps {
		for _, f := range step.Frames {
			for _, e := range f.Key {
				if !slices.Contains(out, e) {
					out = append(out, e)
				}
			}
		}
	}
	return out
}

// keyColours is every colour class of the site's keys with its colours, by class.
func keyColours(s Site) map[string]KeyEntry {
	out := map[string]KeyEntry{}
	for _, st := range s.Stories {
		for _, e := range pageKey(st) {
			if e.Class != "" {
				out[e.Class] = e
			}
		}
	}
	return out
}

// keyCSS is the rules that colour the keys' swatches: light, then dark as the site's
// own colours turn dark (the reader's preference, or the theme button).
func keyCSS(s Site) string {
	colours := keyColours(s)
	classes := make([]string, 0, len(colours))
	for c := range colours {
		classes = append(classes, c)
	}
	slices.Sort(classes)
	if len(classes) == 0 {
		return ""
	}
	var light, dark strings.Builder
	for _, c := range classes {
		fmt.Fprintf(&light, ".k-%s { --k: %s; }\n", c, colours[c].Light)
		fmt.Fprintf(&dark, "  %%[1]s .k-%s { --k: %s; }\n", c, colours[c].Dark)
	}
	d := dark.String()
	return "\n/* The keys' colours, as the diagrams draw them. */\n" + light.String() +
		"@media screen and (prefers-color-scheme: dark) {\n" + fmt.Sprintf(d, ":root:not([data-theme=light])") + "}\n" +
		"@media screen {\n" + fmt.Sprintf(d, ":root[data-theme=dark]") + "}\n"
}

var (
	keyClass  = regexp.MustCompile(`^[a-z][a-z-]*$`)
	keyColour = regexp.MustCompile(`^#[0-9a-f]{6}$`)
)

// checkKey requires of a key entry what its swatch's CSS needs: a class of letters and
// hyphens, colours as #rrggbb, a known line style; or, for a line of text alone, none
// of these. seen holds the colours of each class met so far: a class has one colour.
func checkKey(e KeyEntry, seen map[string]KeyEntry) error {
	if e.Class == "" {
		if e.Light != "" || e.Dark != "" || e.Line != "" {
			return fmt.Errorf("key entry %q: colours without a class", e.Text)
		}
		return nil
	}
	if !keyClass.MatchString(e.Class) || !keyColour.MatchString(e.Light) || !keyColour.MatchString(e.Dark) ||
		!slices.Contains([]string{"solid", "dashed", "dotted"}, e.Line) {
		return fmt.Errorf("key entry %q: want a class of a-z and -, colours #rrggbb and a line solid, dashed or dotted, got %q %q %q %q",
			e.Text, e.Class, e.Light, e.Dark, e.Line)
	}
	if o, ok := seen[e.Class]; ok && (o.Light != e.Light || o.Dark != e.Dark) {
		return fmt.Errorf("key class %q has two colours: %s/%s and %s/%s", e.Class, o.Light, o.Dark, e.Light, e.Dark)
	}
	seen[e.Class] = e
	return nil
}
