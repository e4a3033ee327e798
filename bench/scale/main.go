// Command scale measures every kernel model of the engine on Rik van
// Riel's case (kernel-rmap-spec §12.1): P maps and writes -pages pages,
// forks -children children, and every child writes every page; then the
// rmap walk of every live page is made once, as page_referenced() would
// under memory pressure.
//
//	go run ./bench/scale [-children 1000] [-pages 1000] [-models 2.6.33,2.6.34] [-runs 1]
//
// It prints a Markdown table with, per model: the time to build the case
// (engine.New and the story's three steps, each with its snapshot and
// invariant check), the time to walk every live page once, the VMAs those
// walks visit (the sum of State.Visits), the peak resident set size of the
// process that did it, and the heap still live once the three steps'
// results are built (what a story run keeps).
//
// Each model runs in a child process of its own (the program re-executes
// itself with the hidden -child flag), so that the peak RSS is that
// model's alone; the child reports its figures as one JSON line on stdout
// and the parent reads the peak RSS from the child's rusage. With -runs
// above 1, every cell is the median of the runs.
//
// A model that fails, or does not finish within -timeout, or whose walk
// exceeds -walk-budget, is reported as such in the table and in the notes
// under it: partial figures are marked, never extrapolated.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/avdoc/avdoc/engine"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// config is the command line.
type config struct {
	children, pages, runs int
	models                []string
	timeout, walkBudget   time.Duration
	child                 bool   // run one model in this process and print its result as JSON
	model                 string // the model of a -child run
}

// run is the whole program: it parses args, and either measures one model
// (-child) or runs every model in a child process and prints the table. It
// returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	cfg, err := parseArgs(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "scale:", err)
		return 2
	}
	if cfg.child {
		res := measure(cfg.model, cfg.children, cfg.pages, cfg.walkBudget)
		if err := json.NewEncoder(stdout).Encode(res); err != nil {
			fmt.Fprintln(stderr, "scale: writing the result:", err)
			return 1
		}
		return 0
	}
	rows, err := measureAll(context.Background(), cfg, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "scale:", err)
		return 1
	}
	writeTable(stdout, cfg, rows)
	return 0
}

