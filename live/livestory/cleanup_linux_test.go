package livestory

import (
	"testing"
	"time"

	"github.com/avdoc/avdoc/engine"
	"github.com/avdoc/avdoc/live/kread"
	"github.com/avdoc/avdoc/story"
	"golang.org/x/sys/unix"
)

// TestLiveRunLeavesNothing: once a live machine is closed, as
// story.ExecuteOn closes it, its agents have exited and its BPF programs
// are unloaded, and the next live run may start.
func TestLiveRunLeavesNothing(t *testing.T) {
	for run := 0; run < 2; run++ {
		m, err := Machines(story.Kernel{Model: story.LiveModel(), Live: true})
		needKernel(t, err)
		var evs []engine.Event
		for _, ev := range parse(t, "title: t\nkernel: live\nsteps:\n  - do: [spawn P, mmap P heap 1, write P:heap, fork P C]\n").Steps[0].Events {
			evs = append(evs, ev.Event)
		}
		if _, err := m.Step(evs); err != nil {
			t.Fatal(err)
		}
		lm := m.(*machine)
		ids, err := lm.s.ProgramIDs()
		pids := lm.s.Pids()
		if err != nil || len(ids) == 0 || len(pids) != 2 {
			t.Fatalf("programs %v (%v), pids %v: want programs and 2 agents", ids, err, pids)
		}
		var fds []int
		for _, pid := range pids {
			fd, err := unix.PidfdOpen(pid, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer unix.Close(fd)
			fds = append(fds, fd)
		}
		if err := lm.Close(); err != nil {
			t.Fatal(err)
		}
		for i, fd := range fds {
			if n, _ := unix.Poll([]unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}, int((10 * time.Second).Milliseconds())); n != 1 {
				t.Errorf("agent %d outlived the live run", pids[i])
			}
		}
		for _, id := range ids {
			if err := kread.Unloaded(id); err != nil {
				t.Error(err)
			}
		}
	}
}
