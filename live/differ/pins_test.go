package differ

import (
	"strings"
	"testing"

	"github.com/avdoc/avdoc/engine"
	"github.com/avdoc/avdoc/story"
)

// TestPinsHoldWhereTheyClaim: where 6.0 and 6.18 part (6.18 merges a
// faulted page into an unfaulted neighbour, 6.0 does not), the pins of
// each hold in a story run under that model, as avdoc check runs them,
// and name the merge.
func TestPinsHoldWhereTheyClaim(t *testing.T) {
	steps := [][]string{{"spawn P", "mmap P b 2 at 513", "write P:b", "mprotect P:b ro", "mmap P a 1 at 512"}, {"mprotect P:b:0 rw"}}
	var states [2]engine.State
	for i, name := range []string{"6.0", "6.18"} {
		m, err := engine.Lookup(name)
		if err != nil {
			t.Fatal(err)
		}
		mach := engine.New(m)
		for _, st := range steps {
			res, err := mach.Step(events(t, st...))
			if err != nil {
				t.Fatal(err)
			}
			states[i] = res.State
		}
	}
	m := model(t)
	p60, p618 := Pins(&m, &states[0], &states[1])
	if !contains(p60, "vma(P:a:0) != vma(P:b:0)") || !contains(p618, "vma(P:a:0) == vma(P:b:0)") || !contains(p618, "anon_vma(P:a:0) == av(P:b)") {
		t.Errorf("pins: 6.0 %q; 6.18 %q; want the merge named", p60, p618)
	}
	src := "title: t\nkernels: [\"6.0\", \"6.18\"]\nsteps:\n  - do: [" + strings.Join(steps[0], ", ") + "]\n" +
		"  - do: [" + strings.Join(steps[1], ", ") + "]\n    expect:\n      6.0:\n" + items(p60) + "      6.18:\n" + items(p618)
	s, err := story.Parse("pins.yaml", []byte(src))
	if err != nil {
		t.Fatalf("%v\n%s", err, src)
	}
	res, err := story.Execute(s)
	if err != nil || len(res.Failures) > 0 {
		t.Errorf("%v %v\n%s", err, res.Failures, src)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func items(list []string) string {
	var b strings.Builder
	for _, x := range list {
		b.WriteString("        - " + x + "\n")
	}
	return b.String()
}
