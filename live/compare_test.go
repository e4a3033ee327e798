package live

import (
	"strings"
	"testing"

	"github.com/avdoc/avdoc/engine"
	"github.com/avdoc/avdoc/engine/compare"
)

// runBoth runs steps on the 6.0 model and live, and returns, for each
// step, the differences and the kernel's state.
func runBoth(t *testing.T, steps [][]string) ([][]Difference, []engine.State) {
	t.Helper()
	model, err := engine.Lookup("6.0")
	if err != nil {
		t.Fatal(err)
	}
	s, m := open(t), engine.New(model)
	var diffs [][]Difference
	var states []engine.State
	for i, step := range steps {
		var evs []engine.Event
		for _, text := range step {
			evs = append(evs, event(t, text))
		}
		mr, err := m.Step(evs)
		if err != nil {
			t.Fatalf("step %d on the model: %v", i+1, err)
		}
		kr, err := s.Step(evs, &model)
		if err != nil {
			t.Fatalf("step %d live: %v", i+1, err)
		}
		diffs = append(diffs, Compare(&mr.State, &kr.State))
		states = append(states, kr.State)
	}
	return diffs, states
}

// TestCompareForkChainWith60 compares the 6.0 model with the kernel over a
// fork chain, a COW write, a zero-page read, a split, an exit in the
// middle and a fork after it: they agree on every VMA, chain, page and
// counter (anon_vma_fork and unlink_anon_vmas did not change in 6.1-6.18).
// After munmap shrinks P's VMA, the kernel files its AVC again in the
// root's interval tree, after the others with the same start
// (anon_vma_interval_tree_post_update_vma), so the walk of P's page visits
// G's and D's VMAs first: only walks may differ there.
func TestCompareForkChainWith60(t *testing.T) {
	diffs, states := runBoth(t, [][]string{
		{"spawn P", "mmap P heap 4 at 16", "write P:heap:0..1"},
		{"fork P C"},
		{"write C:heap:0", "read C:heap:2"},
		{"fork C G", "mprotect G:heap:1..2 ro"},
		{"exit C"},
		{"fork P D", "munmap P:heap:3"},
	})
	for i, ds := range diffs[:5] {
		for _, d := range ds {
			t.Errorf("step %d: %s", i+1, d)
		}
	}
	for _, d := range diffs[5] {
		if !strings.Contains(d.What, " walk of page ") {
			t.Errorf("step 6: %s", d)
		}
	}
	st := &states[5]
	p := st.ProcByName("P")
	pte, _ := st.PTEAt(p, 16)
	if got, want := walkText(st, pte.Page), "visits G:heap[0..0], D:heap (found), P:heap[0..2] (found)"; got != want {
		t.Errorf("the kernel's walk of P:heap:0 %s, want %s", got, want)
	}
}

// TestCompareShowsUnaccountedMprotect checks a difference Compare must
// report: since 6.7 ("mm/mprotect: allow unfaulted VMAs to be unaccounted
// on mprotect()") mprotect read-only of an unfaulted VMA drops VM_ACCOUNT,
// which 6.0 keeps.
func TestCompareShowsUnaccountedMprotect(t *testing.T) {
	diffs, _ := runBoth(t, [][]string{{"spawn P", "mmap P a 4 at 16"}, {"mprotect P:a:2..3 ro"}})
	want := []Difference{{What: "P:a[2..3] flags", Model: "ro VM_ACCOUNT", Kernel: "ro", Kind: KindFlags}}
	if len(diffs[0]) != 0 || len(diffs[1]) != 1 || diffs[1][0] != want[0] {
		t.Errorf("differences: %v; want none, then %v", diffs, want)
	}
}

// TestLiveRunsCompareAsKernels feeds a live run and a model run to
// engine/compare, as the site's kernel comparison will. After a split the
// kernel files the resized VMA's AVC again after the others with the same
// start; the 6.0 model does too since the fidelity fix, so nothing differs,
// while 2.6.36, whose same_anon_vma is a list in creation order, walks the
// child first and says so.
func TestLiveRunsCompareAsKernels(t *testing.T) {
	tests := []struct {
		model string
		step3 string // what compare.Kernels says in step 3; "" for nothing
	}{
		{"6.0", ""},
		{"2.6.36", "C:a"},
	}
	for _, tt := range tests {
		t.Run(tt.model, func(t *testing.T) {
			got := compareWithLive(t, tt.model)
			if len(got) != 3 || len(got[0]) != 0 || len(got[1]) != 0 {
				t.Fatalf("compare.Kernels: %q; want nothing in steps 1 and 2", got)
			}
			if tt.step3 == "" && len(got[2]) != 0 || tt.step3 != "" && !strings.Contains(strings.Join(got[2], " "), tt.step3) {
				t.Errorf("step 3: %q; want %q named", got[2], tt.step3)
			}
		})
	}
}

// compareWithLive runs a fork and a split under the model and on the live
// kernel, and compares them as kernels side by side.
func compareWithLive(t *testing.T, name string) [][]string {
	model, err := engine.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	var machines = []interface {
		Step([]engine.Event) (engine.StepResult, error)
	}{engine.New(model), open(t).Machine(&model)}
	runs := []compare.Run{{Kernel: name}, {Kernel: "live"}}
	for _, step := range [][]string{{"spawn P", "mmap P a 4 at 16", "write P:a"}, {"fork P C"}, {"mprotect P:a:0..1 ro", "walk P:a:0"}} {
		var evs []engine.Event
		for _, text := range step {
			evs = append(evs, event(t, text))
		}
		for i, m := range machines {
			r, err := m.Step(evs)
			if err != nil {
				t.Fatal(err)
			}
			runs[i].Steps = append(runs[i].Steps, &r)
		}
	}
	return compare.Kernels(runs)
}
