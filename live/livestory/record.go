package livestory

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/avdoc/avdoc/engine"
	"github.com/avdoc/avdoc/live"
	"github.com/avdoc/avdoc/story"
)

// observer is a live machine whose last observation can be kept.
type observer interface {
	story.Machine
	Last() *live.Observation
	Release() string
}

// Record runs story s on the running kernel and returns what the kernel
// showed after each step. An event the kernel refuses stops it: a
// recording holds only a story the kernel ran whole. A kernel that cannot
// be read here gives an error that [Unavailable] recognizes.
func Record(s *story.Story) (*Recording, error) {
	if err := needsSwap(s, false); err != nil {
		return nil, err
	}
	lm := story.LiveModel()
	k, err := open(&lm, 0)
	if err != nil {
		return nil, err
	}
	rec, err := recordSteps(s, k.(observer))
	return rec, errors.Join(err, k.(io.Closer).Close())
}

func recordSteps(s *story.Story, k observer) (*Recording, error) {
	rec := &Recording{Format: recordingFormat, Release: k.Release()}
	for i := range s.Steps {
		st := &s.Steps[i]
		events := stepEvents(st)
		if _, err := k.Step(events); err != nil {
			return nil, fmt.Errorf("%s: step %d: %w", st.Pos, i+1, positioned(st, err))
		}
		rec.Steps = append(rec.Steps, RecordedStep{Events: eventTexts(events), Observation: k.Last().Recorded()})
	}
	return rec, nil
}

// stepEvents returns a story step's events for a machine.
func stepEvents(st *story.Step) []engine.Event {
	events := make([]engine.Event, len(st.Events))
	for j, ev := range st.Events {
		events[j] = ev.Event
	}
	return events
}

// hasLive reports whether a story runs the live kernel.
func hasLive(s *story.Story) bool {
	for _, k := range s.Kernels {
		if k.Live {
			return true
		}
	}
	return false
}

// RecordFiles records every story that paths name and that runs the live
// kernel (`kernel: live`, `kernels: [6.18, live]`): `avdoc live --record`.
// A recording is written, whole or not at all, only when every
// expectation of the story holds on it; a failed one is printed to out
// and the file left as it was. It returns the worst outcome: Differ for
// failed expectations, BadInput for a bad story or no story to record,
// NoKernel (at once) when the kernel cannot be read here.
func RecordFiles(out, errs io.Writer, paths []string, files Files) int {
	worst, recorded := Agree, 0
	for _, p := range paths {
		fs, err := files.Expand(p)
		if err != nil {
			fmt.Fprintf(errs, "avdoc: %v\n", err)
			worst = max(worst, BadInput)
		}
		for _, f := range fs {
			code, done := recordFile(out, errs, f, files.Parse, len(fs) == 1 && fs[0] == p)
			if done {
				recorded++
			}
			if worst = max(worst, code); worst == NoKernel {
				return worst
			}
		}
	}
	if recorded == 0 && worst == Agree {
		fmt.Fprintln(errs, "avdoc: live --record: no story of these runs the live kernel (kernel: live, or kernels: [6.18, live])")
		return BadInput
	}
	return worst
}

// recordFile records one story file; named says the file was named
// itself, so a story without a live kernel is an error, not skipped.
func recordFile(out, errs io.Writer, file string, parse func(string) (*story.Story, error), named bool) (int, bool) {
	s, err := parse(file)
	if err != nil {
		fmt.Fprintln(errs, err)
		return BadInput, false
	}
	if !hasLive(s) {
		if named {
			fmt.Fprintf(errs, "%s: the story does not run the live kernel (kernel: live, or kernels: [6.18, live]): nothing to record\n", file)
			return BadInput, false
		}
		return Agree, false
	}
	rec, err := Record(s)
	switch {
	case Unavailable(err):
		fmt.Fprintf(errs, "avdoc: live --record: %v\n", err)
		return NoKernel, false
	case err != nil:
		fmt.Fprintln(errs, err)
		return BadInput, false
	}
	return writeChecked(out, errs, s, rec)
}

// writeChecked writes rec next to its story if every expectation of the
// story holds with it.
func writeChecked(out, errs io.Writer, s *story.Story, rec *Recording) (int, bool) {
	res, err := story.ExecuteOn(s, func(k story.Kernel) (story.Machine, error) {
		if k.Live {
			return rec.Replay(&k.Model, s.File), nil
		}
		return story.Simulate(k)
	})
	if err != nil {
		fmt.Fprintln(errs, err)
		return BadInput, false
	}
	for _, f := range res.Failures {
		fmt.Fprintln(out, f)
	}
	path := RecordingPath(s.File)
	if len(res.Failures) > 0 {
		fmt.Fprintf(errs, "avdoc: live --record: %s not written: %d expectations do not hold\n", path, len(res.Failures))
		return Differ, false
	}
	data, err := rec.Encode()
	if err == nil {
		err = writeWhole(path, data)
	}
	if err != nil {
		fmt.Fprintf(errs, "avdoc: live --record: %v\n", err)
		return BadInput, false
	}
	fmt.Fprintf(out, "%s: recorded %d steps on Linux %s into %s\n", s.File, len(rec.Steps), rec.Release, path)
	return Agree, true
}

// writeWhole writes data to path through a temporary file renamed into
// place: the file is whole or as it was.
func writeWhole(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".avdoc-record-*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	err = errors.Join(err, tmp.Chmod(0o644), tmp.Close())
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
