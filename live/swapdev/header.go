package swapdev

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// The layout of union swap_header (include/linux/swap.h, v6.18): the
// magic ends the first page; info starts after 1024 bytes of boot bits.
const (
	magic        = "SWAPSPACE2"
	offVersion   = 1024 // __u32 version
	offLastPage  = 1028 // __u32 last_page
	offBadPages  = 1032 // __u32 nr_badpages
	offUUID      = 1036 // unsigned char sws_uuid[16]
	offVolume    = 1052 // unsigned char sws_volume[16]
	headerInfoV1 = 1
	labelLen     = 16
	markPrefix   = "avdoc:"
)

// Header returns the first page of a swap area of pages pages, of
// pageSize bytes each, as mkswap(8) writes it: version 1, last_page,
// no bad pages, uuid, the volume label, and the "SWAPSPACE2" magic at
// the end of the page. Fields are in the machine's byte order, which the
// kernel reads (read_swap_header swabs a header of the other order).
func Header(pageSize, pages int, uuid [16]byte, label string) ([]byte, error) {
	switch {
	case pageSize < 2048 || pageSize&(pageSize-1) != 0:
		return nil, fmt.Errorf("swap header: page size %d is not a power of two of at least 2048", pageSize)
	case pages < 2 || uint64(pages) > 1<<32:
		return nil, fmt.Errorf("swap header: %d pages: a swap area needs 2 to 2^32 pages", pages)
	case len(label) > labelLen:
		return nil, fmt.Errorf("swap header: label %q is longer than %d bytes", label, labelLen)
	}
	h := make([]byte, pageSize)
	binary.NativeEndian.PutUint32(h[offVersion:], headerInfoV1)
	binary.NativeEndian.PutUint32(h[offLastPage:], uint32(pages-1))
	binary.NativeEndian.PutUint32(h[offBadPages:], 0)
	copy(h[offUUID:], uuid[:])
	copy(h[offVolume:], label)
	copy(h[pageSize-len(magic):], magic)
	return h, nil
}

// Info is what a swap header says.
type Info struct {
	LastPage uint32
	UUID     [16]byte
	Label    string
}

// ParseHeader reads a swap header's first page (the page size is its
// length).
func ParseHeader(page []byte) (Info, error) {
	if len(page) < 2048 || string(page[len(page)-len(magic):]) != magic {
		return Info{}, errors.New("no SWAPSPACE2 magic at the end of the first page")
	}
	if v := binary.NativeEndian.Uint32(page[offVersion:]); v != headerInfoV1 {
		return Info{}, fmt.Errorf("swap header version %d, not 1", v)
	}
	in := Info{LastPage: binary.NativeEndian.Uint32(page[offLastPage:])}
	copy(in.UUID[:], page[offUUID:])
	vol := page[offVolume : offVolume+labelLen]
	if i := bytes.IndexByte(vol, 0); i >= 0 {
		vol = vol[:i]
	}
	in.Label = string(vol)
	return in, nil
}

// mark is the volume label that makes a device avdoc's: set up by
// process pid.
func mark(pid int) string { return markPrefix + strconv.Itoa(pid) }

// markedBy returns the pid in avdoc's mark, or false for a label that is
// not avdoc's.
func markedBy(label string) (int, bool) {
	rest, ok := strings.CutPrefix(label, markPrefix)
	if !ok {
		return 0, false
	}
	pid, err := strconv.Atoi(rest)
	return pid, err == nil && pid > 0
}
