package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/avdoc/avdoc/cmd/avdoc/internal/foundstory"
	"github.com/avdoc/avdoc/engine"
	"github.com/avdoc/avdoc/engine/explore"
	"github.com/avdoc/avdoc/story"
)

// exitStopped is explore's exit status when a search stopped early, at
// its time, state or memory budget, before finding anything: not every
// sequence was tried, so "nothing found" would be a claim it cannot make.
const exitStopped = 3

// exploreHelp ends `avdoc explore --help`.
const exploreHelp = `
Exit status: 0 nothing breaks up to the depth, 1 found (or a file could not
be written), 2 bad arguments or reports, 3 stopped early by --timeout,
--max-states or --max-memory with nothing found so far.

--shard K/N explores part K of N; the N parts together are the whole
search. --report FILE writes what a search did as JSON, and
avdoc explore --merge [-o FILE] REPORTS... combines the reports of the N
shards of one search (see the README).
`

// exploreFlags are the settings of one `avdoc explore`.
type exploreFlags struct {
	kernel, fixes, events, ignore, out, report, shard, maxMemory string
	notes, beside, after                                         string
	ksm, exact, merge                                            bool
	procs, pages, depth, maxStates, workers                      int
	timeout                                                      time.Duration
}

func runExplore(c *cli, args []string) int {
	fs, f := c.exploreFlagSet()
	pos, code, ok := c.parse(fs, args)
	if !ok {
		if code == exitInput {
			fmt.Fprintln(c.stderr, "run avdoc explore --help for the flags")
		}
		return code
	}
	if f.merge {
		return c.mergeReports(f, pos)
	}
	if len(pos) > 0 {
		c.errorf("explore takes no arguments (got %q); only --merge reads report files", pos[0])
		return exitInput
	}
	cfg, err := f.config()
	if err == nil {
		err = cfg.Validate()
	}
	if err != nil {
		c.errorf("%v", err)
		return exitInput
	}
	return c.explore(cfg, *f)
}

// exploreFlagSet declares explore's flags. Its usage is printed once,
// where it is asked for: the flag package's own call, on stderr while
// parsing, is left out.
func (c *cli) exploreFlagSet() (*flag.FlagSet, *exploreFlags) {
	fs := c.flags("explore")
	f := &exploreFlags{}
	fs.StringVar(&f.kernel, "kernel", "", "the kernel model to explore (required; `avdoc models` lists them)")
	fs.StringVar(&f.fixes, "fixes", "", "comma-separated fixes to run the model with instead of its own, e.g. oldest-anon-vma")
	fs.BoolVar(&f.ksm, "ksm", false, "run with CONFIG_KSM")
	fs.IntVar(&f.procs, "procs", 3, "the most live processes")
	fs.IntVar(&f.pages, "pages", 1, "pages of the region the story starts with")
	fs.IntVar(&f.depth, "depth", 8, "the most events to try after the setup")
	fs.StringVar(&f.events, "events", strings.Join(explore.DefaultKinds(), ","), "event kinds to try: "+strings.Join(explore.Kinds(), ","))
	fs.StringVar(&f.ignore, "ignore", "", "comma-separated invariants whose violations do not count, to look past a known bug")
	fs.IntVar(&f.maxStates, "max-states", explore.DefaultMaxStates, "stop after this many distinct states")
	fs.StringVar(&f.maxMemory, "max-memory", "4G", "stop once the heap holds more than this (K, M, G suffixes; 0 for no bound)")
	fs.DurationVar(&f.timeout, "timeout", time.Minute, "stop after this long")
	fs.IntVar(&f.workers, "j", 0, "goroutines trying events (0: one per CPU); the result does not depend on it")
	fs.BoolVar(&f.exact, "exact", false, "store whole states instead of 64-bit fingerprints (no collisions; far more memory)")
	fs.StringVar(&f.shard, "shard", "", "explore part K of N of the search, as K/N")
	fs.StringVar(&f.report, "report", "", "write what the search did and found to this file, as JSON")
	fs.BoolVar(&f.merge, "merge", false, "combine the --report files of a sharded search, given as arguments")
	fs.StringVar(&f.after, "after", "", "start from where this story ends (its first step must be explore's setup)")
	fs.StringVar(&f.out, "o", "", "write what is found as a story to this file")
	fs.StringVar(&f.notes, "notes", "", "with -o: a YAML file of narration and expectations to write the story with")
	fs.StringVar(&f.beside, "beside", "", "with -o: comma-separated models the story runs beside the explored one, expecting what each does")
	usage := fs.Usage
	fs.Usage = func() {
		if fs.Output() == c.stderr {
			return
		}
		usage()
		fmt.Fprint(fs.Output(), exploreHelp)
	}
	return fs, f
}

