package story

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/avdoc/avdoc/engine"
)

// execute parses and runs src, failing the test on any error in it.
func execute(t *testing.T, src string) *Result {
	t.Helper()
	s, err := Parse("story.yaml", []byte(src))
	if err != nil {
		t.Fatalf("Parse: %v\n%s", err, src)
	}
	res, err := Execute(s)
	if err != nil {
		t.Fatalf("Execute: %v\n%s", err, src)
	}
	return res
}

func failureTexts(res *Result) []string {
	var out []string
	for _, f := range res.Failures {
		out = append(out, f.String())
	}
	return out
}

// TestExpectations evaluates one expectation after P, with two pages of
// which page 0 is written, forks C. got is what the failure reports, or
// "" if the expectation holds.
func TestExpectations(t *testing.T) {
	tests := []struct{ expect, got string }{
		{"anon_vma(C:heap:0) == av(C:heap)", ""},
		{"anon_vma(C:heap:0) == av(P:heap)", "anon_vma(C:heap:0) is av(C:heap)"},
		{"anon_vma(C:heap:0) != av(P:heap)", ""},
		{"anon_vma(C:heap:0) != av(C:heap)", "anon_vma(C:heap:0) is av(C:heap)"},
		{"av(C:heap) == anon_vma(C:heap:0)", ""},
		{"av(P:heap) == anon_vma(C:heap:0)", "anon_vma(C:heap:0) is av(C:heap)"},
		{"chain(C:heap:0) == [av(C:heap), av(P:heap)]", ""},
		{"chain(C:heap:0) == [av(P:heap), av(C:heap)]", "chain(C:heap:0) is [av(C:heap), av(P:heap)]"},
		{"chain(P:heap:0) == [av(P:heap)]", ""},
		{"chain(C:heap:0) != []", ""},
		{"av(P:heap) in chain(C:heap:0)", ""},
		{"av(C:heap) in chain(P:heap:0)", "chain(P:heap:0) is [av(P:heap)]"},
		{"C in walk(P:heap:0)", ""},
		{"count(avc) in [1, 2, 3]", ""},
		{"count(avc) in [1, 2]", "count(avc) is 3"},
		{"count(avc) < 4", ""},
		{"count(avc) < 3", "count(avc) is 3"},
		{"count(avc) <= 3", ""},
		{"count(avc) > 3", "count(avc) is 3"},
		{"count(avc) >= 3", ""},
		{"count(anon_vma) == 2", ""},
		{"count(process) == 3", "count(process) is 2"},
		{"count(vma) == 2", ""},
		{"count(page) == 1", ""},
		{"count(page) > 1", "count(page) is 1"},
		{"visits(P:heap:0) == 2", ""},
		{"visits(P:heap:0) == 1", "visits(P:heap:0) is 2"},
		{"visits(P:heap:1) == 0", ""},
		{"walk(P:heap:0) == [P, C]", ""},
		{"walk(C:heap:0) == [P, C]", ""},
		{"walk(P:heap:0) == [C, P]", "walk(P:heap:0) is [P, C]"},
		{"walk(P:heap:1) == []", ""},
		{"alive(av(C:heap))", ""},
		{"freed(av(C:heap))", "freed(av(C:heap)) is false"},
		{"mapping(P:heap:1) == NULL", ""},
		{"anon_vma(P:heap:1) != NULL", ""},
		{"mapping(P:heap:0) == NULL", "mapping(P:heap:0) is av(P:heap)"},
		{"mapping(C:heap:0) == av(P:heap)", ""},
		{"page(P:heap:1) == NULL", ""},
		{"page(P:heap:1) == zero_page", "page(P:heap:1) is NULL"},
		{"page(C:heap:0) == page(P:heap:0)", ""},
		{"page(C:heap:0) != page(P:heap:0)", "page(C:heap:0) is page 1 and page(P:heap:0) is page 1"},
		{"vma(C:heap:0) != vma(P:heap:1)", ""},
		{"mapcount(P:heap:0) == 2", ""},
		{"mapcount(P:heap:0) == 1", "mapcount(P:heap:0) is 2"},
		{"mapcount(P:heap:1) == 0", ""},
		{"av(P:heap#2) == NULL", "av(P:heap#2) is not created yet"},
		{"av(P:heap#2) != av(P:heap)", ""},
		{"clean", ""},
		{"no oops", ""},
		{"oops", "no rmap walk reached freed memory"},
		{"violation I3", "no new I3 violation (the step broke no invariant and did not oops)"},
	}
	const head = "title: T\nkernel: 2.6.34\nsteps:\n  - do: [spawn P, mmap P heap 2, write P:heap:0, fork P C]\n    expect:\n"
	for _, tt := range tests {
		t.Run(tt.expect, func(t *testing.T) {
			res := execute(t, head+"      - "+tt.expect+"\n")
			checks := res.Runs[0].Steps[0].Checks
			if len(checks) != 1 {
				t.Fatalf("%d checks, want 1", len(checks))
			}
			var want []string
			if tt.got != "" {
				want = []string{fmt.Sprintf("story.yaml:6:9: step 1 (kernel 2.6.34): expected %s, got %s", tt.expect, tt.got)}
			}
			if got := failureTexts(res); !reflect.DeepEqual(got, want) {
				t.Errorf("failures:\ngot  %q\nwant %q", got, want)
			}
			if checks[0].OK != (tt.got == "") || checks[0].Got != tt.got && !checks[0].OK {
				t.Errorf("check = %+v", checks[0])
			}
		})
	}
}

