package render

import "testing"

func TestParseFloats(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want []float64 // nil: an error
	}{
		{"27,18.5", 2, []float64{27, 18.5}},
		{"-3.5,1e+02", 2, []float64{-3.5, 100}},
		{"0,0,54,36", 4, []float64{0, 0, 54, 36}},
		{"27", 2, nil},
		{"27,", 2, nil},
		{",18", 2, nil},
		{"27,18,5", 2, nil},
		{"27;18", 2, nil},
		{"x,1", 2, nil},
		{" 1,2", 2, nil},
		{"", 2, nil},
		{"0,0,54", 4, nil},
	}
	for _, tc := range tests {
		got := make([]float64, tc.n)
		err := parseFloats(tc.in, got)
		switch {
		case tc.want == nil && err == nil:
			t.Errorf("parseFloats(%q, %d) = %v, want an error", tc.in, tc.n, got)
		case tc.want != nil && err != nil:
			t.Errorf("parseFloats(%q, %d): %v", tc.in, tc.n, err)
		case tc.want != nil:
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("parseFloats(%q, %d) = %v, want %v", tc.in, tc.n, got, tc.want)
					break
				}
			}
		}
	}
}

func TestSplineBox(t *testing.T) {
	tests := []struct {
		in   string
		want [4]float64
		ok   bool
	}{
		{"e,10,20 1,2 3,40 5,6", [4]float64{1, 2, 10, 40}, true},
		{"s,-1,5 e,7,7 2,3 4,4", [4]float64{-1, 3, 7, 7}, true},
		{"1,2 3,4;50,-6 7,8", [4]float64{1, -6, 50, 8}, true},
		{"1,2 junk 3,x 5,9", [4]float64{1, 2, 5, 9}, true},
		{"", [4]float64{}, false},
		{"e, x,y", [4]float64{}, false},
	}
	for _, tc := range tests {
		got, ok := splineBox(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("splineBox(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}
