package main

import (
	"context"
	"errors"
	"fmt"
	"github.com/avdoc/avdoc/live/agent"
	"os"
	"path/filepath"
	"testing"

	"github.com/avdoc/avdoc/cmd/avdoc/internal/storyfile"
	"github.com/avdoc/avdoc/illustrate"
	"github.com/avdoc/avdoc/internal/golden"
	"github.com/avdoc/avdoc/render/gv"
	"github.com/avdoc/avdoc/site"
	"github.com/avdoc/avdoc/story"
	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	agent.RunIfAgent() // the test binary doubles as a live agent, as avdoc does
	// The test binary doubles as a render worker (os.Executable()), as
	// avdoc does.
	if len(os.Args) > 1 && os.Args[1] == renderWorkerCmd {
		os.Exit(runRenderWorker(os.Stdin, os.Stdout, os.Stderr))
	}
	// Tests use no cache unless they ask for one, so that no run depends
	// on, or fills, the cache of the user running them.
	// Scripts set it empty, for a cache of their own (see TestScripts).
	if _, set := os.LookupEnv("AVDOC_CACHE"); !set {
		os.Setenv("AVDOC_CACHE", "off")
	}
	testscript.Main(m, map[string]func(){
		"avdoc": func() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs the CLI scripts in testdata/script: each runs the real
// avdoc commands in a fresh directory and checks their output, exit
// status and files. With -update, failing cmp sections are rewritten.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		UpdateScripts:       golden.Updating(),
		Setup: func(env *testscript.Env) error {
			// Each script has a cache of its own, empty at its start.
			env.Setenv("AVDOC_CACHE", "")
			env.Setenv("XDG_CACHE_HOME", filepath.Join(env.WorkDir, ".tmp", "cache"))
			return nil
		},
	})
}

// buildSite draws the stories that paths name and assembles their site
// in this process, as `avdoc build --force` does, caching in st (nil:
// none); any problem of the input is an error.
func buildSite(ctx context.Context, paths []string, st *store, jobs int) ([]site.File, error) {
	rd, err := gv.New(ctx)
	if err != nil {
		return nil, fmt.Errorf("starting Graphviz: %w", err)
	}
	defer rd.Close()
	results := newDrawer(story.DefaultLimits(), rd, st, jobs).PathPages(ctx, paths, storyfile.Expand)
	var errs []error
	for _, r := range results {
		errs = append(errs, r.Err)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return site.Build(illustrate.Site(illustrate.Slugs(results)))
}