// config turns the flags into the explorer's configuration.
func (f *exploreFlags) config() (explore.Config, error) {
	if f.kernel == "" {
		return explore.Config{}, fmt.Errorf("explore needs --kernel (one of %s)", strings.Join(engine.ModelNames(), ", "))
	}
	m, err := engine.Lookup(f.kernel)
	if err != nil {
		return explore.Config{}, err
	}
	if f.fixes != "" || f.ksm {
		if m, err = engine.Derive(foundstory.ModelName(f.kernel, f.fixes, f.ksm, m), m, foundstory.Split(f.fixes), f.ksm); err != nil {
			return explore.Config{}, err
		}
	}
	mem, err := explore.ParseSize(f.maxMemory)
	if err != nil {
		return explore.Config{}, fmt.Errorf("--max-memory: %w", err)
	}
	shard, err := explore.ParseShard(f.shard)
	if err != nil {
		return explore.Config{}, err
	}
	prefix, err := f.prefix()
	if err != nil {
		return explore.Config{}, err
	}
	return explore.Config{Model: m, Procs: f.procs, Pages: f.pages, Depth: f.depth, Kinds: foundstory.Split(f.events),
		Ignore: foundstory.Split(f.ignore), MaxStates: f.maxStates, MaxMemory: mem, Workers: f.workers, Exact: f.exact,
		Shard: shard, Prefix: prefix}, nil
}

// prefix reads the events of the --after story after its first step,
// which must be the search's setup.
func (f *exploreFlags) prefix() ([]engine.Event, error) {
	if f.after == "" {
		return nil, nil
	}
	src, err := os.ReadFile(f.after)
	if err != nil {
		return nil, fmt.Errorf("--after: %w", err)
	}
	st, err := story.Parse(f.after, src)
	if err != nil {
		return nil, fmt.Errorf("--after: %w", err)
	}
	setup := fmt.Sprintf("spawn P; mmap P heap %d at 512", f.pages)
	if len(st.Steps) == 0 || storyEvents(st.Steps[:1]) != setup {
		return nil, fmt.Errorf("--after %s: its first step must be explore's setup, %q", f.after, setup)
	}
	var out []engine.Event
	for _, step := range st.Steps[1:] {
		for _, ev := range step.Events {
			out = append(out, ev.Event)
		}
	}
	return out, nil
}

// storyEvents writes the events of steps, separated by "; ".
func storyEvents(steps []story.Step) string {
	var texts []string
	for _, step := range steps {
		for _, ev := range step.Events {
			texts = append(texts, ev.Event.String())
		}
	}
	return strings.Join(texts, "; ")
}

func (c *cli) explore(cfg explore.Config, f exploreFlags) int {
	ctx, cancel := context.WithTimeout(context.Background(), f.timeout)
	defer cancel()
	// An interrupt stops the search as its budgets do: with what it did
	// said, and its report written.
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	if cfg.MaxMemory > 0 {
		// The collector works harder near the budget, so garbage does not
		// end the search early.
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(int64(cfg.MaxMemory)))
	}
	if writesToTerminal(c.term) && os.Getenv("CI") == "" {
		cfg.Progress = c.progressLine(f.depth)
	}
	start := time.Now()
	res, err := explore.Run(ctx, cfg)
	if cfg.Progress != nil {
		fmt.Fprintln(c.term)
	}
	if err != nil {
		c.errorf("%v", err)
		return exitInput
	}
	if res.Stopped == "time budget" && time.Since(start) < f.timeout {
		res.Stopped = "interrupt"
	}
	c.summary(cfg.Model.Name, res, time.Since(start))
	if f.report != "" {
		rep := explore.NewReport(f.found().Argv(), cfg.Shard, res)
		if err := writeJSON(f.report, rep); err != nil {
			c.errorf("%v", err)
			return exitFailed
		}
	}
	return c.outcome(cfg, f, res)
}

// outcome writes a finding as a story if asked, and returns the exit
// status.
func (c *cli) outcome(cfg explore.Config, f exploreFlags, res explore.Result) int {
	switch {
	case res.Found == nil && res.Stopped != "":
		return exitStopped
	case res.Found == nil:
		return exitOK
	case f.out != "":
		sn, err := foundstory.ReadNotes(f.notes, foundstory.Split(f.beside), 1+len(res.Found.Prefix)+len(res.Found.Events))
		if err != nil {
			c.errorf("%v", err)
			return exitInput
		}
		if err := os.WriteFile(f.out, []byte(foundstory.Write(cfg, f.found(), res, sn)), 0o644); err != nil {
			c.errorf("%v", err)
			return exitFailed
		}
		fmt.Fprintf(c.stdout, "wrote it as a story to %s (avdoc check %s passes on it)\n", f.out, f.out)
	}
	return exitFailed
}

