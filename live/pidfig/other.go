//go:build !linux

package pidfig

import (
	"errors"

	"github.com/avdoc/avdoc/live"
	"github.com/avdoc/avdoc/story"
)

// Result is what [Read] found.
type Result struct {
	Observation *live.Observation
	Story       *story.Result
	Notes       []string
}

// Read refuses: the live kernel is read only on Linux (exit 3).
func Read(int, Limits) (*Result, error) {
	return nil, errors.New("the live kernel cannot be read here: avdoc reads it only on Linux")
}
