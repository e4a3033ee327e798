package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/avdoc/avdoc/cmd/avdoc/internal/sitedir"
	"github.com/avdoc/avdoc/cmd/avdoc/internal/storyfile"
	"github.com/avdoc/avdoc/illustrate"
	"github.com/avdoc/avdoc/site"
	"github.com/avdoc/avdoc/story"
)

func runBuild(c *cli, args []string) int {
	fs := c.flags("build")
	out := fs.String("o", "_site", "the directory to build the site into")
	force := fs.Bool("force", false, "build even if expectations fail (the site marks them)")
	c.outputLimitFlags(fs)
	cacheDir := cacheFlag(fs)
	jobs := jobsFlag(fs)
	paths, code, ok := c.parse(fs, args)
	if !ok {
		return code
	}
	if len(paths) == 0 {
		paths = []string{"stories"}
	}
	dest, err := sitedir.Target(*out)
	if err != nil {
		c.errorf("%v", err)
		return exitInput
	}
	prog := c.showProgress("build") // on a terminal, and not in CI, only
	defer prog.Finish()
	st := openStore(*cacheDir, os.Getenv, c.stderr)
	var pages []site.Story
	produce := func(drawn func(site.Story)) ([]site.File, error) {
		prog.Phase("running and drawing the stories")
		results, err := drawForBuild(c.limits, paths, *jobs, st, drawn)
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
		files, err := site.Build(illustrate.Site(pages))
		if err != nil {
			return nil, err
		}
		return files, refuseOversize(c.siteLimits, files, pages)
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
// this process), caching in st, telling drawn of each story drawn.
func drawForBuild(lim story.Limits, paths []string, jobs int, st *store, drawn func(site.Story)) ([]illustrate.Page, error) {
	workers := jobs
	if workers == 1 {
		workers = 0 // -j 1: all in this process
	}
	rd, err := startRenderer(workers)
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	il := newDrawer(lim, rd, st, jobs)
	il.Drawn = drawn
	return il.PathPages(context.Background(), paths, storyfile.Expand), nil
}

// buildInto makes the site's files with produce, which writes each
// story's diagrams as soon as it tells drawn of it, and swaps them in for
// dest (-o out, as the user wrote it). An interrupt (SIGINT, SIGTERM)
// stops the build and leaves dest as it was, with no trace of the build.
func (c *cli) buildInto(dest, out string, produce func(drawn func(site.Story)) ([]site.File, error)) error {
	st := sitedir.New(dest)
	// Listen first: from the moment the staging directory exists, an
	// interrupt must remove it.
	stop := st.ExitOnInterrupt(exitFailed, func(sig os.Signal, committed bool) {
		if committed {
			c.errorf("interrupted (%v) once the site was built into %s", sig, out)
		} else {
			c.errorf("interrupted (%v); %s was left as it was", sig, out)
		}
	})
	defer stop()
	if err := st.Create(); err != nil {
		return err
	}
	defer st.Discard()
	files, err := produce(st.PutDiagrams(c.siteLimits))
	if err != nil {
		return err
	}
	return st.Commit(files)
}
