package illustrate

import (
	"slices"
	"testing"

	"github.com/avdoc/avdoc/engine"
	"github.com/avdoc/avdoc/site"
	"github.com/avdoc/avdoc/story"
)

// TestKernelInfo: a built-in kernel is its model; a story's own kernel is its base
// model, told by how it differs from it.
func TestKernelInfo(t *testing.T) {
	tests := []struct {
		kernel string // a story's kernels: entry
		want   site.KernelInfo
	}{
		{"2.6.34", site.KernelInfo{Model: "2.6.34"}},
		{"{name: rc3+oldest, base: 2.6.34-rc3, fixes: [oldest-anon-vma]}",
			site.KernelInfo{Model: "2.6.34-rc3", Note: "2.6.34-rc3 plus oldest-anon-vma"}},
		{"{name: no-reuse, base: 2.6.34, fixes: [adjust-exporter, clone-order, oldest-anon-vma, exclusive-newest, fork-unwind]}",
			site.KernelInfo{Model: "2.6.34", Note: "2.6.34 minus reuse-singular"}},
		{"{name: ksm, base: 2.6.33, ksm: true}", site.KernelInfo{Model: "2.6.33", Note: "2.6.33 with CONFIG_KSM"}},
		{"{name: same, base: 2.6.34}", site.KernelInfo{Model: "2.6.34", Note: "the same as 2.6.34"}},
	}
	for _, tt := range tests {
		s, err := story.Parse("t.yaml", []byte("title: t\nkernels:\n  - "+tt.kernel+"\nsteps:\n  - do: spawn P\n"))
		if err != nil {
			t.Fatalf("%s: %v", tt.kernel, err)
		}
		if got := KernelInfo(s); len(got) != 1 || got[0] != tt.want {
			t.Errorf("%s: kernel info %+v, want %+v", tt.kernel, got, tt.want)
		}
	}
}

// TestModels: every model the engine simulates gets a page, with its design and
// only fixes the engine knows.
func TestModels(t *testing.T) {
	models, fixes := Models()
	if len(models) != len(engine.Models()) || len(fixes) != len(engine.Fixes()) {
		t.Fatalf("%d models and %d fixes for the engine's %d and %d", len(models), len(fixes), len(engine.Models()), len(engine.Fixes()))
	}
	var names []string
	for _, f := range fixes {
		names = append(names, f.Name)
	}
	for i, m := range models {
		if m.Name != engine.Models()[i].Name || m.Design == "" || m.Summary == "" {
			t.Errorf("model %d: %+v", i, m)
		}
		for _, f := range m.Fixes {
			if !slices.Contains(names, f) {
				t.Errorf("model %s has unknown fix %q", m.Name, f)
			}
		}
	}
	rc3 := models[slices.IndexFunc(models, func(m site.Model) bool { return m.Name == "2.6.34-rc3" })]
	if !slices.Contains(rc3.Traits, "None of the fixes of the 2.6.34 cycle.") || len(rc3.Fixes) != 0 {
		t.Errorf("2.6.34-rc3: %+v", rc3)
	}
}