// TestExpectationsOverSteps follows objects through later steps: freed
// anon_vmas, exited processes, the zero page.
func TestExpectationsOverSteps(t *testing.T) {
	src := `title: T
kernel: 2.6.34
steps:
  - do: [spawn P, mmap P heap 2, write P:heap:0, fork P C]
  - do: read P:heap:1
    expect:
      - page(P:heap:1) == zero_page
      - page(C:heap:1) == NULL
      - mapping(P:heap:1) == NULL
      - mapcount(P:heap:1) == 0
  - do: exit C
    expect:
      - freed(av(C:heap))
      - alive(av(C:heap))
      - alive(av(P:heap))
      - page(C:heap:0) == NULL
      - mapcount(C:heap:0) == 0
      - walk(P:heap:0) == [P]
      - count(process) == 1
      - clean
`
	res := execute(t, src)
	want := []string{
		"story.yaml:14:9: step 3 (kernel 2.6.34): expected alive(av(C:heap)), got alive(av(C:heap)) is false",
	}
	if got := failureTexts(res); !reflect.DeepEqual(got, want) {
		t.Errorf("failures:\ngot  %q\nwant %q", got, want)
	}
	if n := len(res.Runs[0].Steps[1].Checks) + len(res.Runs[0].Steps[2].Checks); n != 12 {
		t.Errorf("%d checks, want 12", n)
	}
}

// TestExpectationsPerKernel: a map from kernel to expectations applies each
// list to its kernel only, and `all` to every kernel.
func TestExpectationsPerKernel(t *testing.T) {
	src := `title: T
kernels:
  - 2.6.34
  - {name: twin, base: 2.6.34, fixes: [reuse-singular, adjust-exporter, clone-order, oldest-anon-vma, exclusive-newest, fork-unwind]}
steps:
  - do: [spawn P, mmap P heap 1, write P:heap:0]
    expect:
      all: [count(avc) == 2]
      twin: [count(avc) == 3]
      2.6.34: [count(avc) == 1]
`
	res := execute(t, src)
	want := []string{
		"story.yaml:8:13: step 1 (kernel 2.6.34): expected count(avc) == 2, got count(avc) is 1",
		"story.yaml:8:13: step 1 (kernel twin): expected count(avc) == 2, got count(avc) is 1",
		"story.yaml:9:14: step 1 (kernel twin): expected count(avc) == 3, got count(avc) is 1",
	}
	if got := failureTexts(res); !reflect.DeepEqual(got, want) {
		t.Errorf("failures:\ngot  %q\nwant %q", got, want)
	}
	for i, run := range res.Runs {
		if n := len(run.Steps[0].Checks); n != 2 {
			t.Errorf("kernel %d ran %d checks, want 2", i, n)
		}
	}
}