// parseArgs parses the command line into a config.
func parseArgs(args []string, stderr io.Writer) (config, error) {
	var cfg config
	fs := flag.NewFlagSet("scale", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&cfg.children, "children", 1000, "children P forks")
	fs.IntVar(&cfg.pages, "pages", 1000, "pages P maps and writes, and every child writes")
	models := fs.String("models", strings.Join(engine.ModelNames(), ","), "comma-separated kernel models to measure")
	fs.IntVar(&cfg.runs, "runs", 1, "runs per model; above 1, the table shows medians")
	fs.DurationVar(&cfg.timeout, "timeout", 10*time.Minute, "kill a model's process after this long")
	fs.DurationVar(&cfg.walkBudget, "walk-budget", 60*time.Second, "stop a model's walk of every page after this long, and report what it walked")
	fs.BoolVar(&cfg.child, "child", false, "internal: measure -model in this process and print JSON")
	fs.StringVar(&cfg.model, "model", "", "internal: the model of a -child run")
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	if fs.NArg() > 0 {
		return config{}, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	switch {
	case cfg.children < 1 || cfg.pages < 1:
		return config{}, fmt.Errorf("-children and -pages must be at least 1 (got %d, %d)", cfg.children, cfg.pages)
	case cfg.runs < 1:
		return config{}, fmt.Errorf("-runs must be at least 1 (got %d)", cfg.runs)
	case cfg.child && cfg.model == "":
		return config{}, errors.New("-child needs -model")
	}
	for _, m := range strings.Split(*models, ",") {
		if m = strings.TrimSpace(m); m != "" {
			cfg.models = append(cfg.models, m)
		}
	}
	if !cfg.child && len(cfg.models) == 0 {
		return config{}, errors.New("-models names no model")
	}
	return cfg, nil
}

// result is what one run of one model measured. A child process prints
// it as JSON; the parent adds the peak RSS.
type result struct {
	Model       string  `json:"model"`
	Design      string  `json:"design,omitempty"`
	BuildSec    float64 `json:"build_s"`
	Built       bool    `json:"built"` // every step ran without a refused event
	WalkSec     float64 `json:"walk_s"`
	Visits      int64   `json:"visits"`       // VMAs the walks visited
	PagesWalked int     `json:"pages_walked"` // live pages walked
	LivePages   int     `json:"live_pages"`   // live pages after the last step
	HeapMB      float64 `json:"heap_mb"`      // live heap after the steps, their results held
	Err         string  `json:"error,omitempty"`
	PeakRSSMB   float64 `json:"-"` // filled by the parent from the child's rusage
}

// walkComplete reports whether the walk covered every live page.
func (r *result) walkComplete() bool { return r.Built && r.PagesWalked == r.LivePages }

// rikSteps is the case as a story tells it, in three steps: P maps and
// writes its pages; P forks every child; every child writes every page.
func rikSteps(children, pages int) [][]engine.Event {
	heap := func(proc string) engine.Range { return engine.Range{Proc: proc, Region: "heap", Whole: true} }
	setup := []engine.Event{
		{Op: engine.OpSpawn, Proc: "P"},
		{Op: engine.OpMmap, Proc: "P", Region: "heap", Pages: pages, Writable: true},
		{Op: engine.OpWrite, Range: heap("P")},
	}
	forks := make([]engine.Event, 0, children)
	writes := make([]engine.Event, 0, children)
	for i := 1; i <= children; i++ {
		c := "C" + strconv.Itoa(i)
		forks = append(forks, engine.Event{Op: engine.OpFork, Proc: "P", Child: c})
		writes = append(writes, engine.Event{Op: engine.OpWrite, Range: heap(c)})
	}
	return [][]engine.Event{setup, forks, writes}
}

// measure builds the case on one model and walks every live page once,
// stopping the walk once it has taken longer than budget.
func measure(name string, children, pages int, budget time.Duration) result {
	res := result{Model: name}
	model, err := engine.Lookup(name)
	if err != nil {
		res.Err = err.Error()
		return res
	}
	res.Design = model.Design.String()

	start := time.Now()
	m := engine.New(model)
	steps := rikSteps(children, pages)
	results := make([]engine.StepResult, 0, len(steps))
	for i, evs := range steps {
		r, err := m.Step(evs)
		if err != nil {
			res.BuildSec = time.Since(start).Seconds()
			res.Err = fmt.Sprintf("step %d: %v", i+1, err)
			return res
		}
		results = append(results, r)
	}
	res.BuildSec = time.Since(start).Seconds()
	res.Built = true

	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	res.HeapMB = float64(ms.HeapAlloc) / (1 << 20)

	st := &results[len(results)-1].State
	for i := range st.Pages {
		if !st.Pages[i].Freed {
			res.LivePages++
		}
	}
	start = time.Now()
	for i := range st.Pages {
		if st.Pages[i].Freed {
			continue
		}
		if res.PagesWalked%256 == 0 && time.Since(start) > budget {
			break
		}
		res.Visits += int64(st.Visits(st.Pages[i].ID))
		res.PagesWalked++
	}
	res.WalkSec = time.Since(start).Seconds()
	runtime.KeepAlive(results)
	runtime.KeepAlive(m)
	return res
}

// measureAll runs every model cfg.runs times, each run in a child process,
// one at a time so that they do not compete for the CPUs. It returns the
// runs of each model, in cfg.models order.
func measureAll(ctx context.Context, cfg config, progress io.Writer) ([][]result, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("finding this program to re-execute it: %w", err)
	}
	out := make([][]result, len(cfg.models))
	for i, name := range cfg.models {
		for range cfg.runs {
			r := runChild(ctx, exe, cfg, name)
			fmt.Fprintf(progress, "scale: %s: build %.2fs, walk %.2fs, %d visits, peak RSS %.0f MB%s\n",
				name, r.BuildSec, r.WalkSec, r.Visits, r.PeakRSSMB, errSuffix(r.Err))
			out[i] = append(out[i], r)
		}
	}
	return out, nil
}

func errSuffix(e string) string {
	if e == "" {
		return ""
	}
	return " (" + e + ")"
}

// runChild measures one model in a child process running exe with -child.
// A child that fails or times out gives a result whose Err says so.
func runChild(ctx context.Context, exe string, cfg config, name string) result {
	ctx, cancel := context.WithTimeout(ctx, cfg.timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, exe, "-child", "-model", name,
		"-children", strconv.Itoa(cfg.children), "-pages", strconv.Itoa(cfg.pages),
		"-walk-budget", cfg.walkBudget.String())
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	runErr := cmd.Run()

	res := result{Model: name}
	if err := lastJSONLine(stdout.Bytes(), &res); err != nil && runErr == nil {
		runErr = err
	}
	if ps := cmd.ProcessState; ps != nil {
		if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
			res.PeakRSSMB = float64(ru.Maxrss) / 1024 // KB on Linux
		}
	}
	switch {
	case ctx.Err() != nil:
		res.Err = fmt.Sprintf("killed at the -timeout of %s, after %s, before it reported", cfg.timeout, time.Since(start).Round(time.Millisecond))
	case runErr != nil:
		msg := strings.TrimSpace(stderr.String())
		if i := strings.LastIndexByte(msg, '\n'); i >= 0 {
			msg = msg[i+1:]
		}
		res.Err = fmt.Sprintf("child process: %v %s", runErr, msg)
	}
	return res
}

