package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/avdoc/avdoc/internal/golden"
	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
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
			env.Setenv("XDG_CACHE_HOME", filepath.Join(env.WorkDir, ".tmp", "cache"))
			return nil
		},
	})
}
