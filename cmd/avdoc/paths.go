package main

import (
	"errors"
	"io/fs"
	"syscall"
)

// pathProblem says why a path named on the command line cannot be used,
// for "PATH: problem": the system's words, except where they mislead. A
// loop of symbolic links makes stat fail with ELOOP, which is not "no such
// file or directory": the file is there, and the links are what to fix.
func pathProblem(err error) string {
	switch {
	case errors.Is(err, syscall.ELOOP):
		return "a loop of symbolic links (following them never reaches a file; fix or remove the links)"
	case errors.Is(err, fs.ErrNotExist):
		return "no such file or directory"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
