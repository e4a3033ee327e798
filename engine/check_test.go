package engine

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

// g1State returns the state after §13 G1's COW step: P and C each with a
// VMA heap of 2 pages; C's page 0 is its own copy.
func g1State(t *testing.T) State {
	t.Helper()
	res := run(t, New(mustModel(t, "2.6.34")), g1()[:3]...)
	return res[2].State.clone()
}

// TestCheckCatchesEachBreak breaks a correct state by hand, one way per
// invariant, and asserts that Check names the invariant and the objects.
func TestCheckCatchesEachBreak(t *testing.T) {
	const (
		vmaP, vmaC = VMAID(1), VMAID(2)
		avP, avC   = AVID(1), AVID(2)
		avcP       = AVCID(1) // P:heap -> av P
		avcCtoP    = AVCID(2) // C:heap -> av P
		avcC       = AVCID(3) // C:heap -> av C
	)
	tests := []struct {
		name   string
		mutate func(s *State)
		want   string // an invariant name
		says   string // a fragment of its message
	}{
		{"AVC missing from its anon_vma's list", func(s *State) {
			s.AnonVMA(avP).Head = []AVCID{avcP}
		}, "I1", "AVC 2 is on the same_anon_vma list of anon_vma P:heap 0 times"},
		{"two AVCs to one anon_vma", func(s *State) {
			s.AVCs = append(s.AVCs, AVC{ID: 4, VMA: vmaC, AnonVMA: avP})
			s.VMA(vmaC).Chain = append(s.VMA(vmaC).Chain, 4)
			s.AnonVMA(avP).Head = append(s.AnonVMA(avP).Head, 4)
		}, "I2", "C:heap has two AVCs to anon_vma P:heap"},
		{"anon_vma not on the chain (B2)", func(s *State) {
			s.VMA(vmaP).Chain = nil
			s.AVC(avcP).Freed = true
			s.AnonVMA(avP).Head = []AVCID{avcCtoP}
		}, "I3", "P:heap has anon_vma P:heap but no AVC linking it there"},
		{"anon_vma not at the head", func(s *State) {
			s.VMA(vmaC).Chain = []AVCID{avcCtoP, avcC}
		}, "I3", "the head of its chain is anon_vma P:heap"},
		{"chain without anon_vma", func(s *State) {
			s.VMA(vmaC).AnonVMA = 0
		}, "I4", "C:heap has no anon_vma but 2 AVC(s)"},
		{"chain reversed (B3)", func(s *State) {
			s.VMA(vmaC).Chain = []AVCID{avcCtoP, avcC}
		}, "I5", "lists anon_vma P:heap before its descendant C:heap"},
		{"freed anon_vma still on a chain", func(s *State) {
			s.AnonVMA(avC).Freed = true
		}, "I7", "C:heap points at anon_vma C:heap, which was freed"},
		{"empty anon_vma not freed", func(s *State) {
			s.AnonVMA(avC).Head = nil
		}, "I7", "anon_vma C:heap has no AVCs left and no references, but was not freed"},
		{"page points where its mapper is not listed (B4)", func(s *State) {
			s.Page(2).Mapping = avC
		}, "R1", "page 2 is mapped by P:heap, which is not on the list of anon_vma C:heap"},
		{"walk misses a mapping", func(s *State) {
			s.Page(2).Mapping = avC
		}, "R5", "an rmap walk of page 2 finds 1 of the 2 PTEs"},
		{"page points at a freed anon_vma", func(s *State) {
			s.AnonVMA(avC).Freed = true
		}, "R2", "page 3 is mapped 1 time(s) but page->mapping points at anon_vma C:heap, which was freed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := g1State(t)
			if v := Check(&s); len(v) != 0 {
				t.Fatalf("the unbroken state has violations: %v", v)
			}
			tt.mutate(&s)
			got := Check(&s)
			i := slices.IndexFunc(got, func(v Violation) bool { return v.Name == tt.want && strings.Contains(v.Msg, tt.says) })
			if i < 0 {
				t.Errorf("Check did not report %s %q; it reported:\n%v", tt.want, tt.says, got)
			}
		})
	}
}

