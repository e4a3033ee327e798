package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"

	"github.com/avdoc/avdoc/illustrate"
	"github.com/avdoc/avdoc/site"
	"github.com/avdoc/avdoc/story"
)

// marker is the file avdoc writes into every site it builds, so that it
// only ever replaces a directory it made itself.
const marker = ".avdoc-site"

// stagingPrefix starts the name of the directory a build writes into,
// beside the output, before it takes the output's place.
const stagingPrefix = ".avdoc-build-"

func runBuild(c *cli, args []string) int {
	fs := c.flags("build")
	out := fs.String("o", "_site", "the directory to build the site into")
	force := fs.Bool("force", false, "build even if expectations fail (the site marks them)")
	cacheDir := cacheFlag(fs)
	jobs := jobsFlag(fs)
	paths, code, ok := c.parse(fs, args)
	if !ok {
		return code
	}
	if len(paths) == 0 {
		paths = []string{"stories"}
	}
	dest, err := buildTarget(*out)
	if err != nil {
		c.errorf("%v", err)
		return exitInput
	}
	prog := c.showProgress("build") // on a terminal, and not in CI, only
	defer prog.Finish()
	st := openStore(*cacheDir, os.Getenv, c.stderr)
	var pages []site.Story
	produce := func() ([]site.File, error) {
		prog.Phase("running and drawing the stories")
		results, err := drawForBuild(c.limits, paths, *jobs, st)
		if err != nil {
			return nil, err
		}
		t, err := tallyDrawn(c, results)
		if err != nil {
			return nil, err
		}
		if t.Failed+t.Unnamed > 0 && !*force {
			return nil, fmt.Errorf("%s; %s was left as it was (fix the stories, or use --force to build with the failures marked)", t.Summary(len(results)), *out)
		}
		pages = illustrate.Slugs(results)
		return site.Build(illustrate.Site(pages))
	}
	switch err := c.buildInto(dest, *out, produce); {
	case errors.As(err, new(inputError)):
		fmt.Fprintln(c.stderr, err)
		return exitInput
	case err != nil:
		c.errorf("%v", err)
		return exitFailed
	}
	msg := fmt.Sprintf("built %d stories into %s", len(pages), *out)
	if saved := st.Summary(); saved != "" {
		msg += " (" + saved + ")"
	}
	fmt.Fprintf(c.stdout, "%s; open %s\n", msg, filepath.Join(*out, "index.html"))
	return exitOK
}

// drawForBuild runs and draws the stories that paths name, jobs at a
// time, rendering in as many Graphviz worker processes (-j 1: all in
// this process), caching in st.
func drawForBuild(lim story.Limits, paths []string, jobs int, st *store) ([]illustrate.Page, error) {
	workers := jobs
	if workers == 1 {
		workers = 0 // -j 1: all in this process
	}
	rd, err := startRenderer(workers)
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	return drawPaths(context.Background(), newDrawer(lim, rd, st, jobs), paths), nil
}

// buildInto makes the site's files with produce and swaps them in for dest
// (-o out, as the user wrote it). An interrupt (SIGINT, SIGTERM) stops
// the build and leaves dest as it was, with no trace of the build.
func (c *cli) buildInto(dest, out string, produce func() ([]site.File, error)) error {
	st := &staging{out: dest}
	// Listen first: from the moment the staging directory exists, an
	// interrupt must remove it.
	stop := st.exitOnInterrupt(func(sig os.Signal, committed bool) {
		if committed {
			c.errorf("interrupted (%v) once the site was built into %s", sig, out)
		} else {
			c.errorf("interrupted (%v); %s was left as it was", sig, out)
		}
	})
	defer stop()
	if err := st.create(); err != nil {
		return err
	}
	defer st.discard()
	files, err := produce()
	if err != nil {
		return err
	}
	return st.commit(files)
}

// buildTarget returns the directory a build into out replaces: out, or,
// if out is a symbolic link, the directory it points to (the link stays
// as it is). It refuses a directory avdoc did not build.
func buildTarget(out string) (string, error) {
	out = filepath.Clean(out)
	if info, err := os.Lstat(out); err == nil && info.Mode()&os.ModeSymlink != 0 {
		target, err := filepath.EvalSymlinks(out)
		if err != nil {
			link, _ := os.Readlink(out)
			return "", fmt.Errorf("%s is a symbolic link to %s, which does not exist; create it, or choose another -o", out, link)
		}
		out = target
	}
	return out, checkReplaceable(out)
}

