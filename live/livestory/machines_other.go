//go:build !linux

package livestory

import (
	"errors"
	"runtime"

	"github.com/avdoc/avdoc/engine"
	"github.com/avdoc/avdoc/live/swapdev"
	"github.com/avdoc/avdoc/story"
)

// open refuses: the live kernel is read only on Linux.
func open(*engine.Model, swapdev.Kind) (story.Machine, error) {
	return nil, errNotLinux
}

var errNotLinux = errors.New("the live kernel cannot be read here: avdoc reads it only on Linux")

// Unavailable reports whether err says the live kernel cannot be read
// here: off Linux, always.
func Unavailable(err error) bool { return errors.Is(err, errNotLinux) }

// runningRelease names the system: no live kernel runs here.
func runningRelease() string { return runtime.GOOS }
