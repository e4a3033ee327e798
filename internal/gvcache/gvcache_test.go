package gvcache_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/avdoc/avdoc/internal/gvcache"
	_ "github.com/avdoc/avdoc/render/gv" // go-graphviz, and the Restore after its init
)

// childEnv marks the test binary started by TestCacheInUserCacheDir: it
// prints $TMPDIR as its process sees it after every init, and ends.
const childEnv = "GVCACHE_TEST_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "" {
		os.Stdout.WriteString(os.Getenv("TMPDIR"))
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestCacheInUserCacheDir starts a process that imports go-graphviz with
// $TMPDIR and $XDG_CACHE_HOME of its own: go-graphviz's compiled module
// must land in the user cache directory, nothing in $TMPDIR, and the
// process must see its $TMPDIR unchanged once go-graphviz is loaded.
func TestCacheInUserCacheDir(t *testing.T) {
	tmp, cache := t.TempDir(), t.TempDir()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), childEnv+"=1", "TMPDIR="+tmp, "XDG_CACHE_HOME="+cache, "HOME="+cache)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("child: %v", err)
	}
	if string(out) != tmp {
		t.Errorf("the child's $TMPDIR is %q after go-graphviz's init, want %q as it was given", out, tmp)
	}
	if left, _ := os.ReadDir(tmp); len(left) > 0 {
		t.Errorf("go-graphviz wrote into $TMPDIR: %v", left)
	}
	compiled, _ := filepath.Glob(filepath.Join(cache, "avdoc", "graphviz", "go-graphviz", "wazero-*", "*"))
	if len(compiled) == 0 {
		t.Errorf("no compiled module under %s", filepath.Join(cache, "avdoc", "graphviz", "go-graphviz"))
	}
}

// TestParent: a usable directory is made and given; one that cannot be
// made gives the path where go-graphviz keeps no cache.
func TestParent(t *testing.T) {
	dir := t.TempDir()
	if got, want := gvcache.Parent(dir), filepath.Join(dir, "graphviz"); got != want {
		t.Errorf("Parent(%s) = %s, want %s", dir, got, want)
	}
	if info, err := os.Stat(filepath.Join(dir, "graphviz", "go-graphviz")); err != nil || info.Mode().Perm() != 0o700 {
		t.Errorf("the cache directory: %v, %v; want a directory only its user reads", info, err)
	}
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if got := gvcache.Parent(file); got != os.DevNull {
		t.Errorf("Parent below a file = %s, want %s (no cache)", got, os.DevNull)
	}
}