// TestCheckSameAnonVMAChains: two VMAs of one mm sharing an anon_vma with
// different chains break I6 (what B1 did in rc3).
func TestCheckSameAnonVMAChains(t *testing.T) {
	m := New(mustModel(t, "2.6.34"))
	res := run(t, m, []Event{{Op: OpSpawn, Proc: "P"},
		{Op: OpMmap, Proc: "P", Region: "a", Pages: 1, Writable: true},
		{Op: OpMmap, Proc: "P", Region: "b", Pages: 1, Writable: true},
		{Op: OpWrite, Range: whole("P", "a")}, {Op: OpWrite, Range: whole("P", "b")}})
	s := res[0].State.clone()
	s.VMA(2).AnonVMA = s.VMA(1).AnonVMA // b claims a's anon_vma, keeping its own chain
	got := Check(&s)
	if !slices.ContainsFunc(got, func(v Violation) bool {
		return v.Name == "I6" && strings.Contains(v.Msg, "P:a and P:b share anon_vma P:a but their chains differ")
	}) {
		t.Errorf("no I6 in %v", got)
	}
}

// TestWalkIntoFreedAnonVMA: a walk that follows page->mapping into a
// freed anon_vma is an oops recorded in the result, not a panic, and it
// visits nothing.
func TestWalkIntoFreedAnonVMA(t *testing.T) {
	s := g1State(t)
	s.AnonVMA(2).Freed = true
	w := s.Walk(3, "page_referenced")
	if w.Oops == nil {
		t.Fatal("no oops recorded")
	}
	if w.Oops.AnonVMA != 2 || len(w.Visits) != 0 || w.Found != 0 {
		t.Errorf("oops = %+v, visits %d, found %d; want anon_vma 2, nothing visited", w.Oops, len(w.Visits), w.Found)
	}
	if !strings.Contains(w.Oops.Msg, "anon_vma C:heap, which was freed") {
		t.Errorf("oops message does not name the freed anon_vma: %s", w.Oops.Msg)
	}
}

// TestScanAgreesWithEveryPage: where the one pass over the PTEs finds
// every page right, the page-by-page checks find nothing either, so the
// violations are the same whichever ran; over random sequences under
// every model, which break R1 to R5 under the buggy ones.
func TestScanAgreesWithEveryPage(t *testing.T) {
	const seeds = 200 // fewer break none of R1 to R5 (half a second)
	broken := 0
	for _, name := range ModelNames() {
		model := mustModel(t, name)
		for seed := uint64(1); seed <= seeds; seed++ {
			m := New(model)
			for i, ev := range genSequence(seed, 24) {
				m.Advance([]Event{ev}) //nolint:errcheck // a refused event changes nothing
				fast := Check(m.State())
				c := checker{everyPage: true}
				if every := c.run(m.State()); !reflect.DeepEqual(fast, every) {
					t.Fatalf("%s seed %d event %d: the scan's check found %v, the page-by-page one %v", name, seed, i+1, fast, every)
				}
				for _, v := range fast {
					if v.Name >= "R1" && v.Name <= "R5" {
						broken++
					}
				}
			}
		}
	}
	if broken == 0 {
		t.Fatal("no sequence broke R1 to R5: the comparison proves nothing")
	}
}

// TestStepReusesOnlyWhatHolds: Step, which reuses the last step's
// violations when a step changes nothing, reports what a fresh check of
// its state finds, over random sequences each followed by a step that
// changes nothing; and some of those reuse a non-empty list.
func TestStepReusesOnlyWhatHolds(t *testing.T) {
	reused := 0
	for _, name := range ModelNames() {
		model := mustModel(t, name)
		for seed := uint64(1); seed <= 40; seed++ {
			m := New(model)
			for i, ev := range genSequence(seed, 24) {
				for _, step := range [][]Event{{ev}, nil} {
					res, _ := m.Step(step)
					if fresh := Check(&res.State); !reflect.DeepEqual(res.Violations, fresh) {
						t.Fatalf("%s seed %d event %d: Step reports %v, a fresh check %v", name, seed, i+1, res.Violations, fresh)
					}
					if step == nil && len(res.Violations) > 0 {
						reused++
					}
				}
			}
		}
	}
	if reused == 0 {
		t.Fatal("no step that changes nothing followed a broken state: the comparison proves nothing")
	}
}