// lastJSONLine decodes the last non-empty line of out into res.
func lastJSONLine(out []byte, res *result) error {
	var last []byte
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if line := bytes.TrimSpace(sc.Bytes()); len(line) > 0 {
			last = slices.Clone(line)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("reading the child's output: %w", err)
	}
	if last == nil {
		return errors.New("the child printed no result")
	}
	if err := json.Unmarshal(last, res); err != nil {
		return fmt.Errorf("decoding the child's result %q: %w", last, err)
	}
	return nil
}

// summarize reduces a model's runs to one row: each figure is the median
// of the runs, and the row keeps the first failure. Visits are the same in
// every complete run (the engine is deterministic); if not, that is noted.
func summarize(runs []result) (result, []string) {
	row := runs[0]
	var notes []string
	med := func(f func(r result) float64) float64 {
		v := make([]float64, len(runs))
		for i, r := range runs {
			v[i] = f(r)
		}
		slices.Sort(v)
		if n := len(v); n%2 == 0 {
			return (v[n/2-1] + v[n/2]) / 2
		}
		return v[len(v)/2]
	}
	row.BuildSec = med(func(r result) float64 { return r.BuildSec })
	row.WalkSec = med(func(r result) float64 { return r.WalkSec })
	row.PeakRSSMB = med(func(r result) float64 { return r.PeakRSSMB })
	row.HeapMB = med(func(r result) float64 { return r.HeapMB })
	for _, r := range runs {
		if r.Err != "" && row.Err == "" {
			row = r
		}
		if r.walkComplete() && row.walkComplete() && r.Visits != row.Visits {
			notes = append(notes, fmt.Sprintf("runs disagree on the visits: %d and %d", row.Visits, r.Visits))
		}
	}
	return row, notes
}

// writeTable prints the Markdown table, one row per model in the order
// asked, and numbered notes under it for whatever a row could not show.
func writeTable(w io.Writer, cfg config, runs [][]result) {
	what := "median of " + strconv.Itoa(cfg.runs) + " runs"
	if cfg.runs == 1 {
		what = "one run"
	}
	fmt.Fprintf(w, "Rik van Riel's case: P writes %s pages, forks %s children, each child writes every page; "+
		"then one rmap walk of every live page (%s per model).\n\n", group(int64(cfg.pages)), group(int64(cfg.children)), what)
	fmt.Fprintln(w, "| model | design | build (s) | walk every page (s) | VMAs visited | peak RSS (MB) | steps' live heap (MB) |")
	fmt.Fprintln(w, "|---|---|--:|--:|--:|--:|--:|")
	var notes []string
	note := func(model, msg string) string {
		notes = append(notes, fmt.Sprintf("%s: %s", model, msg))
		return fmt.Sprintf(" [%d]", len(notes))
	}
	for _, rs := range runs {
		r, disagree := summarize(rs)
		cells := []string{r.Model, r.Design, "—", "—", "—", mb(r.PeakRSSMB), "—"}
		if cells[1] == "" {
			cells[1] = "—"
		}
		if r.Built || r.BuildSec > 0 {
			cells[2] = fmt.Sprintf("%.2f", r.BuildSec)
		}
		if r.Built {
			cells[6] = mb(r.HeapMB)
			cells[3] = fmt.Sprintf("%.2f", r.WalkSec)
			cells[4] = group(r.Visits)
			if !r.walkComplete() {
				cells[4] = "≥ " + cells[4] + note(r.Model, fmt.Sprintf(
					"the walk stopped at the -walk-budget of %s after %s of %s live pages; the visits are those pages' only",
					cfg.walkBudget, group(int64(r.PagesWalked)), group(int64(r.LivePages))))
			}
		}
		if r.Err != "" {
			cells[0] += note(r.Model, r.Err)
		}
		if r.Built && r.Design == engine.DesignPTEChain.String() {
			cells[4] += note(r.Model, "no anon_vma: a page's pte_chain points straight at the PTEs that map it, "+
				"so its walk visits exactly one VMA per mapping")
		}
		for _, d := range disagree {
			cells[4] += note(r.Model, d)
		}
		fmt.Fprintln(w, "| "+strings.Join(cells, " | ")+" |")
	}
	if len(notes) > 0 {
		fmt.Fprintln(w)
		for i, n := range notes {
			fmt.Fprintf(w, "[%d] %s\n", i+1, n)
		}
	}
}

// mb formats megabytes, or a dash for none.
func mb(v float64) string {
	if v <= 0 {
		return "—"
	}
	return fmt.Sprintf("%.1f", v)
}

// group formats n with a comma between groups of three digits.
func group(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
