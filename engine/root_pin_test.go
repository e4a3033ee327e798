package engine

import (
	"fmt"
	"testing"
)

// rootModels are the models with anon_vma->root (2.6.36+), in which each
// child anon_vma pins its root (get_anon_vma(root) in anon_vma_fork) and
// drops the pin when it is freed.
var rootModels = []string{"2.6.36", "3.7", "3.19", "6.0"}

// checkRootPins checks the pins of s: a live root is pinned once by each
// live anon_vma of its family, and nothing else is pinned.
func checkRootPins(s *State) error {
	pins := make([]int, len(s.AnonVMAs)+1)
	for _, a := range s.AnonVMAs {
		if !a.Freed && a.Root != a.ID && a.Root != 0 {
			pins[a.Root]++
		}
	}
	for _, a := range s.AnonVMAs {
		if a.Refcount != pins[a.ID] {
			return fmt.Errorf("anon_vma %s (freed %v) has refcount %d, but %d live anon_vma(s) have it as their root", a.Name, a.Freed, a.Refcount, pins[a.ID])
		}
	}
	return nil
}

// TestRootPinsInRandomSequences: after every step of hundreds of random
// sequences, the root anon_vmas hold exactly their live children's pins.
func TestRootPinsInRandomSequences(t *testing.T) {
	for _, name := range rootModels {
		m := mustModel(t, name)
		for seed := uint64(1); seed <= 200; seed++ {
			mc := New(m)
			for i, ev := range genSequence(seed, 18) {
				res, _ := mc.Step([]Event{ev})
				if err := checkRootPins(&res.State); err != nil {
					t.Fatalf("%s seed %d step %d (%s): %v", name, seed, i+1, ev, err)
				}
			}
		}
	}
}

// TestFamilyExitFreesRoot: when a family of three generations exits, in
// any order, every anon_vma is freed, the root last of all: a pin that
// was never dropped would keep the root (a leak I7 cannot see, since the
// pin counts as a reference).
func TestFamilyExitFreesRoot(t *testing.T) {
	orders := [][]string{{"P", "C", "G"}, {"G", "C", "P"}, {"C", "P", "G"}, {"P", "G", "C"}}
	for _, name := range rootModels {
		for _, order := range orders {
			t.Run(fmt.Sprint(name, order), func(t *testing.T) {
				mc := New(mustModel(t, name))
				steps := [][]Event{
					{sp("P"), mm("P", "heap", 2, pageA, true), wr(whole("P", "heap"))},
					{fk("P", "C")}, {wr(rng("C", "heap", 0, 0))},
					{fk("C", "G")}, {wr(rng("G", "heap", 1, 1))},
				}
				for _, p := range order {
					steps = append(steps, []Event{ex(p)})
				}
				res := run(t, mc, steps...)
				for i, r := range res {
					if len(r.New) > 0 {
						t.Errorf("step %d broke %v", i+1, r.New)
					}
					if err := checkRootPins(&r.State); err != nil {
						t.Errorf("step %d: %v", i+1, err)
					}
				}
				for _, a := range res[len(res)-1].State.AnonVMAs {
					if !a.Freed {
						t.Errorf("anon_vma %s is live after the whole family exited (refcount %d)", a.Name, a.Refcount)
					}
				}
			})
		}
	}
}

// TestRootPinKeepsRootAlive: a root anon_vma whose list has emptied is
// not freed while a child pins it; freeing the child drops the pin and
// frees the root with it. (In a consistent state the root's list empties
// no earlier than its children's, so this is the one way to see the pin
// at work: unlink the root's AVCs first, as a kernel walking a chain in
// another order would.)
func TestRootPinKeepsRootAlive(t *testing.T) {
	for _, name := range rootModels {
		t.Run(name, func(t *testing.T) {
			mc := New(mustModel(t, name))
			run(t, mc, g1()[:3]...)
			root, child := mc.st.AnonVMA(1), mc.st.AnonVMA(2)
			if child.Root != root.ID || root.Refcount != 1 {
				t.Fatalf("after G1: C:heap's root is %d and P:heap's refcount %d; want 1 and 1", child.Root, root.Refcount)
			}
			root.Head = nil
			mc.freeAnonVMA(root.ID)
			if root.Freed {
				t.Fatal("the root was freed while its child C:heap still pins it")
			}
			child.Head = nil
			mc.freeAnonVMA(child.ID)
			if !child.Freed || !root.Freed || root.Refcount != 0 {
				t.Errorf("after freeing the child: child freed %v, root freed %v with refcount %d; want both freed, refcount 0",
					child.Freed, root.Freed, root.Refcount)
			}
		})
	}
}
