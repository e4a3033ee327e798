package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/avdoc/avdoc/cmd/avdoc/internal/sitedir"
	"github.com/avdoc/avdoc/site"
)

// tinyStory is a valid story of one step, quick to build.
const tinyStory = "title: Tiny\nkernel: 2.6.34\nsteps:\n  - do: [spawn P, mmap P heap 1, write P:heap:0]\n"

// TestWriteFileRefusesEscapes: a site file whose path would leave the
// site is refused, and nothing is written.
func TestWriteFileRefusesEscapes(t *testing.T) {
	for _, path := range []string{"../x.html", "a/../../x.html", "/tmp/x.html", "", "..", "a/../.."} {
		root := filepath.Join(t.TempDir(), "site")
		if err := os.Mkdir(root, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := sitedir.WriteFile(root, site.File{Path: path, Data: []byte("x")}); err == nil {
			t.Errorf("sitedir.WriteFile(%q) was allowed", path)
		}
		if entries := treeFiles(t, filepath.Dir(root)); len(entries) != 0 {
			t.Errorf("sitedir.WriteFile(%q) wrote %v", path, entries)
		}
	}
	root := t.TempDir()
	if err := sitedir.WriteFile(root, site.File{Path: "a/b.html", Data: []byte("x")}); err != nil {
		t.Errorf("sitedir.WriteFile(a/b.html): %v", err)
	}
}

// treeFiles returns the files below dir, relative to it, slash-separated
// and sorted, symbolic links included as files.
func treeFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(dir, path)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// TestBuildWithHostileFileNames builds stories whose file names are odd
// or hostile, named on the command line in odd ways, and checks that
// the build wrote nothing but the site, inside the output folder, one
// page per story.
func TestBuildWithHostileFileNames(t *testing.T) {
	work := t.TempDir()
	names := []string{"...yaml", ".yaml", "日本語.yaml", "a b.yaml", `x"><img src=x onerror=alert(1)>.yaml`, "x.yaml", "X.yml"}
	if err := os.Mkdir(filepath.Join(work, "in"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if err := os.WriteFile(filepath.Join(work, "in", n), []byte(tinyStory), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, _, stderr := avdoc(t, work, "build", "-o", "out/site", "in", "in/../in/x.yaml", filepath.Join(work, "in", "a b.yaml"))
	if code != exitOK {
		t.Fatalf("build: exit %d\n%s", code, stderr)
	}
	for _, f := range treeFiles(t, work) {
		if !strings.HasPrefix(f, "in/") && !strings.HasPrefix(f, "out/site/") {
			t.Errorf("the build wrote %s, outside out/site", f)
		}
	}
	var pages []string
	for _, f := range treeFiles(t, filepath.Join(work, "out", "site")) {
		if dir, file := filepath.Split(f); file == "index.html" && dir != "" {
			pages = append(pages, strings.TrimSuffix(dir, "/"))
		}
	}
	slices.Sort(pages)
	want := []string{"a-b", "a-b-2", "story", "story-2", "story-3", "x", "x-2", "x-3", "x-img-src-x-onerror-alert-1"}
	if !slices.Equal(pages, want) {
		t.Errorf("story pages %q, want %q", pages, want)
	}
}

// TestBuildThroughSymlinks: -o may be a symbolic link to a site avdoc
// built, which is then replaced where it is, the link kept; a link to
// anything else is refused, and a site's own links are never followed
// when it is replaced.
func TestBuildThroughSymlinks(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, work string) // makes work/out and whatever it points to
		code  int
		msg   string // in stderr
		check func(t *testing.T, work string)
	}{
		{"link to a site", func(t *testing.T, work string) {
			buildInto(t, work, "real")
			symlink(t, "real", filepath.Join(work, "out"))
		}, exitOK, "", func(t *testing.T, work string) {
			if info, err := os.Lstat(filepath.Join(work, "out")); err != nil || info.Mode()&os.ModeSymlink == 0 {
				t.Errorf("out is no longer a symbolic link: %v", err)
			}
			mustExist(t, filepath.Join(work, "real", "story", "index.html"))
		}},
		{"link to someone else's directory", func(t *testing.T, work string) {
			mustWrite(t, filepath.Join(work, "home", "notes.txt"), "mine")
			symlink(t, "home", filepath.Join(work, "out"))
		}, exitInput, "refusing to replace", func(t *testing.T, work string) {
			mustExist(t, filepath.Join(work, "home", "notes.txt"))
		}},
		{"dangling link", func(t *testing.T, work string) {
			symlink(t, "nowhere", filepath.Join(work, "out"))
		}, exitInput, "is a symbolic link to nowhere, which does not exist", func(t *testing.T, work string) {
			if _, err := os.Stat(filepath.Join(work, "nowhere")); err == nil {
				t.Error("the build created the link's target")
			}
		}},
		{"link to a file", func(t *testing.T, work string) {
			mustWrite(t, filepath.Join(work, "file"), "x")
			symlink(t, "file", filepath.Join(work, "out"))
		}, exitInput, "exists and is not a directory", nil},
		{"a site holding a link out of it", func(t *testing.T, work string) {
			buildInto(t, work, "out")
			mustWrite(t, filepath.Join(work, "precious", "keep.txt"), "mine")
			symlink(t, filepath.Join(work, "precious"), filepath.Join(work, "out", "story", "escape"))
		}, exitInput, "it holds story/escape, which avdoc did not write", func(t *testing.T, work string) {
			mustExist(t, filepath.Join(work, "precious", "keep.txt"))
			if _, err := os.Lstat(filepath.Join(work, "out", "story", "escape")); err != nil {
				t.Error("the link the user put in the site is gone")
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			work := t.TempDir()
			mustWrite(t, filepath.Join(work, "story.yaml"), tinyStory)
			tt.setup(t, work)
			code, _, stderr := avdoc(t, work, "build", "-o", "out", "story.yaml")
			if code != tt.code || !strings.Contains(stderr, tt.msg) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, stderr, tt.code, tt.msg)
			}
			if tt.check != nil {
				tt.check(t, work)
			}
			if left, _ := filepath.Glob(filepath.Join(work, sitedir.StagingPrefix+"*")); len(left) > 0 {
				t.Errorf("the build left %v behind", left)
			}
		})
	}
}

// TestBuildRemovesStaleStaging: a build removes the staging directories
// that killed builds left behind (marked as avdoc's, a complete site of
// avdoc's, or empty), but not one a running build holds, nor a user's own
// directory that happens to be named like one.
func TestBuildRemovesStaleStaging(t *testing.T) {
	if !sitedir.DirLocks {
		t.Skip("directories cannot be locked here")
	}
	work := t.TempDir()
	mustWrite(t, filepath.Join(work, "story.yaml"), tinyStory)
	killed := filepath.Join(work, sitedir.StagingPrefix+"123")
	mustWrite(t, filepath.Join(killed, "index.html"), "half a site")
	mustWrite(t, filepath.Join(killed, sitedir.StagingMarker), sitedir.StagingMarkerText)
	buildInto(t, work, "old")
	swappedOut := filepath.Join(work, sitedir.StagingPrefix+"456")
	if err := os.Rename(filepath.Join(work, "old"), swappedOut); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(work, sitedir.StagingPrefix+"000") // killed before it was marked
	if err := os.Mkdir(empty, 0o700); err != nil {
		t.Fatal(err)
	}
	mine := filepath.Join(work, sitedir.StagingPrefix+"mine")
	mustWrite(t, filepath.Join(mine, "notes.txt"), "mine")
	mustWrite(t, filepath.Join(mine, sitedir.StagingMarker), "not avdoc's words")
	running := filepath.Join(work, sitedir.StagingPrefix+"789")
	mustWrite(t, filepath.Join(running, "index.html"), "being written")
	mustWrite(t, filepath.Join(running, sitedir.StagingMarker), sitedir.StagingMarkerText)
	lock, free, err := sitedir.LockDir(running)
	if err != nil || !free {
		t.Fatalf("locking %s: %v", running, err)
	}
	defer lock.Close()
	if code, _, stderr := avdoc(t, work, "build", "-o", "out", "story.yaml"); code != exitOK {
		t.Fatalf("build: exit %d\n%s", code, stderr)
	}
	left, _ := filepath.Glob(filepath.Join(work, sitedir.StagingPrefix+"*"))
	if want := []string{running, mine}; !slices.Equal(left, want) {
		t.Errorf("left %v, want %v", left, want)
	}
	mustExist(t, filepath.Join(mine, "notes.txt"))
}

// buildInto builds work/story.yaml into work/dir.
func buildInto(t *testing.T, work, dir string) {
	t.Helper()
	if code, _, stderr := avdoc(t, work, "build", "-o", dir, "story.yaml"); code != exitOK {
		t.Fatalf("build -o %s: exit %d\n%s", dir, code, stderr)
	}
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
}

func mustWrite(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func mustExist(t *testing.T, path string) {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		t.Error(err)
	}
}
