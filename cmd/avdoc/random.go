package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/avdoc/avdoc/cmd/avdoc/internal/foundstory"
	"github.com/avdoc/avdoc/engine"
	"github.com/avdoc/avdoc/live/differ"
	"github.com/avdoc/avdoc/live/livestory"
)

// randomFlags are the flags of avdoc live --random.
type randomFlags struct {
	fs                     *flag.FlagSet
	n, procs, pages, depth int
	seed                   uint64
	events, out            string
}

// randomFlagSet adds --random's flags to avdoc live's.
func randomFlagSet(fs *flag.FlagSet) *randomFlags {
	f := &randomFlags{fs: fs}
	fs.IntVar(&f.n, "random", 0, "instead of stories, run `N` seeded random sequences live and under the model")
	fs.Uint64Var(&f.seed, "seed", 1, "with --random: the seed; the same seed gives the same sequences anywhere")
	fs.StringVar(&f.events, "events", strings.Join(differ.DefaultKinds(), ","), "with --random: event kinds, from "+strings.Join(differ.Kinds(), ","))
	fs.IntVar(&f.procs, "procs", 3, "with --random: the most live processes")
	fs.IntVar(&f.pages, "pages", 2, "with --random: pages of the region every sequence starts with")
	fs.IntVar(&f.depth, "depth", 8, "with --random: events in a sequence after the setup")
	fs.StringVar(&f.out, "o", "", "with --random or --pid: write the first difference, shrunk, as a story, or the figure, to this file")
	return f
}

// on reports whether --random was given.
func (f *randomFlags) on() bool {
	on := false
	f.fs.Visit(func(fl *flag.Flag) { on = on || fl.Name == "random" })
	return on
}

// stray says which flag of --random's or --pid's was given without it,
// or is "".
func (f *randomFlags) stray() string {
	msg := ""
	f.fs.Visit(func(fl *flag.Flag) {
		if owner, _, ok := strings.Cut(strings.TrimPrefix(fl.Usage, "with "), ":"); msg == "" && ok && strings.HasPrefix(fl.Usage, "with --") {
			msg = fmt.Sprintf("%s%s is a flag of %s", strings.Repeat("-", min(len(fl.Name), 2)), fl.Name, owner)
		}
	})
	return msg
}

// argv renders the run back as a command line.
func (f *randomFlags) argv(model string) []string {
	return []string{"--random", strconv.Itoa(f.n), "--seed", strconv.FormatUint(f.seed, 10), "--model", model,
		"--events", f.events, "--procs", strconv.Itoa(f.procs), "--pages", strconv.Itoa(f.pages), "--depth", strconv.Itoa(f.depth)}
}

// liveRandom runs avdoc live --random: exit 0 agree, 1 differ, 2 bad
// input, 3 the kernel cannot be read (or failed while being read).
func (c *cli) liveRandom(f *randomFlags, model string, paths []string) int {
	m, err := engine.Lookup(model)
	if err == nil && len(paths) > 0 {
		err = fmt.Errorf("--random takes no story files (got %q)", paths[0])
	}
	cfg := differ.Config{Model: m, Kinds: foundstory.Split(f.events), Procs: f.procs, Pages: f.pages, Depth: f.depth, Seed: f.seed, N: f.n}
	if err == nil {
		err = cfg.Validate()
	}
	if err != nil {
		c.errorf("live: %v", err)
		return exitInput
	}
	if writesToTerminal(c.term) && os.Getenv("CI") == "" {
		cfg.Progress = func(done int) { fmt.Fprintf(c.term, "\rsequence %d of %d ", done, f.n) }
	}
	start := time.Now()
	rep, err := differ.Run(cfg)
	if cfg.Progress != nil {
		fmt.Fprintln(c.term)
	}
	fmt.Fprint(c.stdout, rep.Summary(f.n, f.seed, model, time.Since(start)))
	if err != nil {
		c.errorf("live: %v", err)
		return livestory.NoKernel
	}
	if rep.Found == nil {
		return livestory.Agree
	}
	if f.out != "" {
		c.writeFound(f, foundstory.LiveFinding{Argv: f.argv(model), Seed: f.seed, Model: m, Report: rep, Finding: rep.Found})
	}
	return livestory.Differ
}

// writeFound writes the finding as a story, keeping only the
// expectations that held when it ran once more.
func (c *cli) writeFound(f *randomFlags, lf foundstory.LiveFinding) {
	if msg, err := foundstory.WriteConfirmed(f.out, lf); err != nil {
		c.errorf("live: writing %s: %v", f.out, err)
	} else {
		fmt.Fprintln(c.stdout, msg)
	}
}