// checkReplaceable refuses to replace a directory avdoc did not build.
func checkReplaceable(out string) error {
	info, err := os.Stat(out)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !info.IsDir() {
		return fmt.Errorf("%s exists and is not a directory; choose another -o", out)
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(out, marker)); err != nil && len(entries) > 0 {
		return fmt.Errorf("refusing to replace %s: it is not empty and was not built by avdoc (no %s file); choose another -o", out, marker)
	}
	return nil
}

// staging is a site being built: a new directory beside the output that
// takes the output's place once it is complete, so that the output is
// never half-written.
type staging struct {
	out, dir string
	lock     *os.File // held while the build runs, so that no other build takes dir for stale
	// mu is held while a file is written and during the swap, and by an
	// interrupt from the moment it arrives: an interrupt never leaves a
	// file half-written or the output half-swapped.
	mu        sync.Mutex
	committed bool
}

// create makes the directory a build of st.out writes into, first
// removing those of earlier builds that were killed (kill -9) before
// they could clean up.
func (st *staging) create() error {
	st.mu.Lock()
	defer st.mu.Unlock()
	parent := filepath.Dir(st.out)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", parent, err)
	}
	removeStale(parent)
	dir, err := os.MkdirTemp(parent, stagingPrefix)
	if err != nil {
		return fmt.Errorf("creating a build directory: %w", err)
	}
	lock, _, err := lockDir(dir)
	if err == nil {
		err = os.Chmod(dir, 0o755)
	}
	if err != nil {
		os.RemoveAll(dir)
		return fmt.Errorf("preparing the build directory: %w", err)
	}
	st.dir, st.lock = dir, lock
	return nil
}

// removeStale removes the staging directories in parent that no running
// build holds: those of builds that were killed. It does nothing where
// directories cannot be locked.
func removeStale(parent string) {
	if !dirLocks {
		return
	}
	entries, _ := os.ReadDir(parent) // nothing to remove if it cannot be read
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), stagingPrefix) {
			continue
		}
		path := filepath.Join(parent, e.Name())
		if f, free, err := lockDir(path); err == nil && free {
			os.RemoveAll(path)
			f.Close()
		}
	}
}

// exitOnInterrupt makes SIGINT and SIGTERM remove the staging directory
// and end avdoc with exitFailed, after saying so with report. It returns
// the function that stops listening.
func (st *staging) exitOnInterrupt(report func(sig os.Signal, committed bool)) (stop func()) {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-sigs:
			st.mu.Lock() // never released: avdoc ends here
			if st.dir != "" && !st.committed {
				os.RemoveAll(st.dir)
			}
			report(sig, st.committed)
			os.Exit(exitFailed)
		case <-done:
		}
	}()
	return func() {
		signal.Stop(sigs)
		close(done)
	}
}

// commit writes files into the staging directory and swaps it in for
// the output.
func (st *staging) commit(files []site.File) error {
	files = append(files, site.File{Path: marker, Data: []byte("built by avdoc; `avdoc build` may replace this directory\n")})
	for _, f := range files {
		if err := st.write(f); err != nil {
			return err
		}
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if err := checkReplaceable(st.out); err != nil {
		return err
	}
	if err := swap(st.dir, st.out); err != nil {
		return err
	}
	st.committed = true
	return nil
}

func (st *staging) write(f site.File) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	return writeFile(st.dir, f)
}

// discard removes the staging directory unless it became the output, and
// lets go of its lock.
func (st *staging) discard() {
	st.mu.Lock()
	defer st.mu.Unlock()
	if !st.committed {
		os.RemoveAll(st.dir)
	}
	st.lock.Close()
}

// writeFile writes one site file below root, refusing any path that would
// land outside it.
func writeFile(root string, f site.File) error {
	rel := filepath.FromSlash(f.Path)
	if !filepath.IsLocal(rel) {
		return fmt.Errorf("site file %q would be written outside the site", f.Path)
	}
	path := filepath.Join(root, rel)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, f.Data, 0o644)
}

// swap replaces out with dir: out moves aside, dir takes its name, and the
// old site is removed. The old site is locked while it is aside, so that
// no other build takes it for a stale staging directory.
func swap(dir, out string) error {
	old := ""
	if _, err := os.Stat(out); err == nil {
		lock, free, err := lockDir(out)
		if err != nil || !free {
			return fmt.Errorf("another avdoc build is replacing %s; try again", out)
		}
		defer lock.Close()
		old = dir + ".old"
		if err := os.Rename(out, old); err != nil {
			return fmt.Errorf("moving the old site aside: %w", err)
		}
	}
	if err := os.Rename(dir, out); err != nil {
		if old != "" {
			os.Rename(old, out)
		}
		return fmt.Errorf("moving the new site into place: %w", err)
	}
	if old != "" {
		return os.RemoveAll(old)
	}
	return nil
}
