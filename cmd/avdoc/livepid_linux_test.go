package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/avdoc/avdoc/live/pidfig/shtree"

	"github.com/avdoc/avdoc/illustrate"
)

// TestLivePidEveryFormat: avdoc live --pid draws a running shell and its
// two generations of subshells in every format; the text figure shows
// the chains the kernel's fork built: one AVC more a generation.
func TestLivePidEveryFormat(t *testing.T) {
	pids := shtree.Start(t)
	dir := t.TempDir()
	names := []string{fmt.Sprintf("sh[%d]", pids[0]), fmt.Sprintf("sh[%d]", pids[1]), fmt.Sprintf("sh[%d]", pids[2])}
	for _, f := range illustrate.Formats() {
		out := filepath.Join(dir, "fig."+f.Name)
		var stdout, stderr bytes.Buffer
		code := run([]string{"live", "--pid", strconv.Itoa(pids[0]), "--format", f.Name, "-o", out}, &stdout, &stderr)
		if code == 3 && os.Getenv("CI") != "true" {
			t.Skip(stderr.String())
		}
		data, err := os.ReadFile(out)
		if code != 0 || err != nil || stderr.Len() != 0 {
			t.Fatalf("--format %s: exit %d, %v\n%s", f.Name, code, err, stderr.String())
		}
		checkPidFigure(t, f.Name, data, names)
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"live", "--pid", strconv.Itoa(pids[0]), "-o", dir}, &stdout, &stderr); code != exitFailed || !strings.Contains(stderr.String(), "is a directory") {
		t.Errorf("-o a directory: exit %d, %s; want 1 and why", code, stderr.String())
	}
}

// checkPidFigure checks one figure of the shell tree.
func checkPidFigure(t *testing.T, format string, data []byte, names []string) {
	t.Helper()
	magic := map[string]string{"svg": "<?xml", "pdf": "%PDF-", "png": "\x89PNG", "dot": "digraph", "text": names[0] + " and its descendants"}
	if !bytes.HasPrefix(data, []byte(magic[format])) {
		t.Errorf("--format %s begins %.20q; want %q", format, data, magic[format])
	}
	if format == "pdf" || format == "png" {
		return
	}
	s := string(data)
	if format != "text" {
		s = strings.NewReplacer("&#91;", "[", "&#93;", "]").Replace(s)
	}
	for _, n := range names {
		if !strings.Contains(s, n+":[heap]") {
			t.Errorf("--format %s: no VMA %s:[heap]", format, n)
		}
	}
	if format != "text" {
		return
	}
	// C's heap: its own anon_vma, then P's; G's: its own, C's, P's.
	for i := 1; i < 3; i++ {
		re := `same_vma: AVC \d+ -> av\(` + regexp.QuoteMeta(names[i]+":[heap]") + `\)`
		for j := i - 1; j >= 0; j-- {
			re += `\n +AVC \d+ -> av\(` + regexp.QuoteMeta(names[j]+":[heap]") + `\)`
		}
		if !regexp.MustCompile(re + "\n").MatchString(s) {
			t.Errorf("the text figure does not show %s:[heap]'s chain of %d AVCs:\n%s", names[i], i+1, s)
		}
	}
}

// TestLivePidBadInput: a pid that names no process, and flags --pid does
// not take, are bad input: exit 2, one line.
func TestLivePidBadInput(t *testing.T) {
	for _, tt := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--pid", "1073741824"}, "avdoc: live: --pid 1073741824: no such process\n"},
		{[]string{"--pid", "x"}, "avdoc: live: --pid x: want a process id, 1 or more\n"},
		{[]string{"--pid", "1", "--format", "gif"}, `avdoc: live: --format "gif": use svg, pdf, png, dot or text` + "\n"},
		{[]string{"--pid", "1", "../../stories/02-fork.yaml"}, `avdoc: live: --pid draws a running process: it takes no story files (got "../../stories/02-fork.yaml")` + "\n"},
		{[]string{"--pid", "1", "--random", "3"}, "avdoc: live: --pid draws a running process: it takes no --random\n"},
		{[]string{"--format", "text", "../../stories/02-fork.yaml"}, "avdoc: live: --format is a flag of --pid\n"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(append([]string{"live"}, tt.args...), &stdout, &stderr); code != exitInput || stderr.String() != tt.msg || stdout.Len() != 0 {
			t.Errorf("avdoc live %q: exit %d, stderr %q; want exit 2, %q", tt.args, code, stderr.String(), tt.msg)
		}
	}
}

// TestLiveUnreadableKernel: where the live kernel cannot be read, avdoc
// live says why and exits 3, never a panic or a hang. Two real
// conditions: run as another user (nobody), and run as root without the
// capabilities BPF needs (dropped from the bounding set by setpriv, so
// that the kernel refuses to create the programs' maps). It needs root,
// to change user: in CI it runs as root and must not skip.
func TestLiveUnreadableKernel(t *testing.T) {
	if os.Geteuid() != 0 {
		if os.Getenv("CI") != "" {
			t.Fatal("CI runs as root so that this test runs; here it is not root")
		}
		t.Skip("running avdoc as another user needs root")
	}
	pids := shtree.Start(t)
	dir := sharedDir(t, os.TempDir(), "avdoc-live-nobody-", 0o755)
	bin := filepath.Join(dir, "avdoc")
	copyFile(t, os.Args[0], bin, 0o755) // the test binary is avdoc under that name
	copyFile(t, "../../stories/02-fork.yaml", filepath.Join(dir, "02-fork.yaml"), 0o644)
	setpriv, err := exec.LookPath("setpriv")
	if err != nil && os.Getenv("CI") != "" {
		t.Fatal(err) // util-linux: on every Debian
	}
	for _, args := range [][]string{{"02-fork.yaml"}, {"--pid", strconv.Itoa(pids[0]), "--format", "text"}, {"--random", "2"}} {
		args = append([]string{"live"}, args...)
		asNobody := exec.Command(bin, args...)
		asNobody.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nobody, Gid: nobody}}
		exit3(t, asNobody, dir, "the live kernel cannot be read here: not root: running as uid 65534; run as root")
		if setpriv != "" {
			noCaps := exec.Command(setpriv, append([]string{"--bounding-set", "-bpf,-perfmon,-sys_admin", bin}, args...)...)
			exit3(t, noCaps, dir, "the live kernel cannot be read here: a BPF program type refused: loading the iter/task_vma program")
		}
	}
}

// exit3 runs cmd in dir and checks that it exits 3 with reason on
// standard error, within a minute.
func exit3(t *testing.T, cmd *exec.Cmd, dir, reason string) {
	t.Helper()
	cmd.Dir, cmd.Env = dir, []string{"PATH=/usr/bin:/bin", "HOME=/nonexistent", "TMPDIR=" + dir, "AVDOC_CACHE=off"}
	cmd.WaitDelay = time.Minute
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	timer := time.AfterFunc(time.Minute, func() { cmd.Process.Kill() })
	err := cmd.Wait()
	timer.Stop()
	if code := cmd.ProcessState.ExitCode(); code != 3 || !strings.Contains(stderr.String(), reason) || strings.Contains(stderr.String(), "panic") {
		t.Errorf("%q: %v, exit %d; want 3 and %q\nstdout: %s\nstderr: %s", cmd.Args, err, code, reason, stdout.String(), stderr.String())
	}
}
