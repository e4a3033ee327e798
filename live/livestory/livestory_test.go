package livestory

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/avdoc/avdoc/live/agent"
	"github.com/avdoc/avdoc/story"
	"golang.org/x/sys/unix"
)

func TestMain(m *testing.M) {
	agent.RunIfAgent()
	os.Exit(m.Run())
}

// needKernel skips where the live kernel cannot be read, except under
// CI=true, where it must be.
func needKernel(t *testing.T, err error) {
	t.Helper()
	if Unavailable(err) && os.Getenv("CI") != "true" {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
}

func parse(t *testing.T, src string) *story.Story {
	t.Helper()
	s, err := story.Parse("t.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// forkStory runs under 6.18 and live; its claims hold on both.
const forkStory = `title: t
kernels: [6.18, live]
steps:
  - do: [spawn P, mmap P heap 2, write P:heap]
  - do: [fork P C, write C:heap:0]
    expect:
      - count(anon_vma) == 2
      - mapping(C:heap:0) == av(C:heap)
      - mapping(C:heap:1) == av(P:heap)
      - walk(P:heap:1) == [P, C]
      - chain(C:heap:0) == [av(C:heap), av(P:heap)]
`

// TestStoryRunsLive: a story's live kernel runs in real processes and
// its expectations are checked against what the kernel built; the run
// is labelled with the kernel's release.
func TestStoryRunsLive(t *testing.T) {
	res, err := story.ExecuteOn(parse(t, forkStory), Machines)
	needKernel(t, err)
	if len(res.Failures) != 0 {
		t.Fatalf("failures: %v", res.Failures)
	}
	var u unix.Utsname
	if err := unix.Uname(&u); err != nil {
		t.Fatal(err)
	}
	want := "live (" + unix.ByteSliceToString(u.Release[:]) + ")"
	if got := res.Runs[1].Kernel.Label(); got != want {
		t.Errorf("the live run is labelled %q, want %q", got, want)
	}
	st := &res.Runs[1].Steps[1].State
	if c := st.ProcByName("C"); c == nil || len(st.AnonVMAs) < 2 {
		t.Errorf("the live state has no C or too few anon_vmas: %d", len(st.AnonVMAs))
	}
}

// TestSwapIsRefusedLive: a swap event on the live kernel is a problem of
// the story at the event's position, saying it needs --swap.
func TestSwapIsRefusedLive(t *testing.T) {
	s := parse(t, "title: t\nkernel: live\nsteps:\n  - do: [spawn P, mmap P heap 1, write P:heap]\n  - do: [swapout P:heap]\n    expect: [clean]\n")
	_, err := story.ExecuteOn(s, Machines)
	if Unavailable(err) {
		needKernel(t, err)
	}
	if err == nil || !strings.Contains(err.Error(), "t.yaml:5:10: swapout P:heap cannot run on the live kernel: swap events need `--swap zram|file`") {
		t.Errorf("a live swapout: %v", err)
	}
	if err := needsSwap(s, false); err == nil || !strings.Contains(err.Error(), "t.yaml:5:10: swapout P:heap cannot run on the live kernel: swap events need `--swap zram|file`") {
		t.Errorf("avdoc live's check for swap events: %v", err)
	}
}

// TestRun: avdoc live's outcomes and lines, each difference at its
// step's position.
func TestRun(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"agree.yaml":  forkStory,
		"differ.yaml": "title: t\nkernel: 6.0\nsteps:\n  - do: [spawn P, mmap P a 2 at 0x200, mmap P b 1 at 0x202 ro]\n  - do: mprotect P:a ro\n",
		"swap.yaml":   "title: t\nkernel: 6.0\nsteps:\n  - do: [spawn P, mmap P a 1, swapout P:a]\n",
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	fs := Files{Expand: func(p string) ([]string, error) { return []string{p}, nil }, Parse: func(f string) (*story.Story, error) {
		src, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		return story.Parse(f, src)
	}}
	for _, tt := range []struct {
		model, file string
		want        int
		out, errs   string // in stdout and stderr
	}{
		{"6.18", "agree.yaml", Agree, "", ""},
		{"6.0", "differ.yaml", Differ, "differ.yaml:5:5: step 2: P's VMAs: the model says P:a [512,514) P:b [514,515); the kernel shows P:a [512,515)", ""},
		{"6.18", "differ.yaml", Agree, "", ""},
		{"6.18", "swap.yaml", BadInput, "", "swap.yaml:4:31: swapout P:a cannot run on the live kernel"},
		{"9.9", "agree.yaml", BadInput, "", `unknown kernel model "9.9"`},
	} {
		var out, errs bytes.Buffer
		got := Run(&out, &errs, Options{Model: tt.model}, []string{filepath.Join(dir, tt.file)}, fs)
		if got == NoKernel && os.Getenv("CI") != "true" {
			t.Skip(errs.String())
		}
		if got != tt.want || !strings.Contains(out.String(), tt.out) || !strings.Contains(errs.String(), tt.errs) || (tt.out == "") != (out.Len() == 0) {
			t.Errorf("live --model %s %s: %d, want %d\nstdout: %s\nstderr: %s", tt.model, tt.file, got, tt.want, out.String(), errs.String())
		}
	}
}
