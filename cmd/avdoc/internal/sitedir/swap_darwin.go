package sitedir

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// exchange swaps the directories dir and out in one step, with
// renamex_np(RENAME_SWAP): no moment exists at which out is missing or
// half-built. A file system without it gets three renames.
func exchange(dir, out string) error {
	err := unix.RenamexNp(dir, out, unix.RENAME_SWAP)
	if errors.Is(err, unix.ENOTSUP) || errors.Is(err, unix.EINVAL) {
		return exchangeByRenames(dir, out)
	}
	if err != nil {
		return &os.LinkError{Op: "renamex_np", Old: dir, New: out, Err: err}
	}
	return nil
}
