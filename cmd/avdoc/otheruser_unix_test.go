//go:build unix

package main

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// nobody is the user and group the other-user test runs avdoc as.
const nobody = 65534

// TestAnotherUser runs avdoc as root, and then as another user (nobody)
// with the same $TMPDIR, where an older avdoc (or any go-graphviz
// program) left its compilation cache readable only by root: every
// command used to panic in go-graphviz's init. Now each user's cache is in
// its own cache directory, and a user without one (no home) or with one it
// cannot use renders without a cache. It needs root, to change user: in
// CI it runs as root and must not skip.
func TestAnotherUser(t *testing.T) {
	if os.Geteuid() != 0 {
		if os.Getenv("CI") != "" {
			t.Fatal("CI runs as root so that this test runs; here it is not root")
		}
		t.Skip("running avdoc as another user needs root")
	}
	dir := sharedDir(t, os.TempDir(), "avdoc-users-", 0o755)
	bin := filepath.Join(dir, "avdoc")
	copyFile(t, os.Args[0], bin, 0o755) // the test binary is avdoc under that name
	mustWrite(t, filepath.Join(dir, "story.yaml"), tinyStory)
	tmp := sharedDir(t, dir, "tmp-", 0o1777)
	rootCache := sharedDir(t, dir, "root-cache-", 0o700)
	nobodyCache := sharedDir(t, dir, "nobody-cache-", 0o700)
	if err := os.Chown(nobodyCache, nobody, nobody); err != nil {
		t.Fatal(err)
	}
	asUser(t, dir, 0, "TMPDIR="+tmp, "XDG_CACHE_HOME="+rootCache, "HOME="+rootCache)
	// What go-graphviz left in $TMPDIR before avdoc kept it elsewhere.
	if err := os.CopyFS(filepath.Join(tmp, "go-graphviz"), os.DirFS(filepath.Join(rootCache, "avdoc", "graphviz", "go-graphviz"))); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		env  []string
	}{
		{"own cache", []string{"XDG_CACHE_HOME=" + nobodyCache, "HOME=" + nobodyCache}},
		{"no home", []string{"HOME=/nonexistent"}},
		{"root's cache", []string{"XDG_CACHE_HOME=" + rootCache, "HOME=/nonexistent"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			asUser(t, dir, nobody, append(tt.env, "TMPDIR="+tmp)...)
		})
	}
	compiled, _ := filepath.Glob(filepath.Join(nobodyCache, "avdoc", "graphviz", "go-graphviz", "wazero-*", "*"))
	if len(compiled) == 0 {
		t.Errorf("nobody's compiled Graphviz is not in its cache directory %s", nobodyCache)
	}
}

// asUser runs `avdoc render story.yaml --step 1` in dir as uid (and the
// same gid) with env alone as its environment, and checks that it drew
// the step.
func asUser(t *testing.T, dir string, uid uint32, env ...string) {
	t.Helper()
	cmd := exec.Command(filepath.Join(dir, "avdoc"), "render", "story.yaml", "--step", "1")
	cmd.Dir, cmd.Env = dir, append(env, "PATH=/usr/bin:/bin")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uid, Gid: uid}}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil || !strings.HasPrefix(stdout.String(), "<?xml") {
		t.Fatalf("avdoc render as uid %d: %v, stdout %.40q\n%s", uid, err, stdout.String(), stderr.String())
	}
}

// sharedDir makes a new directory in parent with mode perm, which other
// users may then be able to enter.
func sharedDir(t *testing.T, parent, prefix string, perm os.FileMode) string {
	t.Helper()
	dir, err := os.MkdirTemp(parent, prefix)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, perm); err != nil {
		t.Fatal(err)
	}
	return dir
}

func copyFile(t *testing.T, from, to string, perm os.FileMode) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}
