package render

import (
	"math"
	"slices"
	"testing"
)

// sized is a layout of pics with fake sizes, before positions.
func sized(t *testing.T, pics []*Picture) *Layout {
	t.Helper()
	l := NewLayout(pics)
	if err := l.SetSizes(fakeSizes(t, l.SizingDOT())); err != nil {
		t.Fatal(err)
	}
	return l
}

// TestSceneStarts cuts a story into scenes at steps that start one, in
// order from 0, more of them the lower the bound, one with no bound, and
// one for kernels side by side as for one kernel drawing the same.
func TestSceneStarts(t *testing.T) {
	pics := story()
	l := sized(t, pics)
	if got := l.SceneStarts(len(pics), math.Inf(1)); !slices.Equal(got, []int{0}) {
		t.Errorf("with no bound, scenes start at %v, want [0]", got)
	}
	prev := 1
	for _, bound := range []float64{4, 2, 1.5, 1.2, 1, 0.5} {
		got := l.SceneStarts(len(pics), bound)
		if !increasing(got, len(pics)) {
			t.Errorf("bound %g: scenes start at %v, not at increasing steps from 0", bound, got)
		}
		if len(got) < prev {
			t.Errorf("bound %g: %d scenes, fewer than a higher bound's %d", bound, len(got), prev)
		}
		prev = len(got)
	}
	if got := l.SceneStarts(len(pics), 0.5); len(got) != len(pics) {
		t.Errorf("bound 0.5, under any frame's price: scenes start at %v, want one a step", got)
	}
	twice := sized(t, append(slices.Clone(pics), pics...))
	for _, bound := range []float64{2, 1.2} {
		if a, b := l.SceneStarts(len(pics), bound), twice.SceneStarts(len(pics), bound); !slices.Equal(a, b) {
			t.Errorf("bound %g: one kernel's scenes start at %v, two alike kernels' at %v", bound, a, b)
		}
	}
}

// TestSceneSizes gives a scene's layout the sizes measured for the whole
// story, and refuses a look that was not measured.
func TestSceneSizes(t *testing.T) {
	pics := story()
	all := sized(t, pics)
	scene := NewLayout(pics[1:2])
	if err := scene.SizesFrom(all); err != nil {
		t.Fatal(err)
	}
	for i, n := range scene.looks {
		if want := all.natural[all.lookOf[lookKey(n)]]; scene.natural[i] != want {
			t.Errorf("look %d (%s) is %v in the scene, %v as measured", i, n.name, scene.natural[i], want)
		}
	}
	if err := NewLayout(pics[1:2]).SizesFrom(sized(t, pics[:1])); err == nil {
		t.Error("a scene took sizes from a layout that never measured its looks")
	}
}

// increasing reports whether starts go up from 0, step by step, under n.
func increasing(starts []int, n int) bool {
	if len(starts) == 0 || starts[0] != 0 {
		return false
	}
	for i := 1; i < len(starts); i++ {
		if starts[i] <= starts[i-1] || starts[i] >= n {
			return false
		}
	}
	return true
}