// TestExpectationInputErrors: an expectation about something the story
// never made is an error in the story, reported once, not a failure.
func TestExpectationInputErrors(t *testing.T) {
	tests := []struct{ expect, err string }{
		{"mapping(Q:heap:0) == NULL", "story.yaml:6:17: the story has no process Q (its processes are C, P)"},
		{"freed(av(P:heap#2))", "story.yaml:6:15: there is no anon_vma av(P:heap#2) at this step (an anon_vma is made by the first write fault in a region, or by fork)"},
		{"freed(P)", "story.yaml:6:15: freed() takes an anon_vma, such as av(P:heap); found P"},
		{"count(avc) < av(P:heap)", "story.yaml:6:9: < compares numbers, found 3 and av(P:heap)"},
		{"count(avc) in 3", "story.yaml:6:23: the right side of `in` must be a list, such as chain(P:heap:0)"},
		{"root(av(P:heap)) == av(P:heap)", "story.yaml:6:9: root() needs a model that has it; kernel 2.6.34 does not (anon_vma->root arrives in 2.6.36, degree in 3.19, num_children and num_active_vmas in 6.0)\n" +
			"story.yaml:6:9: root() needs a model that has it; kernel twin does not (anon_vma->root arrives in 2.6.36, degree in 3.19, num_children and num_active_vmas in 6.0)"},
		{"chain(P:stack:0) == []", "story.yaml:6:17: process P has no region stack at this step (P has: heap)"},
		{"chain(P:heap:2) == []", "story.yaml:6:22: page index 2 is outside region heap of P (2 pages: 0..1)"},
	}
	const head = "title: T\nkernels: [2.6.34, {name: twin, base: 2.6.34}]\nsteps:\n  - do: [spawn P, mmap P heap 2, write P:heap:0, fork P C]\n    expect:\n"
	for _, tt := range tests {
		t.Run(tt.expect, func(t *testing.T) {
			s, err := Parse("story.yaml", []byte(head+"      - "+tt.expect+"\n"))
			if err != nil {
				t.Fatal(err)
			}
			res, err := Execute(s)
			if err == nil || err.Error() != tt.err {
				t.Errorf("error:\ngot  %v\nwant %s", err, tt.err)
			}
			if len(res.Failures) != 0 {
				t.Errorf("failures %q, want none", failureTexts(res))
			}
		})
	}
}

// TestHonestyRule calls checkStep on hand-made results: 2.6.34 breaks no
// invariant, so no story can make it.
func TestHonestyRule(t *testing.T) {
	i3 := engine.Violation{Name: "I3", Key: "I3 vma 2", Msg: "anon_vma of C:heap is not at the head of its chain"}
	r1 := engine.Violation{Name: "R1", Key: "R1 page 1", Msg: "page 1 is mapped in C:heap, which av(P:heap) does not reach"}
	oops := engine.Walk{Page: 1, Oops: &engine.Oops{Page: 1, AnonVMA: 2, Msg: "walk reached freed av(C:heap)"}}
	check := func(text string, ok bool) Check {
		x, err := parseExpr(text, textPos{start: Pos{File: "s.yaml", Line: 9, Col: 9}, text: text, exact: true})
		if err != nil {
			t.Fatal(err)
		}
		return Check{Expectation: &Expectation{Text: text, Pos: Pos{File: "s.yaml", Line: 9, Col: 9}, Expr: x}, OK: ok, Got: "something else"}
	}
	step := &Step{Pos: Pos{File: "s.yaml", Line: 7, Col: 5}}
	tests := []struct {
		name   string
		new    []engine.Violation
		walks  []engine.Walk
		checks []Check
		want   []string
	}{
		{"clean step, no expectations", nil, nil, nil, nil},
		{"violation named nowhere", []engine.Violation{i3}, nil, nil, []string{
			"s.yaml:7:5: step 3 (kernel k): the step broke I3: anon_vma of C:heap is not at the head of its chain, but no expectation names it (add `violation I3` to its expect)",
		}},
		{"violation named", []engine.Violation{i3}, nil, []Check{check("violation I3", true)}, nil},
		{"one of two violations named", []engine.Violation{i3, r1}, nil, []Check{check("violation R1", true)}, nil},
		{"violation with only other expectations", []engine.Violation{i3, r1}, nil, []Check{check("count(avc) == 3", true), check("no oops", true)}, []string{
			"s.yaml:7:5: step 3 (kernel k): the step broke I3: anon_vma of C:heap is not at the head of its chain; broke R1: page 1 is mapped in C:heap, which av(P:heap) does not reach, but no expectation names it (add `violation I3` to its expect)",
		}},
		{"clean claimed on a broken step", []engine.Violation{i3}, nil, []Check{check("clean", false)}, []string{
			"s.yaml:9:9: step 3 (kernel k): expected clean, got something else",
			"s.yaml:7:5: step 3 (kernel k): the step broke I3: anon_vma of C:heap is not at the head of its chain, but no expectation names it (add `violation I3` to its expect)",
		}},
		{"oops named nowhere", nil, []engine.Walk{oops}, []Check{check("clean", false)}, []string{
			"s.yaml:9:9: step 3 (kernel k): expected clean, got something else",
			"s.yaml:7:5: step 3 (kernel k): the step oopsed, but no expectation names it (add `oops` to its expect)",
		}},
		{"oops named", nil, []engine.Walk{oops}, []Check{check("oops", true)}, nil},
		{"a violation that does not occur", nil, nil, []Check{check("violation I3", false)}, []string{
			"s.yaml:9:9: step 3 (kernel k): expected violation I3, got something else",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sr := &StepRun{StepResult: engine.StepResult{Step: 3, New: tt.new, Violations: tt.new, Walks: tt.walks}, Checks: tt.checks}
			var got []string
			for _, f := range checkStep(sr, step, "k") {
				got = append(got, f.String())
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("failures:\ngot  %s\nwant %s", strings.Join(got, "\n     "), strings.Join(tt.want, "\n     "))
			}
		})
	}
}

