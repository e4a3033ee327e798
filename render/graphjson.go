package render

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
)

// graphJSON is what avdoc reads of Graphviz's "json0" output: the
// bounding box, each node's centre and each edge's route, in points.
// Nothing else is decoded: skipping a field costs json.Unmarshal less than
// decoding it.
type graphJSON struct {
	BB      string       `json:"bb"`
	Objects []objectJSON `json:"objects"`
	Edges   []edgeJSON   `json:"edges"`
}

type objectJSON struct {
	Name string `json:"name"`
	Pos  string `json:"pos"` // a node's centre
}

type edgeJSON struct {
	ID  string `json:"id"`
	Pos string `json:"pos"` // the spline
}

func parseGraphJSON(data []byte) (*graphJSON, error) {
	var g graphJSON
	if err := json.Unmarshal(data, &g); err != nil {
		return nil, fmt.Errorf("reading Graphviz's layout: %w", err)
	}
	if _, err := parseBox(g.BB); err != nil {
		return nil, fmt.Errorf("reading Graphviz's layout: graph bb: %w", err)
	}
	return &g, nil
}

// points returns the size of node name, given by Graphviz in inches, in
// whole points, rounded up.
func points(name, width, height string) (w, h int, err error) {
	fw, err1 := strconv.ParseFloat(width, 64)
	fh, err2 := strconv.ParseFloat(height, 64)
	if err1 != nil || err2 != nil {
		return 0, 0, fmt.Errorf("node %s has no size (width %q, height %q)", name, width, height)
	}
	// float64(): never fused into a multiply-add, which would round
	// differently on arm64 and others than on amd64.
	return int(math.Ceil(float64(fw*72) - 0.01)), int(math.Ceil(float64(fh*72) - 0.01)), nil
}

// parseBox reads "x0,y0,x1,y1".
func parseBox(s string) ([4]float64, error) {
	var b [4]float64
	if err := parseFloats(s, b[:]); err != nil {
		return b, fmt.Errorf("bounding box: %w", err)
	}
	return b, nil
}