// progressLine shows on a terminal how far the search has come.
func (c *cli) progressLine(depth int) func(explore.Progress) {
	var last explore.Progress
	return func(p explore.Progress) {
		rate := 0.0
		if dt := (p.Elapsed - last.Elapsed).Seconds(); dt > 0 {
			rate = float64(p.Sequences-last.Sequences) / dt
		}
		last = p
		fmt.Fprintf(c.term, "\rdepth %d of %d done: %d states, %d sequences (%.0f/s), heap %s, %s   ",
			p.Depth, depth, p.States, p.Sequences, rate, mib(p.Heap), p.Elapsed.Round(time.Second))
	}
}

// mib writes a number of bytes in MiB.
func mib(n uint64) string { return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20)) }

// summary prints what the search did and found.
func (c *cli) summary(model string, res explore.Result, took time.Duration) {
	in := ""
	if took > 0 {
		in = ", in " + took.Round(time.Millisecond).String()
	}
	fmt.Fprintf(c.stdout, "explored %s: %d sequences, %d distinct states, depth %d complete%s\n",
		model, res.Sequences, res.States, res.Depth, in)
	switch {
	case res.Found != nil:
		fmt.Fprintf(c.stdout, "found, after %d events: %s\n", len(res.Found.Events), res.Found.What())
		for _, ev := range slices.Concat(res.Found.Setup, res.Found.Prefix, res.Found.Events) {
			fmt.Fprintf(c.stdout, "  %s\n", ev)
		}
	case res.Stopped != "":
		fmt.Fprintf(c.stdout, "stopped by the %s with the heap at %s: nothing found up to depth %d, not every sequence tried "+
			"(raise --max-states, --max-memory or --timeout, or --shard the search, to go deeper)\n", res.Stopped, mib(res.PeakHeap), res.Depth)
	default:
		fmt.Fprintf(c.stdout, "nothing found: no sequence of up to %d events breaks an invariant or oopses\n", res.Depth)
	}
}

// writeJSON writes v to a file, indented.
func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// mergeReports combines the reports of a sharded search, says what the
// whole search found, and writes it as a story or a report if asked.
func (c *cli) mergeReports(f *exploreFlags, files []string) int {
	if len(files) == 0 {
		c.errorf("--merge needs the report files of the shards as arguments")
		return exitInput
	}
	var reps []explore.Report
	for _, file := range files {
		rep, err := readReport(file)
		if err != nil {
			c.errorf("%s: %v", file, err)
			return exitInput
		}
		reps = append(reps, rep)
	}
	merged, err := explore.Merge(reps)
	if err != nil {
		c.errorf("merging %s: %v", strings.Join(files, ", "), err)
		return exitInput
	}
	g, cfg, res, err := c.mergedSearch(merged)
	if err != nil {
		c.errorf("the search of %s: %v", files[0], err)
		return exitInput
	}
	fmt.Fprintf(c.stdout, "merged %d report(s) of: avdoc explore %s\n", len(files), strings.Join(merged.Search, " "))
	c.summary(cfg.Model.Name, res, 0)
	if f.report != "" {
		if err := writeJSON(f.report, merged); err != nil {
			c.errorf("%v", err)
			return exitFailed
		}
	}
	g.out, g.notes, g.beside = f.out, f.notes, f.beside
	return c.outcome(cfg, *g, res)
}

// mergedSearch reads back the search a merged report names, and its
// result.
func (c *cli) mergedSearch(merged explore.Report) (*exploreFlags, explore.Config, explore.Result, error) {
	fs, g := c.exploreFlagSet()
	fs.SetOutput(io.Discard)
	if err := fs.Parse(merged.Search); err != nil || g.merge || len(fs.Args()) > 0 {
		return nil, explore.Config{}, explore.Result{}, fmt.Errorf("not an explore command line: %q", merged.Search)
	}
	cfg, err := g.config()
	if err != nil {
		return nil, explore.Config{}, explore.Result{}, err
	}
	res, err := merged.Result(cfg)
	return g, cfg, res, err
}

// readReport reads a report that --report wrote.
func readReport(file string) (explore.Report, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return explore.Report{}, err
	}
	var rep explore.Report
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rep); err != nil {
		return explore.Report{}, fmt.Errorf("not a report of avdoc explore --report: %w", err)
	}
	return rep, nil
}

// found is the flags the story explore writes records.
func (f exploreFlags) found() foundstory.Flags {
	return foundstory.Flags{Kernel: f.kernel, Fixes: f.fixes, Events: f.events, Ignore: f.ignore, After: f.after,
		KSM: f.ksm, Procs: f.procs, Pages: f.pages, Depth: f.depth, Beside: f.beside, Notes: f.notes}
}
