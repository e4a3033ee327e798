package livestory

import (
	"sync"

	"github.com/avdoc/avdoc/story"
)

// turn lets one live session run at a time in this process: a session
// makes the whole process a child subreaper until it closes, a
// process-wide setting, so the lock is process-wide too. A live machine
// holds it from [Machines] until story.ExecuteOn closes the machine at
// the end of its run.
var turn sync.Mutex

// Machines is a [story.Machines]: for `kernel: live`, the story's
// recording replayed where it has one (see [Recording]), else the
// running kernel, observed in real processes; the engine's model for
// every other kernel. A live run waits for the one before it to end.
func Machines(k story.Kernel) (story.Machine, error) {
	if !k.Live {
		return story.Simulate(k)
	}
	model := k.Model
	rec, err := LoadRecording(k.Pos.File)
	switch {
	case err != nil:
		return nil, err
	case rec != nil:
		return rec.Replay(&model, k.Pos.File), nil
	}
	return open(&model, 0)
}

// Kernel is the running kernel stepped as a story machine, for runs of
// many event sequences (avdoc live --random): Reset ends the sequence's
// processes and forgets their names, so the next starts afresh without
// the cost of a new session. Close it, on every path.
type Kernel interface {
	story.Machine
	Release() string // the kernel's (uname -r)
	Reset() error
	Close() error
}

// OpenKernel opens the running kernel, its states labelled with
// [story.LiveModel], once the live run before it has closed. A kernel
// that cannot be read here gives an error that [Unavailable] recognizes.
func OpenKernel() (Kernel, error) {
	lm := story.LiveModel()
	k, err := open(&lm, 0)
	if err != nil {
		return nil, err
	}
	return k.(Kernel), nil
}
