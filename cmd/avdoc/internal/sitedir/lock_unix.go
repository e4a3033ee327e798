//go:build unix

package sitedir

import (
	"errors"
	"os"
	"syscall"
)

// DirLocks reports whether LockDir really locks: here it does, with
// flock(2), which the kernel releases when the process ends, however it
// ends.
const DirLocks = true

// LockDir opens dir and takes an exclusive lock on it without waiting.
// free is false, with no error, when another open file holds the lock:
// another build, in this process or another.
func LockDir(dir string) (f *os.File, free bool, err error) {
	f, err = os.Open(dir)
	if err != nil {
		return nil, false, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, false, nil
		}
		return nil, false, err
	}
	return f, true, nil
}

// lockDirWait opens dir and takes an exclusive lock on it, waiting for
// whoever holds it to let go.
func lockDirWait(dir string) (*os.File, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}
