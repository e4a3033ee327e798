//go:build !unix

package sitedir

import "os"

// DirLocks reports whether LockDir really locks: not here, so a build
// cannot tell a stale staging directory from a running build's, and
// leaves them all.
const DirLocks = false

// LockDir locks nothing (a directory held open could not be renamed):
// it returns no file, and free is always true. Closing a nil *os.File
// is harmless.
func LockDir(string) (f *os.File, free bool, err error) { return nil, true, nil }

// lockDirWait locks nothing either: it returns no file, and an error
// only if dir cannot be found.
func lockDirWait(dir string) (*os.File, error) {
	_, err := os.Stat(dir)
	return nil, err
}
