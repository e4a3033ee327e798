package illustrate

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/avdoc/avdoc/internal/xmlwalk"
	"github.com/avdoc/avdoc/render"
	"github.com/avdoc/avdoc/render/gv"
)

// svgShapes is what the tests read from a frame: its viewBox, the box
// around each node's and cluster's shapes by id, and the text of the
// <title> and <desc> children of the root.
type svgShapes struct {
	viewBox string
	boxes   map[string][4]float64
	title   string
	desc    string
	first   []string // the root's first child elements
}

var number = regexp.MustCompile(`-?[0-9]+(?:\.[0-9]+)?`)

// readFrame parses a frame strictly, failing the test unless it is
// well-formed XML.
func readFrame(t *testing.T, name string, svg []byte) svgShapes {
	t.Helper()
	f := svgShapes{boxes: map[string][4]float64{}}
	err := xmlwalk.Walk(svg, func(stack []xml.StartElement, tok xml.Token) {
		switch tok := tok.(type) {
		case xml.StartElement:
			f.start(stack, tok)
		case xml.CharData:
			if len(stack) == 2 && stack[1].Name.Local == "title" {
				f.title += string(tok)
			} else if len(stack) == 2 && stack[1].Name.Local == "desc" {
				f.desc += string(tok)
			}
		}
	})
	if err != nil {
		t.Fatalf("%s is not well-formed XML: %v", name, err)
	}
	return f
}

func (f *svgShapes) start(stack []xml.StartElement, el xml.StartElement) {
	switch {
	case len(stack) == 0:
		f.viewBox = attr(el, "viewBox")
	case len(stack) == 1:
		f.first = append(f.first, el.Name.Local)
	}
	id, ok := shapeOwner(stack)
	if !ok {
		return
	}
	var coords string
	switch el.Name.Local {
	case "polygon", "polyline":
		coords = attr(el, "points")
	case "path":
		coords = attr(el, "d")
	default:
		return
	}
	f.grow(id, number.FindAllString(coords, -1))
}

// shapeOwner returns the id of the node or cluster group an element is
// drawn in.
func shapeOwner(stack []xml.StartElement) (string, bool) {
	if len(stack) == 0 {
		return "", false
	}
	g := stack[len(stack)-1]
	class := attr(g, "class")
	if g.Name.Local != "g" || !strings.HasPrefix(class, "node") && !strings.HasPrefix(class, "cluster") {
		return "", false
	}
	return attr(g, "id"), true
}

