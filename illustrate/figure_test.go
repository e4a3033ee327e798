package illustrate

import (
	"context"
	"slices"
	"strings"
	"testing"
)

// TestParseSteps: a list of steps and ranges, in its order; anything
// else is an error that says how many steps the story has.
func TestParseSteps(t *testing.T) {
	tests := []struct {
		list    string
		want    []int
		wantErr string
	}{
		{"2", []int{2}, ""},
		{"2,4-6", []int{2, 4, 5, 6}, ""},
		{"6-6, 1", []int{6, 1}, ""},
		{"7", nil, "step 7 is past the last (the story has 6 steps)"},
		{"5-7", nil, "step 7 is past the last"},
		{"0", nil, "there is no step 0"},
		{"-1", nil, `"-1" is not a step`},
		{"4-2", nil, "4-2 runs backwards: write 2-4"},
		{"1,,2", nil, `"" is not a step`},
		{"+2", nil, `"+2" is not a step`},
		{"1-3,2", nil, "step 2 is asked for twice"},
		{"a-b", nil, `"a-b" is not a step`},
		{"1-99999999999", nil, "is past the last"},
	}
	for _, tt := range tests {
		got, err := ParseSteps(tt.list, 6)
		switch {
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), "6 steps")):
			t.Errorf("ParseSteps(%q) error %v, want %q and the step count", tt.list, err, tt.wantErr)
		case tt.wantErr == "" && (err != nil || !slices.Equal(got, tt.want)):
			t.Errorf("ParseSteps(%q) = %v, %v; want %v", tt.list, got, err, tt.want)
		}
	}
}

// TestRunIndexes: kernels by name, in the order given, or all of them.
func TestRunIndexes(t *testing.T) {
	res := load(t, "../stories/09-interval-tree.yaml") // 2.6.36, 3.7
	tests := []struct {
		kernels string
		want    []int
		wantErr string
	}{
		{"", []int{0}, ""},
		{"all", []int{0, 1}, ""},
		{"3.7", []int{1}, ""},
		{"3.7,2.6.36", []int{1, 0}, ""},
		{"3.7,4.0", nil, "does not run kernel 4.0 (it runs 2.6.36, 3.7)"},
		{"3.7,3.7", nil, "kernel 3.7 is named twice"},
	}
	for _, tt := range tests {
		got, err := RunIndexes(res, tt.kernels)
		if tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) || tt.wantErr == "" && (err != nil || !slices.Equal(got, tt.want)) {
			t.Errorf("RunIndexes(%q) = %v, %v; want %v, %q", tt.kernels, got, err, tt.want, tt.wantErr)
		}
	}
}

// TestComposeCrops: a composed figure's panels are cropped together to
// what they show: no larger than the story's layout, one size for all,
// smaller than it for a story whose first steps show less than its last.
func TestComposeCrops(t *testing.T) {
	ctx, g := context.Background(), newGraphviz(t)
	res := load(t, "../stories/02-fork.yaml")
	d, err := Draw(ctx, g, res, Style{Prefixed: true, NoLegend: true})
	if err != nil {
		t.Fatal(err)
	}
	fig, err := d.Compose(ctx, g, Request{Steps: []int{1, 2}, Legend: LegendNone})
	if err != nil {
		t.Fatal(err)
	}
	if len(fig.Panels) != 2 {
		t.Fatalf("%d panels, want 2", len(fig.Panels))
	}
	lw, lh := d.Frame(0, 0).Drawing().Size()
	var sizes [][2]float64
	for _, p := range fig.Panels {
		w, h := p.Drawing.Size()
		sizes = append(sizes, [2]float64{w, h})
	}
	if sizes[0] != sizes[1] || sizes[0][0] > lw || sizes[0][1] > lh {
		t.Errorf("panels %v, layout %v×%v: not cropped together within it", sizes, lw, lh)
	}
	one, err := d.Compose(ctx, g, Request{Steps: []int{1}, Legend: LegendNone})
	if err != nil {
		t.Fatal(err)
	}
	if w, h := one.Panels[0].Drawing.Size(); w*h >= lw*lh || len(one.Panels) != 1 || one.Width != 0 {
		t.Errorf("step 1 alone is %v×%v on a layout of %v×%v: not cropped, or not a drawing alone", w, h, lw, lh)
	}
}
