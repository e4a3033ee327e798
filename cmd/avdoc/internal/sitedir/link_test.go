package sitedir

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/avdoc/avdoc/site"
)

// commitSite builds files into out with a Staging, as avdoc build does.
func commitSite(t *testing.T, out string, files []site.File) {
	t.Helper()
	st := New(out)
	if err := st.Create(); err != nil {
		t.Fatal(err)
	}
	defer st.Discard()
	if err := st.Commit(files); err != nil {
		t.Fatal(err)
	}
}

// TestCommitLinksUnchangedFiles: a rebuild links the files the old site
// holds unchanged (same inode), writes the changed ones anew, and never
// writes through a link: a second name kept for an old file still reads
// as the old content after the new site replaced it.
func TestCommitLinksUnchangedFiles(t *testing.T) {
	parent := t.TempDir()
	out := filepath.Join(parent, "out")
	commitSite(t, out, []site.File{
		{Path: "index.html", Data: []byte("same")},
		{Path: "s/a.svg", Data: []byte("old a")},
		{Path: "s/b.svg", Data: []byte("same b")},
	})
	keep := filepath.Join(t.TempDir(), "kept-a")
	if err := os.Link(filepath.Join(out, "s/a.svg"), keep); err != nil {
		t.Skipf("no hard links here: %v", err)
	}
	before, err := os.Stat(filepath.Join(out, "s/b.svg"))
	if err != nil {
		t.Fatal(err)
	}
	commitSite(t, out, []site.File{
		{Path: "index.html", Data: []byte("same")},
		{Path: "s/a.svg", Data: []byte("new a")},
		{Path: "s/b.svg", Data: []byte("same b")},
	})
	after, err := os.Stat(filepath.Join(out, "s/b.svg"))
	if err != nil {
		t.Fatal(err)
	}
	if !os.SameFile(before, after) {
		t.Errorf("s/b.svg, unchanged, was written anew, not linked")
	}
	if got, _ := os.ReadFile(keep); string(got) != "old a" {
		t.Errorf("the old s/a.svg was written through: it reads %q, want %q", got, "old a")
	}
	for path, want := range map[string]string{"index.html": "same", "s/a.svg": "new a", "s/b.svg": "same b"} {
		if got, _ := os.ReadFile(filepath.Join(out, path)); string(got) != want {
			t.Errorf("%s = %q, want %q", path, got, want)
		}
	}
	if err := CheckOwnSite(out); err != nil {
		t.Errorf("the rebuilt site is not avdoc's: %v", err)
	}
}

// TestLinkRefusesChangedOrStrange: a file is linked only if it reads back
// as the new content, through real directories; otherwise nothing is
// left at its path (and the build writes it).
func TestLinkRefusesChangedOrStrange(t *testing.T) {
	data := []byte("content")
	f := site.File{Path: "s/x.svg", Data: data}
	tests := []struct {
		name  string
		setup func(t *testing.T, old string) // makes old/s/x.svg
		want  bool
	}{
		{"unchanged", func(t *testing.T, old string) { mustWrite(t, filepath.Join(old, "s/x.svg"), data) }, true},
		{"changed since its manifest", func(t *testing.T, old string) { mustWrite(t, filepath.Join(old, "s/x.svg"), []byte("CONTENT")) }, false},
		{"a symbolic link", func(t *testing.T, old string) {
			mustWrite(t, filepath.Join(old, "elsewhere"), data)
			mustSymlink(t, filepath.Join(old, "elsewhere"), filepath.Join(old, "s/x.svg"))
		}, false},
		{"below a symbolically linked directory", func(t *testing.T, old string) {
			real := t.TempDir()
			mustWrite(t, filepath.Join(real, "x.svg"), data)
			os.Remove(filepath.Join(old, "s"))
			mustSymlink(t, real, filepath.Join(old, "s"))
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old, root := t.TempDir(), t.TempDir()
			if err := os.MkdirAll(filepath.Join(old, "s"), 0o755); err != nil {
				t.Fatal(err)
			}
			tt.setup(t, old)
			o := &oldSite{dir: old, listed: map[string]manifestEntry{f.Path: {size: int64(len(data)), sum: sum(data)}}}
			if got := o.link(root, f, sum(data)); got != tt.want {
				t.Fatalf("link = %v, want %v", got, tt.want)
			}
			_, err := os.Lstat(filepath.Join(root, "s/x.svg"))
			if tt.want != (err == nil) {
				t.Errorf("after link = %v, the staged file is there: %v", tt.want, err == nil)
			}
		})
	}
}

// TestWriteFileNeverWritesThrough: writing a path that holds a link to
// another file replaces the link; the other file keeps its content.
func TestWriteFileNeverWritesThrough(t *testing.T) {
	root, elsewhere := t.TempDir(), filepath.Join(t.TempDir(), "old")
	mustWrite(t, elsewhere, []byte("old"))
	if err := os.Link(elsewhere, filepath.Join(root, "a.svg")); err != nil {
		t.Skipf("no hard links here: %v", err)
	}
	if err := WriteFile(root, site.File{Path: "a.svg", Data: []byte("new")}); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(elsewhere); string(got) != "old" {
		t.Errorf("the linked file was written through: %q", got)
	}
	if got, _ := os.ReadFile(filepath.Join(root, "a.svg")); string(got) != "new" {
		t.Errorf("a.svg = %q, want %q", got, "new")
	}
}

func mustWrite(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func mustSymlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
}
