package pidfig

import (
	"fmt"
	"strings"
	"testing"
)

// TestParseMaps: anonymous mappings and their names; files and the
// kernel's special mappings are not anonymous; a malformed line is an error.
func TestParseMaps(t *testing.T) {
	in := `55c3e32e8000-55c3e32ea000 rw-p 00000000 00:00 0 
55c40a484000-55c40a4a5000 rw-p 00000000 00:00 0                          [heap]
7f92c8e00000-7f92c8e28000 r--p 00000000 fe:00 1234                       /usr/lib/x86_64-linux-gnu/libc.so.6
7f92c9000000-7f92c9001000 rw-p 00000000 00:00 0                          [anon:my pool]
7f92c9002000-7f92c9003000 rw-p 00000000 00:00 0                          [anon:a` + "\x1b" + `]
7ffc20f69000-7ffc20f8a000 rw-p 00000000 00:00 0                          [stack]
7ffc20fd0000-7ffc20fd4000 r--p 00000000 00:00 0                          [vvar]
7ffc20fd4000-7ffc20fd6000 r-xp 00000000 00:00 0                          [vdso]
`
	ms, err := parseMaps(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range ms {
		got = append(got, fmt.Sprintf("%v %s", m.anonymous(), m.region()))
	}
	want := []string{"true 0x55c3e32e8000-0x55c3e32ea000", "true [heap]", "false /usr/lib/x86_64-linux-gnu/libc.so.6",
		"true [anon:my pool]", "true [anon:a?]", "true [stack]", "false [vvar]", "false [vdso]"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
	for _, bad := range []string{"55c3e32e8000 rw-p 00000000 00:00 0\n", "x-y rw-p 0 00:00 0\n", "1-2 rw-p\n"} {
		if _, err := parseMaps(strings.NewReader(bad)); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}
