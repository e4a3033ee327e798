//go:build !linux

package swapdev

import (
	"errors"
	"os"
)

// Device is a swap device; off Linux, none can be set up.
type Device struct{ kind Kind }

var errNotLinux = errors.New("a swap device can be set up only on Linux")

// New returns a device that cannot be set up off Linux.
func New(kind Kind, dir string) *Device { return &Device{kind: kind} }

// Setup refuses: swap devices are Linux's.
func (d *Device) Setup() error { return errNotLinux }

// Path is "": nothing was set up.
func (d *Device) Path() string { return "" }

// Kind is the device's kind.
func (d *Device) Kind() Kind { return d.kind }

// Cleaned is nil: nothing was cleaned.
func (d *Device) Cleaned() []string { return nil }

// Close has nothing to tear down.
func (d *Device) Close() error { return nil }

// ExitOnInterrupt has nothing to tear down on a signal.
func (d *Device) ExitOnInterrupt(func(os.Signal, error)) (stop func()) { return func() {} }

// CleanLeftovers has nothing to clean off Linux.
func CleanLeftovers(string) ([]string, error) { return nil, nil }
