package swapdev

import "fmt"

// Kind is the kind of swap device: a zram device or a swap file.
type Kind int

// The kinds of device, as `--swap` names them.
const (
	Zram Kind = iota + 1 // a zram device: compressed RAM, SWP_SYNCHRONOUS_IO
	File                 // a swap file in a directory avdoc creates
)

// String names the kind as `--swap` does.
func (k Kind) String() string {
	switch k {
	case Zram:
		return "zram"
	case File:
		return "file"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// ParseKind reads `--swap zram|file`.
func ParseKind(s string) (Kind, error) {
	for _, k := range []Kind{Zram, File} {
		if s == k.String() {
			return k, nil
		}
	}
	return 0, fmt.Errorf("--swap %q: expected zram or file", s)
}

// Size is the size of the device avdoc sets up: small, since a swap
// device serves the whole machine while it is on, and a story swaps a
// few pages.
const Size = 16 << 20