// TestShippedStories runs the stories of stories/: they must parse, run
// and hold.
func TestShippedStories(t *testing.T) {
	for _, file := range shippedStories(t) {
		s, err := Parse(file.name, file.src)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		res, err := ExecuteOn(s, asModel)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		for _, f := range res.Failures {
			t.Errorf("%s", f)
		}
	}
}

// TestModelFunctions evaluates the functions that only some models have,
// after P writes a page and forks C, under each model that has them, and
// checks the input error under one that does not.
func TestModelFunctions(t *testing.T) {
	tests := []struct {
		kernel, expect, got string // got "" = holds; "error: …" = an input error
	}{
		{"2.6.36", "root(av(C:heap)) == av(P:heap)", ""},
		{"2.6.36", "root(av(P:heap)) == av(P:heap)", ""},
		{"2.6.36", "root(anon_vma(C:heap:0)) == av(C:heap)", "root(anon_vma(C:heap:0)) is av(P:heap)"},
		{"3.19", "degree(av(P:heap)) == 3", ""}, // P's VMA, C's anon_vma, its self link
		{"3.19", "degree(av(C:heap)) == 1", ""},
		{"6.0", "num_children(av(P:heap)) == 2", ""}, // itself and C's
		{"6.0", "num_active_vmas(av(P:heap)) == 1", ""},
		{"6.0", "num_active_vmas(av(C:heap)) == 2", "num_active_vmas(av(C:heap)) is 1"},
		{"2.6.33", "chain(C:heap:0) == [av(P:heap)]", ""},
		{"2.6.33", "count(anon_vma) == 1", ""},
		{"2.6.6", "count(pte_chain) == 2", ""},
		{"2.6.6", "count(anon_vma) == 0", ""},
		{"2.6.34", "count(pte_chain) == 0", ""},
		{"2.6.34", "root(av(C:heap)) == av(P:heap)", "error: root() needs a model that has it; kernel 2.6.34 does not"},
		{"3.19", "num_children(av(P:heap)) == 2", "error: num_children() needs a model that has it; kernel 3.19 does not"},
	}
	for _, tt := range tests {
		t.Run(tt.kernel+" "+tt.expect, func(t *testing.T) {
			src := fmt.Sprintf("title: T\nkernel: %s\nsteps:\n  - do: [spawn P, mmap P heap 1, write P:heap:0, fork P C]\n    expect:\n      - %s\n", tt.kernel, tt.expect)
			s, err := Parse("story.yaml", []byte(src))
			if err != nil {
				t.Fatal(err)
			}
			res, err := Execute(s)
			if strings.HasPrefix(tt.got, "error: ") {
				if err == nil || !strings.Contains(err.Error(), strings.TrimPrefix(tt.got, "error: ")) {
					t.Errorf("got error %v, want %q", err, tt.got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got string
			if f := failureTexts(res); len(f) > 0 {
				got = f[0][strings.Index(f[0], ", got ")+len(", got "):]
			}
			if got != tt.got {
				t.Errorf("got %q, want %q", got, tt.got)
			}
		})
	}
}
