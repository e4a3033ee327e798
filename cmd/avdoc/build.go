package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/avdoc/avdoc/site"
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
	dest, err := buildTarget(*out)
	if err != nil {
		c.errorf("%v", err)
		return exitInput
	}
	prog := c.showProgress("build") // on a terminal, and not in CI, only
	defer prog.finish()
	st := openStore(*cacheDir, os.Getenv, c.stderr)
	var t tally
	var pages []site.Story
	produce := func() ([]site.File, error) {
		workers := *jobs
		if workers == 1 {
			workers = 0 // -j 1: all in this process
		}
		rd, err := startRenderer(workers)
		if err != nil {
			return nil, err
		}
		defer rd.Close()
		d := newDrawer(c.limits, rd, st, *jobs)
		prog.phase("running and drawing the stories")
		results := d.drawPaths(context.Background(), paths)
		var problems []string
		for _, r := range results {
			if r.err != nil {
				problems = append(problems, r.err.Error())
				continue
			}
			t.addDrawn(c, r)
		}
		if problems != nil {
			return nil, inputError{errors.New(strings.Join(problems, "\n"))}
		}
		if t.failed+t.unnamed > 0 && !*force {
			return nil, fmt.Errorf("%s; %s was left as it was (fix the stories, or use --force to build with the failures marked)", t.summary(len(results)), *out)
		}
		pages = withSlugs(results)
		files, err := assembleSite(pages)
		if err != nil {
			return nil, err
		}
		return files, c.siteLimits.refuse(files, pages)
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
	if saved := st.summary(); saved != "" {
		msg += " (" + saved + ")"
	}
	fmt.Fprintf(c.stdout, "%s; open %s\n", msg, filepath.Join(*out, "index.html"))
	return exitOK
}

// withSlugs names the pages of the stories drawn, in file order.
func withSlugs(results []drawn) []site.Story {
	var pages []site.Story
	slugs := map[string]bool{}
	for _, r := range results {
		p := r.page
		p.Slug = uniqueSlug(r.file, slugs)
		pages = append(pages, p)
	}
	return pages
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
