package main

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/avdoc/avdoc/engine"
	"github.com/avdoc/avdoc/engine/explore"
)

// exploreFlags are the settings of one `avdoc explore`.
type exploreFlags struct {
	kernel, fixes, events, ignore, out string
	ksm                                bool
	procs, pages, depth, maxStates     int
	timeout                            time.Duration
}

func runExplore(c *cli, args []string) int {
	fs := c.flags("explore")
	var f exploreFlags
	fs.StringVar(&f.kernel, "kernel", "", "the kernel model to explore (required; `avdoc models` lists them)")
	fs.StringVar(&f.fixes, "fixes", "", "comma-separated fixes to run the model with instead of its own, e.g. oldest-anon-vma")
	fs.BoolVar(&f.ksm, "ksm", false, "run with CONFIG_KSM")
	fs.IntVar(&f.procs, "procs", 3, "the most live processes")
	fs.IntVar(&f.pages, "pages", 1, "pages of the region the story starts with")
	fs.IntVar(&f.depth, "depth", 8, "the most events to try after the setup")
	fs.StringVar(&f.events, "events", strings.Join(explore.DefaultKinds(), ","), "event kinds to try: "+strings.Join(explore.Kinds(), ","))
	fs.StringVar(&f.ignore, "ignore", "", "comma-separated invariants whose violations do not count, to look past a known bug")
	fs.IntVar(&f.maxStates, "max-states", 2000000, "stop after this many distinct states")
	fs.DurationVar(&f.timeout, "timeout", time.Minute, "stop after this long")
	fs.StringVar(&f.out, "o", "", "write what is found as a story to this file")
	if _, code, ok := c.parse(fs, args); !ok {
		return code
	}
	cfg, err := f.config()
	if err == nil {
		err = cfg.Validate()
	}
	if err != nil {
		c.errorf("%v", err)
		return exitInput
	}
	return c.explore(cfg, f)
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
		if m, err = engine.Derive(f.modelName(m), m, split(f.fixes), f.ksm); err != nil {
			return explore.Config{}, err
		}
	}
	return explore.Config{Model: m, Procs: f.procs, Pages: f.pages, Depth: f.depth, Kinds: split(f.events),
		Ignore: split(f.ignore), MaxStates: f.maxStates}, nil
}

// modelName names a custom model after its base and what was changed:
// the fixes taken out of base ("2.6.34-no-reuse-singular"), or those
// added ("2.6.34-rc3+oldest-anon-vma").
func (f *exploreFlags) modelName(base engine.Model) string {
	name := f.kernel
	given := split(f.fixes)
	var added, removed []string
	for _, fx := range engine.Fixes() {
		switch in := slices.Contains(given, fx.Name); {
		case f.fixes != "" && in && !base.Has(fx.Fix):
			added = append(added, fx.Name)
		case f.fixes != "" && !in && base.Has(fx.Fix):
			removed = append(removed, fx.Name)
		}
	}
	for _, r := range removed {
		name += "-no-" + r
	}
	for _, a := range added {
		name += "+" + a
	}
	if f.ksm {
		name += "+ksm"
	}
	return name
}

// split reads a comma-separated list; "" is nil (no list given).
func split(s string) []string {
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

func (c *cli) explore(cfg explore.Config, f exploreFlags) int {
	ctx, cancel := context.WithTimeout(context.Background(), f.timeout)
	defer cancel()
	if writesToTerminal(c.term) && os.Getenv("CI") == "" {
		cfg.Progress = func(p explore.Progress) {
			fmt.Fprintf(c.term, "\rdepth %d: %d states, %d sequences, %d to extend   ", p.Depth, p.States, p.Sequences, p.Frontier)
		}
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
	c.summary(cfg, res, time.Since(start))
	if res.Found == nil {
		return exitOK
	}
	if f.out != "" {
		if err := os.WriteFile(f.out, []byte(foundStory(cfg, f, res)), 0o644); err != nil {
			c.errorf("%v", err)
			return exitFailed
		}
		fmt.Fprintf(c.stdout, "wrote it as a story to %s (avdoc check %s passes on it)\n", f.out, f.out)
	}
	return exitFailed
}

// summary prints what the search did and found.
func (c *cli) summary(cfg explore.Config, res explore.Result, took time.Duration) {
	fmt.Fprintf(c.stdout, "explored %s: %d sequences, %d distinct states, depth %d complete, in %s\n",
		cfg.Model.Name, res.Sequences, res.States, res.Depth, took.Round(time.Millisecond))
	switch {
	case res.Found != nil:
		fmt.Fprintf(c.stdout, "found, after %d events: %s\n", len(res.Found.Events), res.Found.What())
		for _, ev := range append(res.Found.Setup, res.Found.Events...) {
			fmt.Fprintf(c.stdout, "  %s\n", ev)
		}
	case res.Stopped != "":
		fmt.Fprintf(c.stdout, "stopped by the %s: nothing found up to depth %d (raise --max-states or --timeout to go deeper)\n", res.Stopped, res.Depth)
	default:
		fmt.Fprintf(c.stdout, "nothing found: no sequence of up to %d events breaks an invariant or oopses\n", res.Depth)
	}
}
