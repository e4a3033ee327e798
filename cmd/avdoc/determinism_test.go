package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
)

// TestBuildIsDeterministic builds the shipped stories twice, from two
// checkouts at different paths, one named relatively under GOMAXPROCS=1
// and one by its absolute path under GOMAXPROCS=2, and compares every
// byte of the two sites: no map order, timestamp, scheduling or path of
// the machine may show in the output.
func TestBuildIsDeterministic(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the shipped site twice")
	}
	a := checkout(t, filepath.Join(t.TempDir(), "one"))
	b := checkout(t, filepath.Join(t.TempDir(), "two", "deeper"))
	buildWith(t, a, "stories", "GOMAXPROCS=1", "TMPDIR="+t.TempDir(), "XDG_CACHE_HOME="+t.TempDir())
	buildWith(t, b, filepath.Join(b, "stories"), "GOMAXPROCS=2", "TMPDIR="+t.TempDir(), "XDG_CACHE_HOME="+t.TempDir())
	siteA, siteB := filepath.Join(a, "_site"), filepath.Join(b, "_site")
	filesA, filesB := treeFiles(t, siteA), treeFiles(t, siteB)
	if !slices.Equal(filesA, filesB) {
		t.Fatalf("the two builds wrote different files:\n%v\n%v", filesA, filesB)
	}
	if len(filesA) < 50 {
		t.Fatalf("only %d files in the site", len(filesA))
	}
	for _, f := range filesA {
		x, errA := os.ReadFile(filepath.Join(siteA, f))
		y, errB := os.ReadFile(filepath.Join(siteB, f))
		if errA != nil || errB != nil {
			t.Fatal(errA, errB)
		}
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between the two builds", f)
		}
		for _, dir := range []string{a, b} {
			if bytes.Contains(x, []byte(dir)) {
				t.Errorf("%s holds the checkout's path %s", f, dir)
			}
		}
	}
}

// checkout copies the shipped stories, and the recordings of those that
// run the live kernel, into dir/stories, as a checkout of the repository
// at dir would hold them, and returns dir.
func checkout(t *testing.T, dir string) string {
	t.Helper()
	files, err := filepath.Glob("../../stories/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no shipped stories: %v", err)
	}
	recordings, _ := filepath.Glob("../../stories/*.live.json")
	files = append(files, recordings...)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		mustWrite(t, filepath.Join(dir, "stories", filepath.Base(f)), string(data))
	}
	return dir
}

// buildWith runs `avdoc build PATH` in dir with more environment
// variables: each build has caches of its own (Graphviz's compiled
// module, any cache of rendered frames), so that neither reuses the
// other's work.
func buildWith(t *testing.T, dir, path string, env ...string) {
	t.Helper()
	cmd := exec.Command("avdoc", "build", path)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("avdoc build in %s with %s: %v\n%s", dir, env, err, out)
	}
}
