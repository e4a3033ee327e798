package sitedir

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// exchange swaps the directories dir and out in one step, with
// renameat2(RENAME_EXCHANGE): no moment exists at which out is missing
// or half-built. A file system without it (EINVAL) gets three renames.
func exchange(dir, out string) error {
	err := unix.Renameat2(unix.AT_FDCWD, dir, unix.AT_FDCWD, out, unix.RENAME_EXCHANGE)
	if errors.Is(err, unix.EINVAL) || errors.Is(err, unix.ENOSYS) {
		return exchangeByRenames(dir, out)
	}
	if err != nil {
		return &os.LinkError{Op: "renameat2", Old: dir, New: out, Err: err}
	}
	return nil
}
