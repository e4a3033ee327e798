package live

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"golang.org/x/sys/unix"
)

// TestMprotectOverHoleChangesUpToIt runs D12 against the running kernel:
// mprotect over a range with a hole changes the VMAs before the hole and
// fails with ENOMEM (mm/mprotect.c do_mprotect_pkey, v6.18), which the
// session counts as applied, as the engine does; a range that starts in
// the hole changes nothing and stays refused.
func TestMprotectOverHoleChangesUpToIt(t *testing.T) {
	for _, tt := range []struct {
		name    string
		event   string
		want    []string
		refused bool
	}{
		{"hole in the middle", "mprotect P:heap:0..3 ro", []string{"16..17 ro", "19..19 rw"}, false},
		{"hole at the start", "mprotect P:heap:2..3 ro", []string{"16..17 rw", "19..19 rw"}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			run(t, s, "spawn P", "mmap P heap 4 at 16", "write P:heap:0..3", "munmap P:heap:2")
			err := s.Apply(event(t, tt.event))
			if (err != nil) != tt.refused || (err != nil && !errors.Is(err, unix.ENOMEM)) {
				t.Fatalf("%s: error %v, want refused %v with ENOMEM", tt.event, err, tt.refused)
			}
			o, err := s.Observe()
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, v := range vmasOf(t, o, "P") {
				prot := "ro"
				if v.Writable {
					prot = "rw"
				}
				got = append(got, fmt.Sprintf("%d..%d %s", v.Start, v.End-1, prot))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("VMAs %v, want %v", got, tt.want)
			}
		})
	}
}