func (f *svgShapes) grow(id string, nums []string) {
	b, ok := f.boxes[id]
	if !ok {
		b = [4]float64{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	}
	for i := 0; i+1 < len(nums); i += 2 {
		x, _ := strconv.ParseFloat(nums[i], 64)
		y, _ := strconv.ParseFloat(nums[i+1], 64)
		b = [4]float64{min(b[0], x), min(b[1], y), max(b[2], x), max(b[3], y)}
	}
	f.boxes[id] = b
}

func attr(el xml.StartElement, name string) string {
	for _, a := range el.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// drawAll draws every frame of a story file as the site does, each
// named by its step, kernel and scene ("step 2, 2.6.34, scene 1").
func drawAll(t *testing.T, file string) map[string][]byte {
	t.Helper()
	res := load(t, file)
	ctx := context.Background()
	rd, err := gv.New(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	d, err := Draw(ctx, rd, res, SiteStyle())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for k := range res.Runs {
		scene := 0
		for i, f := range d.Frames(k) {
			svg, err := (SVG{Adaptive: true}).Print(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			if d.NewScene(k, i) {
				scene++
			}
			out[fmt.Sprintf("step %d, %s, scene %d", f.Step, f.Kernel, scene)] = svg
		}
	}
	return out
}

// TestFramesKeepPlaces draws a story of ten steps under two kernels, in
// which processes fork, exit and get walked, and checks in the SVGs that
// each node and cluster sits at the same place of its scene's layout, at
// the same size, in every frame of the scene that draws it (the legend at
// the same top left corner). Each frame is cropped to what it shows (its viewBox and
// the graph's translation differ: TestCropMovesNothing), so places are
// compared in the layout's coordinates, the shapes' own.
func TestFramesKeepPlaces(t *testing.T) {
	frames := drawAll(t, "../stories/08-anon-vma-root.yaml")
	if len(frames) != 20 {
		t.Fatalf("%d frames, want 20", len(frames))
	}
	where := map[string][4]float64{}
	seenIn := map[string]int{}
	for name, svg := range frames {
		f := readFrame(t, name, svg)
		scene := name[strings.LastIndex(name, "scene "):]
		for id, box := range f.boxes {
			if id == "legend" { // it fits its rows, below a fixed top left corner
				box[2], box[3] = box[0], box[1]
			}
			if old, ok := where[scene+" "+id]; ok && !near(old, box) {
				t.Errorf("%s: %s at %v, in another frame at %v", name, id, box, old)
			}
			where[scene+" "+id] = box
			seenIn[scene+" "+id]++
		}
	}
	moving := 0
	for _, n := range seenIn {
		if n > 1 {
			moving++
		}
	}
	if moving < 15 {
		t.Errorf("only %d objects are drawn in more than one frame; the test reads the SVG wrongly", moving)
	}
}

func near(a, b [4]float64) bool {
	for i := range a {
		if math.Abs(a[i]-b[i]) > 0.01 {
			return false
		}
	}
	return true
}

// hostileStory puts markup, entities, quotes and a CDATA end in every
// piece of story text a frame could carry.
const hostileStory = `title: Fork <script>alert("&amp;")</script> ]]> "quoted" & more
summary: A <b>summary</b> ]]>
kernels: [2.6.34, 2.6.36]
steps:
  - do: [spawn P, mmap P heap 1, write P:heap:0]
    say: Narration with <script>x</script> & ]]> "quotes"
  - do: fork P C
    say: "<i>more</i> ]]>"
  - do: [exit C, walk P:heap:0]
`

// TestFramesAreSafeDocuments builds the site of a hostile story and of a
// shipped one, and renders a film strip, and checks that every SVG is
// well-formed XML with a title and a description first, and that no
// story text became markup.
func TestFramesAreSafeDocuments(t *testing.T) {
	file := filepath.Join(t.TempDir(), "hostile.yaml")
	if err := os.WriteFile(file, []byte(hostileStory), 0o644); err != nil {
		t.Fatal(err)
	}
	files := buildSite(t, []string{file, "../stories/10-hibernation-oops.yaml"})
	svgs := map[string][]byte{}
	for _, f := range files {
		if strings.HasSuffix(f.Path, ".svg") {
			svgs[f.Path] = f.Data
		}
	}
	strip := drawStrip(t, load(t, file), 1, render.ThemeDark)
	svgs["strip"] = strip
	if len(svgs) < 10 {
		t.Fatalf("only %d SVGs", len(svgs))
	}
	for name, svg := range svgs {
		checkDocument(t, name, svg)
	}
}

func checkDocument(t *testing.T, name string, svg []byte) {
	f := readFrame(t, name, svg)
	if len(f.first) < 2 || f.first[0] != "title" || f.first[1] != "desc" {
		t.Errorf("%s: the root starts with %v, want title and desc", name, f.first)
	}
	if strings.TrimSpace(f.title) == "" || len(f.desc) < 20 {
		t.Errorf("%s: title %q, desc %q", name, f.title, f.desc)
	}
	if strings.Contains(name, "hostile") && !strings.Contains(f.title, `Fork <script>alert("&amp;")</script> ]]> "quoted" & more`) {
		t.Errorf("%s: the title does not carry the story's title as text: %q", name, f.title)
	}
	for _, raw := range []string{"<script", "<b>", "<i>", "]]>"} {
		if bytes.Contains(svg, []byte(raw)) {
			t.Errorf("%s holds %q unescaped", name, raw)
		}
	}
}

// TestScenesListedWithPieces checks that the pieces each frame is
// composed from, listed while the pieces DOT was written, are those
// [render.Layout.Scene] lists for its picture alone, in a story whose
// frames hide, mark and walk objects under two kernels and in one whose
// last step lays its three kernels out apart, both cut into scenes.
func TestScenesListedWithPieces(t *testing.T) {
	ctx := context.Background()
	rd, err := gv.New(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	for _, file := range []string{"../stories/08-anon-vma-root.yaml", "../stories/14-fork-chain.yaml"} {
		res := load(t, file)
		d, err := Draw(ctx, rd, res, SiteStyle())
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for k := range res.Runs {
			for i, f := range d.Frames(k) {
				want := f.Layout.Scene(f.Picture)
				if got := f.scene; fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("%s, kernel %s, step %d: listed\n%v\nalone\n%v", file, f.Kernel, i+1, got, want)
				}
				n += len(want)
			}
		}
		if n < 100 {
			t.Errorf("%s: only %d pieces in all frames: the story draws more", file, n)
		}
	}
}
