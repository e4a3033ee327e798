package livestory

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/avdoc/avdoc/engine"
	"github.com/avdoc/avdoc/live"
	"github.com/avdoc/avdoc/story"
)

// A Recording is what the running kernel showed after each step of a
// story, kept next to the story file (see [RecordingPath]) so that the
// story's live kernel can be shown and checked on any machine, the same
// on every one: `avdoc live --record` writes it, `check`, `build`,
// `render` and `serve` replay it, and `avdoc live` compares it with the
// kernel of the machine it runs on.
type Recording struct {
	Format int `json:"format"` // recordingFormat
	// Release is the kernel's (uname -r) where it was recorded.
	Release string         `json:"release"`
	Steps   []RecordedStep `json:"steps"`
}

// RecordedStep is one step: its events, as the story wrote them, and the
// observation after them, without process ids and page frame numbers
// (see [live.Observation.Recorded]).
type RecordedStep struct {
	Events      []string          `json:"events"`
	Observation *live.Observation `json:"observation"`
}

const recordingFormat = 1

// RecordingPath is where the recording of a story file goes:
// stories/fork.yaml's is stories/fork.live.json.
func RecordingPath(storyFile string) string {
	return strings.TrimSuffix(storyFile, filepath.Ext(storyFile)) + ".live.json"
}

// LoadRecording reads the recording of a story file: nil and no error if
// it has none.
func LoadRecording(storyFile string) (*Recording, error) {
	path := RecordingPath(storyFile)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var r Recording
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return nil, fmt.Errorf("%s: not a recording of the live kernel: %w (record it again: avdoc live --record %s)", path, err, storyFile)
	}
	if r.Format != recordingFormat || len(r.Steps) == 0 {
		return nil, fmt.Errorf("%s: a recording of format %d with %d steps; this avdoc reads format %d (record it again: avdoc live --record %s)",
			path, r.Format, len(r.Steps), recordingFormat, storyFile)
	}
	for i, st := range r.Steps {
		if st.Observation == nil {
			return nil, fmt.Errorf("%s: step %d has no observation (record it again: avdoc live --record %s)", path, i+1, storyFile)
		}
	}
	return &r, nil
}

// Encode returns the recording as its file holds it.
func (r *Recording) Encode() ([]byte, error) {
	b, err := json.MarshalIndent(r, "", "\t")
	return append(b, '\n'), err
}

// Sum identifies the recording's content, for a cache key.
func (r *Recording) Sum() []byte {
	b, _ := r.Encode()
	s := sha256.Sum256(b)
	return s[:]
}

// Runs says what the runs of story s depend on besides its text, for a
// cache of drawn stories: nothing (nil) without a live kernel; its
// recording's content where it has one; else the running kernel's
// release, so that a live run is made again on another kernel.
func Runs(s *story.Story) []byte {
	if !hasLive(s) {
		return nil
	}
	rec, err := LoadRecording(s.File)
	switch {
	case err != nil:
		return []byte("an unreadable recording")
	case rec != nil:
		return append([]byte("recorded "), rec.Sum()...)
	}
	return []byte("running " + runningRelease())
}

// Replay returns the recording as a story machine whose states are
// labelled with model and whose steps must be the recorded ones.
func (r *Recording) Replay(model *engine.Model, storyFile string) story.Machine {
	return &replay{r: r, model: model, file: storyFile, before: &live.Observation{}}
}

// replay steps through a recording as the live kernel stepped through
// the story: each step's result is made from the recorded observations
// exactly as a live step's is made from the kernel's.
type replay struct {
	r      *Recording
	model  *engine.Model
	file   string
	step   int
	before *live.Observation
	last   []engine.Violation
	err    error // the first step that does not fit, kept for Close
}

func (p *replay) Step(events []engine.Event) (engine.StepResult, error) {
	texts := eventTexts(events)
	if p.err == nil && (p.step >= len(p.r.Steps) || !slices.Equal(p.r.Steps[p.step].Events, texts)) {
		want := "no step"
		if p.step < len(p.r.Steps) {
			want = fmt.Sprintf("%q", p.r.Steps[p.step].Events)
		}
		p.err = fmt.Errorf("%s was recorded for other events: step %d is %q, the recording has %s (record it again where the kernel can be read: avdoc live --record %s)",
			RecordingPath(p.file), p.step+1, texts, want, p.file)
	}
	if p.err != nil {
		return engine.StepResult{}, p.err
	}
	o := p.r.Steps[p.step].Observation
	p.step++
	res := live.Result(p.step, events, p.before, o, p.model, p.last)
	p.before, p.last = o, res.Violations
	return res, nil
}

func (p *replay) Model() *engine.Model { return p.model }

// Release labels the replayed kernel: its release, recorded.
func (p *replay) Release() string { return p.r.Release + ", recorded" }

// Close reports a step that did not fit the recording, or a recording
// with more steps than the story: a story run reports no other error of
// a machine's step.
func (p *replay) Close() error {
	if p.err != nil {
		return p.err
	}
	if p.step != len(p.r.Steps) {
		return fmt.Errorf("%s has %d steps and the story %d (record it again: avdoc live --record %s)", RecordingPath(p.file), len(p.r.Steps), p.step, p.file)
	}
	return nil
}

func eventTexts(events []engine.Event) []string {
	out := make([]string, len(events))
	for i, ev := range events {
		out[i] = ev.String()
	}
	return out
}
