// Package foundstory writes what avdoc explore found as a story that avdoc
// check passes on: the setup, a step per event narrated from the kernel's
// own log (or from a person's notes), and each step's real outcomes as
// expectations, under the explored model and any run beside it; and
// what avdoc live --random found, the model and the live kernel side by
// side.
package foundstory

import (
	"bytes"
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/avdoc/avdoc/engine"
	"github.com/avdoc/avdoc/engine/explore"
	"gopkg.in/yaml.v3"
)

// maxNarrated is how many lines of a step's kernel log its generated
// narration quotes.
const maxNarrated = 6

// Write writes what the explorer found as a story: the setup, one
// step per event with narration from the kernel's own log (or from the
// notes, when given), `clean` on every step before the last, and the
// outcome named on the last, so that avdoc check passes on it. Beside
// the explored model it may run others, expecting what each does.
func Write(cfg explore.Config, f Flags, res explore.Result, sn Notes) string {
	fd := res.Found
	var b strings.Builder
	fmt.Fprintf(&b, "# Found by: avdoc explore %s\n", strings.Join(f.Argv(), " "))
	if f.Beside != "" || f.Notes != "" {
		fmt.Fprintf(&b, "# Written with:%s\n", storyArgs(f))
	}
	title := fmt.Sprintf("A shortest sequence that breaks %s under %s", outcomeNames(fd), cfg.Model.Name)
	fmt.Fprintf(&b, "title: %s\n", strconv.Quote(cmp.Or(sn.Title, title)))
	summary := fmt.Sprintf("avdoc explore tried %d event sequences (%d distinct states) and found this one, %d events long,\n"+
		"after which %s. No shorter sequence of the events it tried does that.\n", res.Sequences, res.States, len(fd.Events), outcomeSentence(fd))
	b.WriteString("summary: >\n" + indent(cmp.Or(sn.Summary, summary), "  "))
	b.WriteString(kernelYAML(cfg.Model, f, sn.models))
	who := "story"
	if sn.Intro != "" {
		who = "sequence"
	}
	fmt.Fprintf(&b, "tags: [explore, found-by-machine%s]\nintro: |\n"+
		"  Nobody wrote this %s: `avdoc explore` searched every sequence of the events\n"+
		"  `%s`, up to %d events, over at most %d process(es) and a region of %d page(s), breadth first,\n"+
		"  checking every invariant after each event. This is the first sequence it found that breaks one.\n",
		tagList(sn.Tags), who, f.Events, f.Depth, f.Procs, f.Pages)
	if sn.Intro == "" {
		b.WriteString("  The narration quotes the simulated kernel's own log.\n")
	} else if sn.Summary != "" {
		b.WriteString("  " + strings.ReplaceAll(strings.TrimSpace(summary), "\n", "\n  ") + "\n")
	}
	if res.Shards > 0 {
		fmt.Fprintf(&b, "\n  It ran as %d shards (--shard K/%d), merged: the counts add up the shards', each of which\n"+
			"  also did the first %d depths, and the sequence is the lowest shard's among the shortest.\n", res.Shards, res.Shards, res.SplitDepth)
	}
	if f.After != "" {
		fmt.Fprintf(&b, "\n  It started where `%s` ends, after its %d events, and searched on from there.\n", f.After, len(fd.Prefix))
	}
	if f.Ignore != "" {
		fmt.Fprintf(&b, "\n  It was told to look past violations of %s, which a shorter sequence breaks first.\n", f.Ignore)
	}
	if sn.Intro != "" {
		b.WriteString("\n" + indent(sn.Intro, "  "))
	}
	b.WriteString("steps:\n")
	sw := newStepWriter(cfg.Model, sn)
	sw.write(&b, fd.Setup, "The setup: one process with one anonymous region.")
	for _, ev := range fd.Prefix {
		sw.write(&b, []engine.Event{ev}, "")
	}
	for i, ev := range fd.Events {
		lead := ""
		if i == len(fd.Events)-1 {
			lead = "**This is where it breaks:** " + fd.What()
		}
		sw.write(&b, []engine.Event{ev}, lead)
	}
	if sn.Outro != "" {
		b.WriteString("outro: |\n" + indent(sn.Outro, "  "))
	}
	return b.String()
}

