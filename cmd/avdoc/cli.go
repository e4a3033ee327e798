package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"

	"github.com/avdoc/avdoc/cmd/avdoc/internal/termquote"
	"github.com/avdoc/avdoc/site"
	"github.com/avdoc/avdoc/story"
)

// version is avdoc's version, printed by `avdoc version`.
const version = "0.1.0"

// Exit codes, documented in the README.
const (
	exitOK     = 0 // all good
	exitFailed = 1 // an expectation failed (or the build could not finish)
	exitInput  = 2 // the input is wrong: a bad story, flag or path
)

// command is one subcommand of avdoc.
type command struct {
	name    string
	usage   string // the synopsis
	summary string // one line
	run     func(c *cli, args []string) int
}

func commands() []command {
	return []command{
		{"build", "avdoc build [-o DIR] [--force] [PATH...]", "build the site from stories (default: stories/ into _site/)", runBuild},
		{"check", "avdoc check [--format text|json|junit|github] [--golden DIR [--update]] [PATH...]", "run every story and check its expectations, and its diagrams against stored copies (exit 0 good, 1 failed, 2 bad input)", runCheck},
		{"render", renderUsage(), "draw a step of a story, a film strip of steps, or kernels side by side, as one figure for an article, or as text for mail", runRender},
		{"serve", "avdoc serve [--addr 127.0.0.1:8080] [PATH...]", "build the site, serve it, and rebuild and reload the browser as the stories change", runServe},
		{"new", "avdoc new NAME [DIR]", "write a new story, NAME.yaml in stories/ or DIR, that avdoc check passes on", runNew},
		{"schema", "avdoc schema", "print a JSON Schema of the story format, for editors (avdoc schema > avdoc-story.schema.json)", runSchema},
		{"explore", "avdoc explore --kernel K [--procs N] [--pages M] [--depth D] [--events LIST] [--shard K/N] [--report FILE] [-o FILE] | avdoc explore --merge [-o FILE] REPORTS...", "search every event sequence up to a depth for the shortest that breaks an invariant (exit 0 none, 1 found, 2 bad arguments, 3 stopped early)", runExplore},
		{"live", "avdoc live [--model M] [--swap zram|file] [--record] PATH... | --random N [--seed S] | --pid PID [--format F] [-o FILE]", "run each story on the running kernel and compare it, step by step, with model M (default 6.18), and with its recording if it has one; swap events need --swap, a small swap device set up for the run; --record writes what the kernel showed next to each story that runs it, for check and build to replay; --random tests the model on seeded random sequences; --pid draws a running process and its descendants (exit 0 agree, 1 differ, 2 bad input, 3 the kernel cannot be read here)", runLive},
		{"mdbook", "avdoc mdbook [supports RENDERER]", "an mdBook preprocessor: {{#avdoc FILE [step=N [kernel=K]]}} in a chapter becomes the story, checked, or one step's figure", runMdbook},
		{"models", "avdoc models", "list the kernel models and the fixes a story can switch, with their commits", runModels},
		{"version", "avdoc version", "print avdoc's version", runVersion},
		{"help", "avdoc help [COMMAND]", "show help for avdoc or a command", runHelp},
	}
}

// cli holds what a command may touch: its output streams, and the limits
// its flags set on the stories it reads.
type cli struct {
	// stdout and stderr quote control characters (termquote.Quote): what
	// avdoc prints often holds a story's text.
	stdout, stderr io.Writer
	// term is standard error as given, for the progress lines avdoc
	// draws itself on a terminal, with escapes of its own; nil in tests.
	term io.Writer
	// binary is standard output as given, for a PNG or a PDF, which
	// quoting would break.
	binary     io.Writer
	limits     story.Limits
	siteLimits site.Limits // of the sites build and serve make
}

// newCLI returns the cli of a command writing to stdout and stderr.
func newCLI(stdout, stderr io.Writer) *cli {
	return &cli{stdout: termquote.Writer{W: stdout}, stderr: termquote.Writer{W: stderr}, term: stderr, binary: stdout}
}

func (c *cli) errorf(format string, args ...any) {
	fmt.Fprintf(c.stderr, "avdoc: "+format+"\n", args...)
}

func run(args []string, stdout, stderr io.Writer) int {
	c := newCLI(stdout, stderr)
	if len(args) == 0 {
		c.usage(c.stderr)
		return exitInput
	}
	name := args[0]
	switch name {
	case "-h", "-help", "--help":
		c.usage(c.stdout)
		return exitOK
	case "-version", "--version":
		name = "version"
	}
	for _, cmd := range commands() {
		if cmd.name == name {
			return cmd.run(c, args[1:])
		}
	}
	c.errorf("unknown command %q%s", name, didYouMean(name))
	c.usage(c.stderr)
	return exitInput
}

