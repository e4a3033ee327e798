package render

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/avdoc/avdoc/engine"
	"github.com/avdoc/avdoc/internal/golden"
)

// The tests stand in for Graphviz with fakeSizes and fakePositions, so
// that they check Layout's own work: which looks it measures, what it
// lays out, and how it places each picture. render/gv's tests run the
// real thing.

var (
	lookLine = regexp.MustCompile(`(?m)^\t(look\d+) \[`)
	skelNode = regexp.MustCompile(`(?m)^\t(\w+) \[id=`)
	skelEdge = regexp.MustCompile(`(?m)^\t\w+ -> \w+ \[id="([^"]+)"`)
)

// fakeSizes measures look i as (40+10i)×(20+i) points.
func fakeSizes(t *testing.T, sizing []byte) []byte {
	t.Helper()
	var b strings.Builder
	b.WriteString("graph 1 1 1\n")
	for i, m := range lookLine.FindAllStringSubmatch(string(sizing), -1) {
		fmt.Fprintf(&b, "node %s 0 0 %v %v label solid box black lightgrey\n", m[1], float64(40+10*i)/72, float64(20+i)/72)
	}
	b.WriteString("stop\n")
	return []byte(b.String())
}

// fakePositions puts node i of the skeleton at (100i, 50) and routes
// every edge along a short line.
func fakePositions(t *testing.T, skeleton []byte) []byte {
	t.Helper()
	var g graphJSON
	nodes := skelNode.FindAllStringSubmatch(string(skeleton), -1)
	g.BB = fmt.Sprintf("0,0,%d,100", 100*len(nodes))
	for i, m := range nodes {
		g.Objects = append(g.Objects, objectJSON{Name: m[1], Pos: fmt.Sprintf("%d,50", 100*i)})
	}
	for _, m := range skelEdge.FindAllStringSubmatch(string(skeleton), -1) {
		g.Edges = append(g.Edges, edgeJSON{ID: m[1], Pos: "e,10,60 0,50 3,53 6,56 9,59"})
	}
	return marshal(t, g)
}

func marshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// story is the pictures of a short story: P alone, then forked, then with
// C gone, the last two marking what changed.
func story() []*Picture {
	return []*Picture{
		Draw(single(), Options{}),
		Draw(fork(), Options{Prev: single(), Walk: walkFork()}),
		Draw(freed(), Options{Prev: fork()}),
	}
}

// laidOut runs both passes of a layout on fake Graphviz output.
func laidOut(t *testing.T, pics []*Picture) *Layout {
	t.Helper()
	l := NewLayout(pics)
	if err := l.SetSizes(fakeSizes(t, l.SizingDOT())); err != nil {
		t.Fatal(err)
	}
	if err := l.SetPositions(fakePositions(t, l.DOT())); err != nil {
		t.Fatal(err)
	}
	return l
}

func TestLayoutGolden(t *testing.T) {
	pics := story()
	l := laidOut(t, pics)
	golden.Check(t, "testdata/layout_sizing.dot", l.SizingDOT())
	golden.Check(t, "testdata/layout_union.dot", l.DOT())
	golden.Check(t, "testdata/layout_placed.dot", l.Place(pics[1]))
}

var (
	nodeLine = regexp.MustCompile(`(?m)^\t+(\w+) \[.*$`)
	geometry = regexp.MustCompile(`\b(pos|width|height)="([^"]+)"|<TABLE [^>]*WIDTH="(\d+)" HEIGHT="(\d+)"`)
)

// placedNodes returns each node's geometry in a placed picture: its
// position, and its size or its table's.
func placedNodes(dot []byte) map[string]string {
	out := map[string]string{}
	for _, line := range nodeLine.FindAllStringSubmatch(string(dot), -1) {
		if name := line[1]; name != "graph" && name != "node" && name != "edge" {
			var geo []string
			for _, m := range geometry.FindAllStringSubmatch(line[0], -1) {
				geo = append(geo, strings.Join(m[1:], " "))
			}
			out[name] = strings.Join(geo, "; ")
		}
	}
	return out
}

