package livestory

import (
	"errors"
	"golang.org/x/sys/unix"
	"sync"

	"github.com/avdoc/avdoc/engine"
	"github.com/avdoc/avdoc/live"
	"github.com/avdoc/avdoc/live/kread"
	"github.com/avdoc/avdoc/live/swapdev"
	"github.com/avdoc/avdoc/story"
)

// open starts a live session for one story run, once the one before it
// has closed, that runs swap events on a device of kind swap (0: none;
// the device is the caller's). A session that cannot read struct page is
// refused.
func open(model *engine.Model, swap swapdev.Kind) (story.Machine, error) {
	turn.Lock()
	s, err := live.Open()
	if err == nil && swap != 0 {
		s.UseSwap(swapModel(swap))
	}
	if err == nil && s.PagesErr() != nil {
		// A story's claims are about pages too: without page->mapping
		// and mapcount the kernel cannot judge them.
		err = errors.Join(s.PagesErr(), s.Close())
	}
	if err != nil {
		turn.Unlock()
		return nil, err
	}
	return &machine{Machine: s.Machine(model), s: s, unlock: turn.Unlock}, nil
}

// machine is a live session as a story machine that closes.
type machine struct {
	*live.Machine
	s      *live.Session
	once   sync.Once
	unlock func()
}

// Release is the running kernel's release, the live kernel's label.
func (m *machine) Release() string { return m.s.Release() }

// Reset ends the story's processes and forgets their names and ids, for
// the next sequence of a run of many.
func (m *machine) Reset() error { return m.s.Reset() }

// Close ends the story's processes and BPF programs and lets the next
// live story run.
func (m *machine) Close() (err error) {
	m.once.Do(func() {
		err = m.s.Close()
		m.unlock()
	})
	return err
}

// Unavailable reports whether err says the live kernel cannot be read
// here (not root, no BTF, a program type refused, lockdown).
func Unavailable(err error) bool {
	var u *kread.UnavailableError
	return errors.As(err, &u)
}

// Last is the session's last observation.
func (m *machine) Last() *live.Observation { return m.s.Last() }

// runningRelease is the running kernel's release (uname -r).
func runningRelease() string {
	var u unix.Utsname
	if unix.Uname(&u) != nil {
		return "unknown"
	}
	return unix.ByteSliceToString(u.Release[:])
}
