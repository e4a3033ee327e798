package main

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/avdoc/avdoc/engine"
	"github.com/avdoc/avdoc/engine/explore"
)

// maxNarrated is how many lines of a step's kernel log its generated
// narration quotes.
const maxNarrated = 6

// foundStory writes what the explorer found as a story: the setup, one
// step per event with narration from the kernel's own log, `clean` on
// every step before the last, and the outcome named on the last, so that
// avdoc check passes on it.
func foundStory(cfg explore.Config, f exploreFlags, res explore.Result) string {
	fd := res.Found
	var b strings.Builder
	fmt.Fprintf(&b, "# Found by: avdoc explore %s\n", strings.Join(f.argv(), " "))
	fmt.Fprintf(&b, "title: %s\n", strconv.Quote(fmt.Sprintf("A shortest sequence that breaks %s under %s", outcomeNames(fd), cfg.Model.Name)))
	fmt.Fprintf(&b, "summary: >\n  avdoc explore tried %d event sequences (%d distinct states) and found this one, %d events long,\n"+
		"  after which %s. No shorter sequence of the events it tried does that.\n", res.Sequences, res.States, len(fd.Events), outcomeSentence(fd))
	b.WriteString(kernelYAML(cfg.Model, f))
	fmt.Fprintf(&b, "tags: [explore, found-by-machine]\nintro: |\n"+
		"  Nobody wrote this story: `avdoc explore` searched every sequence of the events\n"+
		"  `%s`, up to %d events, over at most %d process(es) and a region of %d page(s), breadth first,\n"+
		"  checking every invariant after each event. This is the first sequence it found that breaks one.\n"+
		"  The narration quotes the simulated kernel's own log.\n", f.events, f.depth, f.procs, f.pages)
	if f.ignore != "" {
		fmt.Fprintf(&b, "\n  It was told to look past violations of %s, which a shorter sequence breaks first.\n", f.ignore)
	}
	b.WriteString("steps:\n")
	m := engine.New(cfg.Model)
	writeStep(&b, m, fd.Setup, "The setup: one process with one anonymous region.")
	for i, ev := range fd.Events {
		lead := ""
		if i == len(fd.Events)-1 {
			lead = "**This is where it breaks:** " + fd.What()
		}
		writeStep(&b, m, []engine.Event{ev}, lead)
	}
	return b.String()
}

// argv renders the flags back as a command line.
func (f exploreFlags) argv() []string {
	out := []string{"--kernel", f.kernel}
	add := func(flag, val string) {
		if val != "" {
			out = append(out, flag, val)
		}
	}
	add("--fixes", f.fixes)
	if f.ksm {
		out = append(out, "--ksm")
	}
	out = append(out, "--procs", strconv.Itoa(f.procs), "--pages", strconv.Itoa(f.pages), "--depth", strconv.Itoa(f.depth))
	add("--events", f.events)
	add("--ignore", f.ignore)
	return out
}

// outcomeSentence says what the last event did: "it breaks R1 and R5",
// "an rmap walk oopses".
func outcomeSentence(fd *explore.Finding) string {
	var parts []string
	if fd.Oops != nil {
		parts = append(parts, "an rmap walk oopses")
	}
	if len(fd.Violations) > 0 {
		parts = append(parts, "the kernel breaks "+outcomeNames(&explore.Finding{Violations: fd.Violations}))
	}
	return strings.Join(parts, " and ")
}

func outcomeNames(fd *explore.Finding) string {
	var names []string
	for _, e := range fd.Expect() {
		names = append(names, strings.TrimPrefix(e, "violation "))
	}
	if n := len(names); n > 1 {
		return strings.Join(names[:n-1], ", ") + " and " + names[n-1]
	}
	return strings.Join(names, "")
}

// kernelYAML names the model: by name, or as a custom model of its base.
func kernelYAML(m engine.Model, f exploreFlags) string {
	if m.Base == "" {
		return "kernel: " + m.Name + "\n"
	}
	s := fmt.Sprintf("kernel:\n  name: %s\n  base: %s\n", strconv.Quote(m.Name), m.Base)
	if f.fixes != "" {
		s += fmt.Sprintf("  fixes: [%s]\n", strings.Join(split(f.fixes), ", "))
	}
	if f.ksm {
		s += "  ksm: true\n"
	}
	return s
}

// writeStep runs one step on m and writes it with narration quoting the
// kernel's log, and expectations naming what the step broke (a violation
// the search was told to look past, on a step before the last, too), or
// `clean`.
func writeStep(b *strings.Builder, m *engine.Machine, evs []engine.Event, lead string) {
	res, _ := m.Step(evs)
	expect := outcomes(&res)
	texts := make([]string, len(evs))
	for i, ev := range evs {
		texts[i] = ev.String()
	}
	fmt.Fprintf(b, "  - do: [%s]\n    say: |\n", strings.Join(texts, ", "))
	if lead != "" {
		fmt.Fprintf(b, "      %s\n\n", lead)
	}
	for i, l := range res.Log {
		if i == maxNarrated {
			fmt.Fprintf(b, "      - and %d more lines in the kernel log\n", len(res.Log)-maxNarrated)
			break
		}
		fmt.Fprintf(b, "      - `%s`: %s\n", l.Func, l.Msg)
	}
	b.WriteString("    expect:\n")
	for _, e := range expect {
		fmt.Fprintf(b, "      - %s\n", e)
	}
}

// outcomes names what a step broke, as expectations, or `clean`.
func outcomes(res *engine.StepResult) []string {
	var out []string
	if res.Oopsed() {
		out = append(out, "oops")
	}
	for _, v := range res.New {
		if e := "violation " + v.Name; !slices.Contains(out, e) {
			out = append(out, e)
		}
	}
	if out == nil {
		return []string{"clean"}
	}
	return out
}
