package livestory

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/avdoc/avdoc/live"
	"github.com/avdoc/avdoc/story"
)

const shipped = "../../stories/27-live-fork.yaml"

// TestShippedRecordingReplays: the shipped live story runs from its
// recording on any machine (no kernel is read): every expectation holds,
// the live kernel is labelled with the recorded release, and its steps
// carry the log of what was observed.
func TestShippedRecordingReplays(t *testing.T) {
	s, err := story.Parse(shipped, mustRead(t, shipped))
	if err != nil {
		t.Fatal(err)
	}
	res, err := story.ExecuteOn(s, Machines)
	if err != nil || len(res.Failures) != 0 {
		t.Fatalf("%v %v", err, res.Failures)
	}
	k := res.Runs[1].Kernel
	if !strings.HasPrefix(k.Label(), "live (6.18.") || !strings.HasSuffix(k.Label(), ", recorded)") {
		t.Errorf("the live kernel is labelled %q, want live (6.18.…, recorded)", k.Label())
	}
	var fork []string
	for _, l := range res.Runs[1].Steps[1].Log {
		fork = append(fork, l.String())
	}
	for _, want := range []string{"observed: new AVC 3 links C:heap to anon_vma P:heap", "observed: anon_vma P:heap: num_children 1 -> 2"} {
		if !slices.Contains(fork, want) {
			t.Errorf("the fork's log has no %q:\n%s", want, strings.Join(fork, "\n"))
		}
	}
	if got := Runs(s); !bytes.HasPrefix(got, []byte("recorded ")) {
		t.Errorf("Runs = %q, want the recording's sum", got)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestRecordingRefusals: a recording that does not fit its story, or is
// not one, is an error that says to record it again.
func TestRecordingRefusals(t *testing.T) {
	rec := mustRead(t, RecordingPath(shipped))
	src := string(mustRead(t, shipped))
	tests := []struct {
		name, story, rec, want string
	}{
		{"other events", strings.Replace(src, "write C:heap:0", "write C:heap:1", 1), string(rec),
			`step 3 is ["write C:heap:1"], the recording has ["write C:heap:0"]`},
		{"more steps", src[:strings.Index(src, "  - do: exit P")], string(rec), "has 5 steps and the story 4"},
		{"not JSON", src, "steps: []", "not a recording of the live kernel"},
		{"another format", src, `{"format": 2, "steps": [{"events": [], "observation": {}}]}`, "this avdoc reads format 1"},
		{"unknown field", src, `{"format": 1, "frames": []}`, `unknown field "frames"`},
	}
	for _, tt := range tests {
		dir := t.TempDir()
		file := filepath.Join(dir, "s.yaml")
		mustWriteFile(t, file, tt.story)
		mustWriteFile(t, RecordingPath(file), tt.rec)
		s, err := story.Parse(file, []byte(tt.story))
		if err != nil {
			t.Fatal(err)
		}
		_, err = story.ExecuteOn(s, Machines)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "avdoc live --record "+file) {
			t.Errorf("%s: %v; want %q and how to record again", tt.name, err, tt.want)
		}
	}
}

func mustWriteFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestRunsKey: what a story's runs depend on, for the build cache.
func TestRunsKey(t *testing.T) {
	if got := Runs(parse(t, "title: t\nkernel: 6.18\nsteps:\n  - do: spawn P\n")); got != nil {
		t.Errorf("a model's story: Runs = %q, want nil", got)
	}
	if got := string(Runs(parse(t, forkStory))); got != "running "+runningRelease() || len(got) <= len("running ") {
		t.Errorf("a live story without a recording: Runs = %q, want the running kernel's release", got)
	}
}

// TestRecordAgainIsTheSame: recording a story twice on one kernel gives
// the same file, byte for byte; the recording replays with every
// expectation holding; and avdoc live finds no difference between the
// kernel and it, but one between the kernel and a recording changed.
func TestRecordAgainIsTheSame(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "fork.yaml")
	mustWriteFile(t, file, forkStory)
	var first []byte
	for i := range 2 {
		var out, errs bytes.Buffer
		code := RecordFiles(&out, &errs, []string{dir}, testFiles)
		if code == NoKernel && os.Getenv("CI") != "true" {
			t.Skip(errs.String())
		}
		if code != Agree || !strings.Contains(out.String(), "recorded 2 steps on Linux ") {
			t.Fatalf("record: exit %d\n%s%s", code, out.String(), errs.String())
		}
		got := mustRead(t, RecordingPath(file))
		if i == 1 && !bytes.Equal(got, first) {
			t.Errorf("recorded twice, the recordings differ")
		}
		first = got
	}
	var out, errs bytes.Buffer
	if code := Run(&out, &errs, Options{Model: "6.18"}, []string{file}, testFiles); code != Agree {
		t.Errorf("avdoc live of a story just recorded: exit %d\n%s%s", code, out.String(), errs.String())
	}
	changed := bytes.Replace(first, []byte(`"Mapcount": 2`), []byte(`"Mapcount": 7`), 1)
	mustWriteFile(t, RecordingPath(file), string(changed))
	out.Reset()
	code := Run(&out, &errs, Options{Model: "6.18"}, []string{file}, testFiles)
	if code != Differ || !strings.Contains(out.String(), "the recording says a page under P:heap, index 257, mapcount 7; the kernel shows a page under P:heap, index 257, mapcount 2") {
		t.Errorf("avdoc live of a changed recording: exit %d\n%s", code, out.String())
	}
}

var testFiles = Files{
	Expand: func(p string) ([]string, error) {
		if filepath.Ext(p) == ".yaml" {
			return []string{p}, nil
		}
		return filepath.Glob(filepath.Join(p, "*.yaml"))
	},
	Parse: func(file string) (*story.Story, error) {
		src, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		return story.Parse(file, src)
	},
}

// TestRecordedDropsPidsAndPFNs: what changes between runs of the same
// events is not kept.
func TestRecordedDropsPidsAndPFNs(t *testing.T) {
	o := &live.Observation{Procs: []live.Proc{{Name: "P", Pid: 42}}, Pages: []live.Page{{ID: 1, PFN: 0x1234, Mapcount: 2}}}
	r := o.Recorded()
	if r.Procs[0].Pid != 0 || r.Pages[0].PFN != 0 || r.Pages[0].Mapcount != 2 || o.Procs[0].Pid != 42 || o.Pages[0].PFN != 0x1234 {
		t.Errorf("Recorded: %+v %+v; the original now %+v %+v", r.Procs, r.Pages, o.Procs, o.Pages)
	}
}