// TestLayoutPlacesAlike checks that every placed picture puts each node
// it draws at the same position and size, and spans the same box.
func TestLayoutPlacesAlike(t *testing.T) {
	pics := story()
	l := laidOut(t, pics)
	seen := map[string]string{}
	for i, p := range pics {
		for name, geo := range placedNodes(l.Place(p)) {
			if !strings.Contains(geo, "pos ") {
				t.Errorf("picture %d does not place %s", i+1, name)
			}
			if name == "legend" { // it fits its rows, from a fixed top left corner
				geo = legendCorner(t, geo)
			}
			if old, ok := seen[name]; ok && old != geo {
				t.Errorf("picture %d places %s at %s, another at %s", i+1, name, geo, old)
			}
			seen[name] = geo
		}
	}
	for _, name := range []string{"vma1", "vma2", "avc3", "page1", "corner0", "corner1", "legend"} {
		if seen[name] == "" {
			t.Errorf("%s is never placed", name)
		}
	}
}

// legendCorner returns the top left corner of the legend's geometry.
func legendCorner(t *testing.T, geo string) string {
	var x, y, w, h float64
	if _, err := fmt.Sscanf(geo, "pos %g,%g  ;   %g %g", &x, &y, &w, &h); err != nil {
		t.Fatalf("legend geometry %q: %v", geo, err)
	}
	return fmt.Sprint(x-w/2, y+h/2)
}

// TestLayoutSlots checks each node's slot: as high as its tallest look,
// as wide as the widest node of its kind.
func TestLayoutSlots(t *testing.T) {
	l := laidOut(t, story())
	vma1, vma2 := l.size["vma1"], l.size["vma2"]
	if vma1[0] != vma2[0] {
		t.Errorf("VMA slots differ in width: %v, %v", vma1, vma2)
	}
	looks := l.looksOf["vma1"]
	if len(looks) < 2 {
		t.Fatalf("vma1 has %d looks; the walk should add one", len(looks))
	}
	if want := 20 + looks[len(looks)-1]; vma1[1] != want {
		t.Errorf("vma1's slot is %d high, want its tallest look's %d", vma1[1], want)
	}
	if _, ok := l.pos["legend"]; !ok {
		t.Error("the legend has no place")
	}
}

// TestLayoutErrors checks that Graphviz output that does not fit is
// refused, not drawn wrong.
func TestLayoutErrors(t *testing.T) {
	l := NewLayout([]*Picture{Draw(fork(), Options{})})
	for _, bad := range []string{"", "graph 1 1 1\nstop\n", "graph 1 1 1\nnode look0 0 0 1 1\nstop\n", "node look0 0 0 wide 1 x\n"} {
		if err := l.SetSizes([]byte(bad)); err == nil {
			t.Errorf("SetSizes(%q) succeeded", bad)
		}
	}
	if err := l.SetSizes(fakeSizes(t, l.SizingDOT())); err != nil {
		t.Fatal(err)
	}
	if err := l.SetPositions([]byte(`{"bb":"0,0,1,1","objects":[{"name":"vma1","pos":"1,1"}]}`)); err == nil {
		t.Error("SetPositions accepted a layout without most nodes")
	}
	for _, bad := range []string{"1,x", "1", "1,2,3", ""} {
		var g graphJSON
		if err := json.Unmarshal(fakePositions(t, l.DOT()), &g); err != nil {
			t.Fatal(err)
		}
		for i := range g.Objects {
			if strings.HasPrefix(g.Objects[i].Name, "cltop_") {
				g.Objects[i].Pos = bad
			}
		}
		if err := l.SetPositions(marshal(t, g)); err == nil {
			t.Errorf("SetPositions accepted a process's label at %q", bad)
		}
	}
	if err := l.SetPositions([]byte(`{"bb":"0,0,1","objects":[]}`)); err == nil {
		t.Error("SetPositions accepted a bounding box of three numbers")
	}
}

// TestLayoutMultiKernel lays out the same story under two models: the
// objects both draw share their places.
func TestLayoutMultiKernel(t *testing.T) {
	a := Draw(fork(), Options{})
	b := Draw(withModel(fork(), engine.Model{Root: true}), Options{})
	l := laidOut(t, []*Picture{a, b})
	pa, pb := placedNodes(l.Place(a)), placedNodes(l.Place(b))
	if len(pa) < 8 {
		t.Fatalf("placed only %d nodes", len(pa))
	}
	pa["legend"], pb["legend"] = legendCorner(t, pa["legend"]), legendCorner(t, pb["legend"])
	for name, geo := range pa {
		if pb[name] != geo {
			t.Errorf("%s at %s in one kernel, %s in the other", name, geo, pb[name])
		}
	}
}
