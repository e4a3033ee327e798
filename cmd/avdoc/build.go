package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/avdoc/avdoc/site"
)

// marker is the file avdoc writes into every site it builds, so that it
// only ever replaces a directory it made itself.
const marker = ".avdoc-site"

func runBuild(c *cli, args []string) int {
	fs := c.flags("build")
	out := fs.String("o", "_site", "the directory to build the site into")
	force := fs.Bool("force", false, "build even if expectations fail (the site marks them)")
	paths, code, ok := c.parse(fs, args)
	if !ok {
		return code
	}
	if err := checkReplaceable(filepath.Clean(*out)); err != nil {
		c.errorf("%v", err)
		return exitInput
	}
	stories, t, ok := c.runStories(paths)
	if !ok {
		return exitInput
	}
	if t.failed+t.unnamed > 0 && !*force {
		c.errorf("%s; %s was left as it was (fix the stories, or use --force to build with the failures marked)", t.summary(len(stories)), *out)
		return exitFailed
	}
	files, err := buildSite(context.Background(), stories)
	if err != nil {
		c.errorf("%v", err)
		return exitFailed
	}
	if err := writeSite(*out, files); err != nil {
		c.errorf("%v", err)
		return exitFailed
	}
	fmt.Fprintf(c.stdout, "built %d stories into %s; open %s\n", len(stories), *out, filepath.Join(*out, "index.html"))
	return exitOK
}

// writeSite writes files into a new directory beside out, then swaps it in
// for out, so that out is never half-written: an interrupted build leaves
// the previous site as it was.
func writeSite(out string, files []site.File) (err error) {
	out = filepath.Clean(out)
	if err := checkReplaceable(out); err != nil {
		return err
	}
	parent := filepath.Dir(out)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", parent, err)
	}
	tmp, err := os.MkdirTemp(parent, ".avdoc-build-")
	if err != nil {
		return fmt.Errorf("creating a build directory: %w", err)
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	files = append(files, site.File{Path: marker, Data: []byte("built by avdoc; `avdoc build` may replace this directory\n")})
	for _, f := range files {
		if err := writeFile(tmp, f); err != nil {
			return err
		}
	}
	return swap(tmp, out)
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
// old site is removed.
func swap(dir, out string) error {
	old := ""
	if _, err := os.Stat(out); err == nil {
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