// storyArgs renders the flags that shaped the story, not the search.
func storyArgs(f Flags) string {
	s := ""
	if f.Beside != "" {
		s += " --beside " + f.Beside
	}
	if f.Notes != "" {
		s += " --notes " + filepath.Base(f.Notes)
	}
	return s
}

// indent indents each line of s that is not empty, and ends it with a
// newline.
func indent(s, by string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = by + l
		}
	}
	return strings.Join(lines, "\n") + "\n"
}

func tagList(tags []string) string {
	var b strings.Builder
	for _, t := range tags {
		b.WriteString(", " + t)
	}
	return b.String()
}

// Flags are the flags of the search that found the story, and of the
// story's writing.
type Flags struct {
	Kernel, Fixes, Events, Ignore, After string
	KSM                                  bool
	Procs, Pages, Depth                  int
	Beside                               string // models the story runs beside the explored one, comma-separated
	Notes                                string // the file of the person's notes, or ""
}

// Argv renders the search's flags back as a command line.
func (f Flags) Argv() []string {
	out := []string{"--kernel", f.Kernel}
	add := func(flag, val string) {
		if val != "" {
			out = append(out, flag, val)
		}
	}
	add("--fixes", f.Fixes)
	if f.KSM {
		out = append(out, "--ksm")
	}
	out = append(out, "--procs", strconv.Itoa(f.Procs), "--pages", strconv.Itoa(f.Pages), "--depth", strconv.Itoa(f.Depth))
	add("--events", f.Events)
	add("--ignore", f.Ignore)
	add("--after", f.After)
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

// kernelYAML names the model: by name, or as a custom model of its base;
// with models beside it, as the first of a list.
func kernelYAML(m engine.Model, f Flags, beside []engine.Model) string {
	if len(beside) > 0 {
		names := []string{yamlName(m.Name)}
		for _, o := range beside {
			names = append(names, yamlName(o.Name))
		}
		return "kernels: [" + strings.Join(names, ", ") + "]\n"
	}
	if m.Base == "" {
		return "kernel: " + m.Name + "\n"
	}
	s := fmt.Sprintf("kernel:\n  name: %s\n  base: %s\n", strconv.Quote(m.Name), m.Base)
	if f.Fixes != "" {
		s += fmt.Sprintf("  fixes: [%s]\n", strings.Join(Split(f.Fixes), ", "))
	}
	if f.KSM {
		s += "  ksm: true\n"
	}
	return s
}

// yamlName quotes a model name that YAML would read as another number
// ("6.0" would be 6).
func yamlName(name string) string {
	if v, err := strconv.ParseFloat(name, 64); err == nil && strconv.FormatFloat(v, 'f', -1, 64) != name {
		return strconv.Quote(name)
	}
	return name
}

// stepWriter writes a story's steps, running them on a machine per
// model.
type stepWriter struct {
	models   []engine.Model // the explored one first
	machines []*engine.Machine
	notes    Notes
	step     int
}

func newStepWriter(m engine.Model, sn Notes) *stepWriter {
	sw := &stepWriter{models: append([]engine.Model{m}, sn.models...), notes: sn}
	for _, model := range sw.models {
		sw.machines = append(sw.machines, engine.New(model))
	}
	return sw
}

// write runs one step and writes it with narration (the notes', or the
// kernel's log quoted) and expectations naming what the step broke in
// each model (a violation the search was told to look past, on a step
// before the last, too), or `clean`, and those the notes add.
func (sw *stepWriter) write(b *strings.Builder, evs []engine.Event, lead string) {
	texts := make([]string, len(evs))
	for i, ev := range evs {
		texts[i] = ev.String()
	}
	fmt.Fprintf(b, "  - do: [%s]\n    say: |\n", strings.Join(texts, ", "))
	var note stepNote
	if sw.step < len(sw.notes.Steps) {
		note = sw.notes.Steps[sw.step]
	}
	sw.step++
	expect := make([][]string, len(sw.machines))
	var log []engine.LogLine
	for i, m := range sw.machines {
		res, _ := m.Step(evs)
		expect[i] = append(outcomes(&res), note.Expect[sw.models[i].Name]...)
		if i == 0 {
			log = res.Log
		}
	}
	if note.Say != "" {
		b.WriteString(indent(note.Say, "      "))
	} else {
		writeLog(b, lead, log)
	}
	names := make([]string, len(sw.models))
	for i, m := range sw.models {
		names[i] = m.Name
	}
	writeExpect(b, names, note.Expect["all"], expect)
}

// writeLog narrates a step by quoting the kernel's log.
func writeLog(b *strings.Builder, lead string, log []engine.LogLine) {
	if lead != "" {
		fmt.Fprintf(b, "      %s\n\n", lead)
	}
	for i, l := range log {
		if i == maxNarrated {
			fmt.Fprintf(b, "      - and %d more lines in the kernel log\n", len(log)-maxNarrated)
			break
		}
		fmt.Fprintf(b, "      - `%s`: %s\n", l.Func, l.Msg)
	}
}

// writeExpect writes the expectations: a list when every model expects
// the same, else a map with those of all models and of each.
func writeExpect(b *strings.Builder, models []string, all []string, each [][]string) {
	b.WriteString("    expect:\n")
	same := true
	for _, e := range each[1:] {
		same = same && slices.Equal(e, each[0])
	}
	if same {
		for _, e := range append(slices.Clone(all), each[0]...) {
			fmt.Fprintf(b, "      - %s\n", e)
		}
		return
	}
	if len(all) > 0 {
		b.WriteString("      all:\n")
		for _, e := range all {
			fmt.Fprintf(b, "        - %s\n", e)
		}
	}
	for i, m := range models {
		fmt.Fprintf(b, "      %s:\n", yamlName(m))
		for _, e := range each[i] {
			fmt.Fprintf(b, "        - %s\n", e)
		}
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

// Notes is what a person adds to a story explore writes (avdoc
// explore --notes FILE, in YAML): a title, summary, intro and outro, and
// for each step (the setup first) the narration and more expectations,
// under "all" or a model's name. With models beside the explored one
// (--beside), the story runs them all and expects what each does.
type Notes struct {
	Title   string     `yaml:"title"`
	Summary string     `yaml:"summary"`
	Intro   string     `yaml:"intro"`
	Outro   string     `yaml:"outro"`
	Tags    []string   `yaml:"tags"`
	Steps   []stepNote `yaml:"steps"`
	models  []engine.Model
}

type stepNote struct {
	Say    string              `yaml:"say"`
	Expect map[string][]string `yaml:"expect"`
}

// ReadNotes reads the notes for a finding of steps steps (the setup
// counts as one), and looks up the models to run beside.
func ReadNotes(file string, beside []string, steps int) (Notes, error) {
	var sn Notes
	if file != "" {
		src, err := os.ReadFile(file)
		if err != nil {
			return sn, err
		}
		dec := yaml.NewDecoder(bytes.NewReader(src))
		dec.KnownFields(true)
		if err := dec.Decode(&sn); err != nil {
			return sn, fmt.Errorf("%s: %w", file, err)
		}
		if len(sn.Steps) != steps {
			return sn, fmt.Errorf("%s: %d steps of notes for a finding of %d steps (the setup and each event)", file, len(sn.Steps), steps)
		}
	}
	for _, name := range beside {
		m, err := engine.Lookup(name)
		if err != nil {
			return sn, fmt.Errorf("--beside: %w", err)
		}
		sn.models = append(sn.models, m)
	}
	return sn, nil
}

// Split reads a comma-separated list; "" is nil (no list given).
func Split(s string) []string {
	if s == "" {
		return nil
	}
	var out []string
	for _, w := range strings.Split(s, ",") {
		if w = strings.TrimSpace(w); w != "" {
			out = append(out, w)
		}
	}
	return out
}

// ModelName names a custom model, kernel with fixes (comma-separated;
// "" keeps base's) and ksm, after its base and what was changed:
// the fixes taken out of base ("2.6.34-no-reuse-singular"), or those
// added ("2.6.34-rc3+oldest-anon-vma").
func ModelName(kernel, fixes string, ksm bool, base engine.Model) string {
	name := kernel
	given := Split(fixes)
	var added, removed []string
	for _, fx := range engine.Fixes() {
		switch in := slices.Contains(given, fx.Name); {
		case fixes != "" && in && !base.Has(fx.Fix):
			added = append(added, fx.Name)
		case fixes != "" && !in && base.Has(fx.Fix):
			removed = append(removed, fx.Name)
		}
	}
	for _, r := range removed {
		name += "-no-" + r
	}
	for _, a := range added {
		name += "+" + a
	}
	if ksm {
		name += "+ksm"
	}
	return name
}
