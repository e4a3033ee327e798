package foundstory

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/avdoc/avdoc/engine"
	"github.com/avdoc/avdoc/live/differ"
)

// maxDiffs is how many of the last step's differences its narration
// lists.
const maxDiffs = 8

// LiveFinding is what avdoc live --random found, to write as a story.
type LiveFinding struct {
	Argv    []string // the command line's flags
	Seed    uint64
	Model   engine.Model
	Report  differ.Report
	Finding *differ.Finding
}

// WriteLive writes a finding of avdoc live --random as a story: the
// shrunk sequence, a step per event, under the model and the live kernel
// side by side (the model alone when the kernel refused the last event).
// Every step expects what each did (`clean`, or the invariants it
// broke); the last also pins what differs, as each showed it
// ([differ.Pins]). The narration says it is a finding, and quotes the
// model's log: the kernel's functions cannot be traced here.
func WriteLive(lf LiveFinding) string {
	fd, last := lf.Finding, lf.Finding.Last
	refused := last.Kind() == differ.KindRefused
	var b strings.Builder
	fmt.Fprintf(&b, "# Found by: avdoc live %s\n", strings.Join(lf.Argv, " "))
	fmt.Fprintf(&b, "# Sequence %d of seed %d, shrunk from %d events to %d in %d live runs.\n",
		fd.Index, lf.Seed, len(fd.Original.Events), len(fd.Shrunk.Events), fd.Runs)
	title := fmt.Sprintf("Where the %s model and the live kernel part: %s", lf.Model.Name, kindWords(last.Kind()))
	fmt.Fprintf(&b, "title: %s\n", strconv.Quote(title))
	b.WriteString("summary: >\n" + indent(liveSummary(lf), "  "))
	names := []string{lf.Model.Name, "live"}
	if refused {
		names = names[:1]
		fmt.Fprintf(&b, "kernel: %s\n", yamlName(lf.Model.Name))
	} else {
		fmt.Fprintf(&b, "kernels: [%s, live]\n", yamlName(lf.Model.Name))
	}
	b.WriteString("tags: [live, found-by-machine, differential]\nintro: |\n" + indent(liveIntro(lf), "  "))
	b.WriteString("steps:\n")
	for i, step := range fd.Shrunk.Steps() {
		writeLiveStep(&b, lf, names, i, step)
	}
	return b.String()
}

func liveSummary(lf LiveFinding) string {
	fd := lf.Finding
	return fmt.Sprintf("On Linux %s, `avdoc live --random` ran %d random event sequence(s) on the kernel and under\n"+
		"the %s model, comparing them after every step. Sequence %d was the first where they part;\n"+
		"shrunk to %d event(s), it still shows a difference of the same kind (%s): %s.\n",
		lf.Report.Release, lf.Report.Sequences, lf.Model.Name, fd.Index, len(fd.Shrunk.Events), kindWords(fd.Last.Kind()), fd.Last.Diffs[0])
}

func liveIntro(lf LiveFinding) string {
	s := fmt.Sprintf("Nobody wrote this story: `avdoc live --random` found it. It is a finding, not an explanation:\n"+
		"after this sequence the %[1]s model and the running kernel (Linux %[2]s) are in different states,\n"+
		"and until someone reads the kernel's source nobody can say which rule the model gets wrong.\n"+
		"The expectations under `live` pin what the kernel showed, those under `%[1]s` what the model says.\n"+
		"`avdoc live` on this file shows the difference again; `avdoc check` checks both sides where the\n"+
		"kernel can be read. The narration quotes the model's log: the kernel's functions cannot be traced here.\n",
		lf.Model.Name, lf.Report.Release)
	if !lf.Finding.Again {
		s += "\nRun once more on its own, the shrunk sequence did not show the difference again: it may depend on\n" +
			"something the sequence does not control (a page migrated, memory pressure).\n"
	}
	return s
}

// kindWords says what a kind of difference is about.
func kindWords(kind string) string {
	switch kind {
	case differ.KindRefused:
		return "the kernel refuses an event the model runs"
	case "vmas":
		return "VMA boundaries"
	case "linked":
		return "which anon_vmas are linked"
	case "counters":
		return "anon_vma root and counters"
	case "walk":
		return "rmap walk order"
	case "page":
		return "page->mapping and mapcount"
	}
	return kind
}

// writeLiveStep writes step i of the shrunk sequence.
func writeLiveStep(b *strings.Builder, lf LiveFinding, names []string, i int, step []engine.Event) {
	last := lf.Finding.Last
	texts := make([]string, len(step))
	for j, ev := range step {
		texts[j] = ev.String()
	}
	fmt.Fprintf(b, "  - do: [%s]\n    say: |\n", strings.Join(texts, ", "))
	lead := "The model and the kernel agree after this step."
	if i == 0 {
		lead = "The setup: one process with one anonymous region. The model and the kernel agree."
	}
	each := [][]string{outcomes(&last.Model[i])}
	if len(names) > 1 {
		each = append(each, outcomes(&last.Kernel[i]))
	}
	if i == last.Step-1 {
		lead = partWords(last)
		if len(names) > 1 {
			pm, pk := differ.Pins(&lf.Model, &last.Model[i].State, &last.Kernel[i].State)
			each[0], each[1] = append(each[0], pm...), append(each[1], pk...)
			if len(pm)+len(pk) == 0 {
				lead += "\n\n      No expectation pins this: the story language has no term for it, or the model lacks the field. `avdoc live` shows it."
			}
		}
	}
	writeLog(b, lead, last.Model[i].Log)
	writeExpect(b, names, nil, each)
}

// partWords narrates the step where the two part: each difference, as
// avdoc live prints it.
func partWords(f *differ.Found) string {
	var s strings.Builder
	s.WriteString("**Here the model and the kernel part.**")
	for i, d := range f.Diffs {
		if i == maxDiffs {
			fmt.Fprintf(&s, "\n      - and %d more", len(f.Diffs)-maxDiffs)
			break
		}
		fmt.Fprintf(&s, "\n      - %s", d)
	}
	return s.String()
}

// WriteConfirmed writes the finding as a story at path, keeping only the
// expectations that held when it ran once more (differ.Confirm), and
// returns the line that says so.
func WriteConfirmed(path string, lf LiveFinding) (string, error) {
	src, dropped, err := differ.Confirm(path, []byte(WriteLive(lf)))
	if err == nil {
		err = WriteFile(path, src)
	}
	if err != nil {
		return "", err
	}
	note := ""
	if dropped > 0 {
		note = fmt.Sprintf("; %d expectation(s) that did not hold when it ran again were left out", dropped)
	}
	return fmt.Sprintf("wrote it as a story to %s (avdoc live %s shows it%s)", path, path, note), nil
}
