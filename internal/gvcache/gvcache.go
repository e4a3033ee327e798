// Package gvcache keeps go-graphviz's WebAssembly compilation cache in
// avdoc's user cache directory, where it belongs to the user running
// avdoc, rather than in $TMPDIR/go-graphviz, where it belongs to whoever
// ran first (and every later user panicked).
//
// go-graphviz compiles Graphviz in its package init, into the directory
// "go-graphviz" under os.TempDir(), that is $TMPDIR. This package's init
// points $TMPDIR at avdoc's directory for it, and [Restore] (called from
// the init of render/gv, which imports go-graphviz and so runs after it)
// puts $TMPDIR back. Go initializes packages in dependency order and,
// among those ready, by import path: this package imports only packages
// go-graphviz's WebAssembly package imports too, and its path
// (github.com/avdoc/...) sorts before go-graphviz's (github.com/goccy/...),
// so its init always runs first. TestCacheInUserCacheDir checks it.
package gvcache

import (
	"os"
	"path/filepath"
)

// noCache is what $TMPDIR is set to when there is no usable directory:
// go-graphviz cannot make a directory below a device file, and then
// compiles Graphviz without a cache (slower to start, never a panic).
const noCache = os.DevNull

// saved is $TMPDIR as it was before init changed it: the only state of
// the package, written once at init and read by Restore.
var saved struct {
	value string
	set   bool
}

func init() {
	saved.value, saved.set = os.LookupEnv("TMPDIR")
	base, err := os.UserCacheDir()
	dir := noCache
	if err == nil {
		dir = Parent(filepath.Join(base, "avdoc"))
	}
	os.Setenv("TMPDIR", dir) // cannot fail: neither holds a NUL
}

// Parent returns the directory to give go-graphviz as $TMPDIR so that its
// cache lives in cacheDir/graphviz/go-graphviz, creating it if need be; or,
// when that cannot be created or any part of it is not this user's to read
// and write, a path where go-graphviz keeps no cache at all.
func Parent(cacheDir string) string {
	parent := filepath.Join(cacheDir, "graphviz")
	dir := filepath.Join(parent, "go-graphviz")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return noCache
	}
	usable := true
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || !accessible(path, d.IsDir()) {
			usable = false
			return filepath.SkipAll
		}
		return nil
	})
	if !usable {
		return noCache
	}
	return parent
}

// accessible reports whether this process can write files in the
// directory path, or read the file path: what wazero does with them.
func accessible(path string, dir bool) bool {
	if !dir {
		f, err := os.Open(path)
		if err == nil {
			f.Close()
		}
		return err == nil
	}
	f, err := os.CreateTemp(path, ".avdoc-probe-")
	if err != nil {
		return false
	}
	f.Close()
	return os.Remove(f.Name()) == nil
}

// Restore sets $TMPDIR back to what it was before this package's init.
// render/gv calls it from its init, once go-graphviz has read it.
func Restore() {
	if saved.set {
		os.Setenv("TMPDIR", saved.value)
	} else {
		os.Unsetenv("TMPDIR")
	}
}
