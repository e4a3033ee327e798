package illustrate

import (
	"strings"
	"testing"

	"github.com/avdoc/avdoc/figure"
)

// TestNodesNeverOverlap checks every frame of every shipped story, as
// the site prints it: objects that share a place on the story's layout
// (see render's share.go) are never drawn together, so no two node boxes
// of a frame overlap.
func TestNodesNeverOverlap(t *testing.T) {
	checked := 0
	eachShippedFrame(t, SiteStyle(), func(_ string, f Frame) {
		checked += checkNoOverlap(t, f.Title, f.Figure(true).Panels[0].Drawing)
	})
	if checked < 1000 {
		t.Errorf("only %d nodes checked; the test reads the frames wrongly", checked)
	}
}

// checkNoOverlap fails if two node groups' boxes overlap by more than a
// stroke, and returns how many nodes it checked.
func checkNoOverlap(t *testing.T, title string, d *figure.Drawing) int {
	t.Helper()
	const stroke = 1.5 // two outlines may touch
	type node struct {
		id string
		bb [4]float64
	}
	var nodes []node
	for _, g := range d.Groups {
		if g.Kind != "node" {
			continue
		}
		bb, ok := (&figure.Drawing{Groups: []figure.Group{g}}).Bounds()
		if !ok {
			continue
		}
		for _, o := range nodes {
			if min(bb[2], o.bb[2])-max(bb[0], o.bb[0]) > stroke && min(bb[3], o.bb[3])-max(bb[1], o.bb[1]) > stroke {
				t.Errorf("%s: %s at %v overlaps %s at %v", title, g.ID, bb, o.id, o.bb)
			}
		}
		nodes = append(nodes, node{g.ID, bb})
	}
	return len(nodes)
}

// TestVMAsInTheirProcessBoxes checks every frame of every shipped story,
// as the site prints it: each VMA is drawn inside its process's box,
// also when the story's kernels number their VMAs apart (see render's
// rename.go).
func TestVMAsInTheirProcessBoxes(t *testing.T) {
	checked := 0
	eachShippedFrame(t, SiteStyle(), func(_ string, f Frame) {
		checked += checkInBoxes(t, f.Title, processOf(f.Picture.DOT()), f.Figure(true).Panels[0].Drawing)
	})
	if checked < 500 {
		t.Errorf("only %d VMAs checked; the test reads the frames wrongly", checked)
	}
}

// processOf reads which cluster each node of a picture's free DOT is in.
func processOf(dot []byte) map[string]string {
	out := map[string]string{}
	cluster := ""
	for _, line := range strings.Split(string(dot), "\n") {
		switch {
		case strings.HasPrefix(line, "\tsubgraph "):
			cluster = strings.Fields(line)[1]
		case line == "\t}":
			cluster = ""
		case cluster != "" && strings.HasPrefix(line, "\t\t") && !strings.HasPrefix(line, "\t\tgraph "):
			out[strings.Fields(line)[0]] = cluster
		}
	}
	return out
}

// checkInBoxes fails if a VMA's box reaches outside its cluster's by
// more than a stroke, and returns how many VMAs it checked.
func checkInBoxes(t *testing.T, title string, in map[string]string, d *figure.Drawing) int {
	t.Helper()
	const stroke = 1.5
	boxes := map[string][4]float64{}
	for _, g := range d.Groups {
		if g.Kind == "cluster" {
			boxes["cluster_"+g.ID], _ = (&figure.Drawing{Groups: []figure.Group{g}}).Bounds()
		}
	}
	n := 0
	for _, g := range d.Groups {
		if g.Kind != "node" || !strings.HasPrefix(g.ID, "vma") {
			continue
		}
		bb, _ := (&figure.Drawing{Groups: []figure.Group{g}}).Bounds()
		c, ok := boxes[in[g.ID]]
		if !ok {
			t.Errorf("%s: %s is in no drawn process box (its cluster %q)", title, g.ID, in[g.ID])
			continue
		}
		if bb[0] < c[0]-stroke || bb[1] < c[1]-stroke || bb[2] > c[2]+stroke || bb[3] > c[3]+stroke {
			t.Errorf("%s: %s at %v is outside its process box %s at %v", title, g.ID, bb, in[g.ID], c)
		}
		n++
	}
	return n
}
