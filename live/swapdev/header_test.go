package swapdev

import (
	"encoding/binary"
	"strings"
	"testing"
)

// TestHeaderLayout: the header is the kernel's union swap_header
// (include/linux/swap.h): 1024 boot bytes, then version, last_page,
// nr_badpages (__u32 each), sws_uuid[16], sws_volume[16], and
// "SWAPSPACE2" in the last 10 bytes of the first page.
func TestHeaderLayout(t *testing.T) {
	uuid := [16]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}
	for _, ps := range []int{4096, 16384, 65536} {
		h, err := Header(ps, 4096, uuid, "avdoc:42")
		if err != nil {
			t.Fatal(err)
		}
		u32 := func(off int) uint32 { return binary.NativeEndian.Uint32(h[off:]) }
		switch {
		case len(h) != ps:
			t.Errorf("page %d: header of %d bytes", ps, len(h))
		case string(h[ps-10:]) != "SWAPSPACE2":
			t.Errorf("page %d: magic %q", ps, h[ps-10:])
		case u32(1024) != 1 || u32(1028) != 4095 || u32(1032) != 0:
			t.Errorf("page %d: version %d, last_page %d, nr_badpages %d; want 1, 4095, 0", ps, u32(1024), u32(1028), u32(1032))
		case string(h[1036:1052]) != string(uuid[:]):
			t.Errorf("page %d: uuid %x", ps, h[1036:1052])
		case string(h[1052:1060]) != "avdoc:42" || h[1060] != 0:
			t.Errorf("page %d: volume %q", ps, h[1052:1068])
		case strings.Trim(string(h[:1024]), "\x00") != "" || strings.Trim(string(h[1068:ps-10]), "\x00") != "":
			t.Errorf("page %d: bytes outside the fields are not zero", ps)
		}
		in, err := ParseHeader(h)
		if err != nil || in.LastPage != 4095 || in.UUID != uuid || in.Label != "avdoc:42" {
			t.Errorf("page %d: parsed %+v, %v", ps, in, err)
		}
	}
}

// TestHeaderRefuses: sizes the kernel would refuse, and headers that are
// not swap headers.
func TestHeaderRefuses(t *testing.T) {
	for _, tt := range []struct {
		ps, pages int
		label     string
		want      string
	}{
		{4096, 1, "", "needs 2 to 2^32 pages"},
		{3000, 10, "", "not a power of two"},
		{4096, 10, "a label of 17 byte", "longer than 16 bytes"},
	} {
		if _, err := Header(tt.ps, tt.pages, [16]byte{}, tt.label); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Header(%d, %d, %q): %v, want %q", tt.ps, tt.pages, tt.label, err, tt.want)
		}
	}
	good, _ := Header(4096, 10, [16]byte{}, "")
	v2 := append([]byte(nil), good...)
	binary.NativeEndian.PutUint32(v2[1024:], 2)
	for name, page := range map[string][]byte{"zeros": make([]byte, 4096), "version 2": v2, "short": good[:100]} {
		if _, err := ParseHeader(page); err == nil {
			t.Errorf("%s: parsed as a swap header", name)
		}
	}
}

// TestMark: only a label "avdoc:PID" is avdoc's.
func TestMark(t *testing.T) {
	for label, want := range map[string]int{"avdoc:123": 123, mark(7): 7, "avdoc:": 0, "avdoc:x": 0, "swap": 0, "avdoc:-1": 0, "xavdoc:1": 0} {
		pid, ok := markedBy(label)
		if ok != (want != 0) || ok && pid != want {
			t.Errorf("markedBy(%q) = %d, %v; want %d", label, pid, ok, want)
		}
	}
}
