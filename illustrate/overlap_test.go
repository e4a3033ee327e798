package illustrate

import (
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
