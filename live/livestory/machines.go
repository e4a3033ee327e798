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

// Machines is a [story.Machines]: the running kernel, observed in real
// processes, for `kernel: live`, and the engine's model for every other
// kernel. A live run waits for the one before it to end.
func Machines(k story.Kernel) (story.Machine, error) {
	if !k.Live {
		return story.Simulate(k)
	}
	model := k.Model
	return open(&model, 0)
}
