package story

import (
	"os"
	"testing"
	"unsafe"

	"github.com/avdoc/avdoc/engine"
)

// TestStory07HoldsEachArrayOnce: the result of the thousand-children story
// holds its page arrays and page tables, summed over every step's
// snapshot and counted once per array however many steps and VMAs share
// it, in at most 2% more memory than its last states alone need. Each
// step's snapshot shares what did not change with the step before (and
// fork's thousand identical page tables with each other), so the steps
// before the last add little; copying them would add the size of a state
// per step that faults pages in.
func TestStory07HoldsEachArrayOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("runs Rik's case at full size")
	}
	src, err := os.ReadFile("../stories/07-rik-1000.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s, err := Parse("07-rik-1000.yaml", src)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Execute(s)
	if err != nil {
		t.Fatal(err)
	}
	held := map[uintptr]int{} // bytes by where each array begins
	last := 0
	for _, run := range res.Runs {
		for i := range run.Steps {
			st := &run.Steps[i].State
			n := arrayBytes(st, held)
			if i == len(run.Steps)-1 {
				last += n
			}
		}
	}
	total := 0
	for _, n := range held {
		total += n
	}
	if total > last+last/50 {
		t.Errorf("the steps hold %d MB of pages and PTEs; their last states alone need %d MB", total>>20, last>>20)
	}
	t.Logf("pages and PTEs held: %d MB; last states: %d MB", total>>20, last>>20)
}

// arrayBytes adds st's page array and page tables to held, by where they
// begin, and returns their size as if none were shared.
func arrayBytes(st *engine.State, held map[uintptr]int) int {
	n := len(st.Pages) * int(unsafe.Sizeof(engine.Page{}))
	if n > 0 { // an earlier snapshot may hold the first pages of the array
		at := uintptr(unsafe.Pointer(&st.Pages[0]))
		held[at] = max(held[at], n)
	}
	for i := range st.VMAs {
		ptes := st.VMAs[i].PTEs
		if len(ptes) == 0 {
			continue
		}
		b, at := len(ptes)*int(unsafe.Sizeof(engine.PTE{})), uintptr(unsafe.Pointer(&ptes[0]))
		held[at] = max(held[at], b)
		n += b
	}
	return n
}
