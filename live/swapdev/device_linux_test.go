package swapdev

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// needRoot skips where swap devices cannot be set up (not root), except
// under CI=true, where they must be.
func needRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 && os.Getenv("CI") != "true" {
		t.Skip("setting up a swap device needs root")
	}
}

// swapsList returns /proc/swaps' areas.
func swapsList(t *testing.T) []string {
	t.Helper()
	areas, err := SwapAreas()
	if err != nil {
		t.Fatal(err)
	}
	return areas
}

// TestSetupAndTeardown: each kind of device is swapped on with avdoc's
// mark and is gone after Close: not in /proc/swaps, a zram device reset
// (or removed, if added), a swap file and its directory removed. A
// second zram device, set up while the first is in use, is added and
// removed without touching the first.
func TestSetupAndTeardown(t *testing.T) {
	needRoot(t)
	first := New(Zram, "")
	if err := first.Setup(); err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	for _, d := range []*Device{New(Zram, ""), New(File, t.TempDir())} {
		if err := d.Setup(); err != nil {
			t.Fatal(err)
		}
		path := d.Path()
		in, err := readHeader(path)
		if !slices.Contains(swapsList(t), path) || err != nil || in.Label != mark(os.Getpid()) {
			t.Errorf("%s: set up as %s, but /proc/swaps has %v, header %+v (%v)", d.Kind(), path, swapsList(t), in, err)
		}
		if err := d.Close(); err != nil {
			t.Fatal(err)
		}
		if slices.Contains(swapsList(t), path) {
			t.Errorf("%s is still swapped on after Close", path)
		}
		if _, err := os.Stat(path); d.Kind() == File && !os.IsNotExist(err) {
			t.Errorf("the swap file %s is still there (%v)", path, err)
		}
		if d.Kind() == Zram && path == first.Path() {
			t.Errorf("the second zram device is the first's, %s", path)
		}
		if err := d.Close(); err != nil {
			t.Errorf("a second Close: %v", err)
		}
	}
	if !slices.Contains(swapsList(t), first.Path()) {
		t.Errorf("closing the second zram device took the first, %s, off", first.Path())
	}
	zram := first.Path()
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile("/sys/block/" + filepath.Base(zram) + "/disksize"); err == nil && strings.TrimSpace(string(b)) != "0" {
		t.Errorf("%s was not reset: disksize %s", zram, b)
	}
}

func TestMain(m *testing.M) {
	if kind, ok := os.LookupEnv("AVDOC_SWAPDEV_CHILD"); ok {
		os.Exit(childSetsUp(kind))
	}
	os.Exit(m.Run())
}

// childSetsUp is the child of the tests below: it sets up a device of
// kind, tears it down on a signal, prints its path and waits.
func childSetsUp(kind string) int {
	k, err := ParseKind(kind)
	if err != nil {
		os.Stderr.WriteString(err.Error() + "\n")
		return 2
	}
	d := New(k, os.Getenv("AVDOC_SWAPDEV_DIR"))
	defer d.ExitOnInterrupt(func(os.Signal, error) {})()
	if err := d.Setup(); err != nil {
		os.Stderr.WriteString(err.Error() + "\n")
		return 1
	}
	defer d.Close()
	os.Stdout.WriteString(d.Path() + "\n")
	time.Sleep(time.Minute)
	return 0
}

// child starts childSetsUp with a device of kind and returns it and
// the device's path, once set up.
func child(t *testing.T, kind Kind, dir string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "AVDOC_SWAPDEV_CHILD="+kind.String(), "AVDOC_SWAPDEV_DIR="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	var got []string
	for sc.Scan() {
		if line := sc.Text(); strings.HasPrefix(line, "/") {
			return cmd, line
		}
		got = append(got, sc.Text())
	}
	cmd.Process.Kill()
	cmd.Wait()
	t.Fatalf("the child ended before setting up: %q", got)
	return nil, ""
}

// TestSignalTearsDown: SIGTERM or SIGINT to a process with a device
// tears the device down before the process ends, by 128 + the signal.
func TestSignalTearsDown(t *testing.T) {
	needRoot(t)
	for _, tt := range []struct {
		kind Kind
		sig  syscall.Signal
	}{{Zram, syscall.SIGTERM}, {File, syscall.SIGINT}} {
		cmd, path := child(t, tt.kind, t.TempDir())
		if !slices.Contains(swapsList(t), path) {
			t.Errorf("the child's %s is not swapped on", path)
		}
		cmd.Process.Signal(tt.sig)
		err := cmd.Wait()
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 128+int(tt.sig) {
			t.Errorf("%v: the child ended with %v, want exit %d", tt.sig, err, 128+int(tt.sig))
		}
		if slices.Contains(swapsList(t), path) {
			t.Errorf("%v: %s is still swapped on", tt.sig, path)
		}
		if _, err := os.Stat(path); tt.kind == File && !os.IsNotExist(err) {
			t.Errorf("%v: the swap file is still there", tt.sig)
		}
	}
}

// TestLeftoverIsCleaned: a device whose avdoc was killed (SIGKILL) is
// found by its mark and removed; one of a living avdoc is left alone.
func TestLeftoverIsCleaned(t *testing.T) {
	needRoot(t)
	dir := t.TempDir()
	alive, alivePath := child(t, File, dir)
	defer func() { alive.Process.Signal(syscall.SIGTERM); alive.Wait() }()
	for _, kind := range []Kind{Zram, File} {
		cmd, path := child(t, kind, dir)
		cmd.Process.Kill()
		cmd.Wait()
		if !slices.Contains(swapsList(t), path) {
			t.Fatalf("SIGKILL took %s off: nothing to clean", path)
		}
		cleaned, err := CleanLeftovers(dir)
		if err != nil || !slices.Equal(cleaned, []string{path}) {
			t.Errorf("cleaned %v (%v), want [%s]", cleaned, err, path)
		}
		if slices.Contains(swapsList(t), path) || !slices.Contains(swapsList(t), alivePath) {
			t.Errorf("after cleaning %s: /proc/swaps has %v (the living child's is %s)", path, swapsList(t), alivePath)
		}
	}
}

// TestUnescape: /proc/swaps escapes a space as \040.
func TestUnescape(t *testing.T) {
	for in, want := range map[string]string{`/tmp/a\040b/swap`: "/tmp/a b/swap", `/dev/zram1`: "/dev/zram1", `a\04`: `a\04`, `x\134`: `x\`} {
		if got := unescape(in); got != want {
			t.Errorf("unescape(%q) = %q, want %q", in, got, want)
		}
	}
}