func didYouMean(name string) string {
	var names []string
	for _, cmd := range commands() {
		names = append(names, cmd.name)
	}
	if hint := story.Suggest(name, names); hint != "" {
		return " (" + hint + ")"
	}
	return ""
}

func (c *cli) usage(w io.Writer) {
	fmt.Fprintln(w, "avdoc turns stories about Linux anonymous-memory reverse mapping into checked, illustrated explanations.")
	fmt.Fprintln(w, "\nUsage:")
	for _, cmd := range commands() {
		fmt.Fprintf(w, "  %s\n      %s\n", cmd.usage, cmd.summary)
	}
	fmt.Fprintln(w, "\nRun `avdoc help COMMAND` or `avdoc COMMAND --help` for a command's flags.")
}

// flags makes a command's flag set, printing its usage on -h. A command
// that reads stories also gets the flags that raise their limits.
func (c *cli) flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	if name == "build" || name == "check" || name == "render" {
		c.limitFlags(fs)
	}
	fs.Usage = func() {
		for _, cmd := range commands() {
			if cmd.name == name {
				fmt.Fprintf(fs.Output(), "Usage: %s\n\n%s.\n", cmd.usage, cmd.summary)
			}
		}
		var b strings.Builder
		out := fs.Output()
		fs.SetOutput(&b)
		fs.PrintDefaults()
		fs.SetOutput(out)
		if b.Len() > 0 {
			fmt.Fprintf(fs.Output(), "\nFlags:\n%s", b.String())
		}
	}
	return fs
}

// limitFlags registers the flags of story.Limits, which set c.limits.
func (c *cli) limitFlags(fs *flag.FlagSet) {
	c.limits = story.DefaultLimits()
	positiveFlag(fs, &c.limits.Procs, "max-procs", "a story may create at most `N` processes")
	positiveFlag(fs, &c.limits.Pages, "max-pages", "a story may map at most `N` pages, summed over its processes")
	positiveFlag(fs, &c.limits.Steps, "max-steps", "a story may have at most `N` steps")
	positiveFlag(fs, &c.limits.Frames, "max-frames", "a story may draw at most `N` diagrams, one per step under each kernel")
	positiveFlag(fs, &c.limits.Work, "max-work", "a story may take at most `N` units of simulation work (see the README)")
	positiveFlag(fs, &c.limits.FileSize, "max-file-size", "a story file may hold at most `N` bytes")
}

// positiveFlag registers a flag that sets *p to a whole number, 1 or
// more; *p is its default.
func positiveFlag[T int | int64](fs *flag.FlagSet, p *T, name, usage string) {
	fs.Func(name, fmt.Sprintf("%s (default %d)", usage, *p), func(s string) error {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 1 || int64(T(n)) != n {
			return errors.New("want a whole number, 1 or more")
		}
		*p = T(n)
		return nil
	})
}

// parse parses flags that may come before, between or after the
// positional arguments, and returns the positional ones. It returns
// ok=false with the exit code when parsing ends the command (-h, or a bad
// flag).
func (c *cli) parse(fs *flag.FlagSet, args []string) (pos []string, code int, ok bool) {
	for {
		if err := parseOnce(fs, args, c.stdout); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, exitOK, false
			}
			return nil, exitInput, false
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, 0, true
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), 0, true
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// parseOnce parses args with fs. The flag package prints the usage
// itself, on -h as after a bad flag; parseOnce sends it to help (standard
// output) on -h, and leaves it on fs's output (standard error) after an
// error: either way, once.
func parseOnce(fs *flag.FlagSet, args []string, help io.Writer) error {
	var usage bytes.Buffer
	show, out := fs.Usage, fs.Output()
	fs.Usage = func() {
		fs.SetOutput(&usage)
		show()
		fs.SetOutput(out)
	}
	err := fs.Parse(args)
	fs.Usage = show
	if errors.Is(err, flag.ErrHelp) {
		out = help
	}
	out.Write(usage.Bytes())
	return err
}

func runVersion(c *cli, args []string) int {
	fs := c.flags("version")
	if _, code, ok := c.parse(fs, args); !ok {
		return code
	}
	fmt.Fprintf(c.stdout, "avdoc %s (%s)\n", version, runtime.Version())
	return exitOK
}

func runHelp(c *cli, args []string) int {
	if len(args) == 0 {
		c.usage(c.stdout)
		return exitOK
	}
	for _, cmd := range commands() {
		if cmd.name == args[0] && cmd.name != "help" {
			return cmd.run(c, []string{"-h"})
		}
	}
	c.errorf("no command %q", args[0])
	return exitInput
}
