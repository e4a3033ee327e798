package live

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/avdoc/avdoc/engine"
	"github.com/avdoc/avdoc/live/swapdev"
)

// swapDevice sets up a swap device of kind for the test, or skips where
// it cannot (not root), except under CI=true.
func swapDevice(t *testing.T, kind swapdev.Kind) {
	t.Helper()
	if os.Geteuid() != 0 && os.Getenv("CI") != "true" {
		t.Skip("a swap device needs root")
	}
	d := swapdev.New(kind, "")
	if err := d.Setup(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := d.Close(); err != nil {
			t.Error(err)
		}
	})
}

// pteOf returns page i of process name's first VMA in o.
func pteOf(t *testing.T, o *Observation, name string, i int) PTE {
	t.Helper()
	vs := vmasOf(t, o, name)
	if len(vs) == 0 || len(vs[0].PTEs) <= i {
		t.Fatalf("%s has no page %d", name, i)
	}
	return vs[0].PTEs[i]
}

// TestSwapLive: with a swap device on, swapout puts a page one process
// maps to swap for real (a swap entry in pagemap, one PTE holding its
// slot) and a read brings it back; a shared page is refused, saying why;
// madvise pageout leaves it mapped, as the kernel does. With zram the
// page is freed at once and the read brings a fresh page (SWP_SYNCHRONOUS_IO).
func TestSwapLive(t *testing.T) {
	for _, kind := range []swapdev.Kind{swapdev.Zram, swapdev.File} {
		t.Run(kind.String(), func(t *testing.T) {
			swapDevice(t, kind)
			s := open(t)
			s.UseSwap(map[swapdev.Kind]engine.SwapDevice{swapdev.Zram: engine.SwapZram, swapdev.File: engine.SwapFile}[kind])
			o := run(t, s, "spawn P", "mmap P heap 2", "write P:heap", "fork P C", "write C:heap:0")
			before := pteOf(t, o, "C", 0).Page
			o = run(t, s, "swapout C:heap:0")
			if e := pteOf(t, o, "C", 0); e.Kind != engine.PTESwap || e.Swap == 0 || o.Swap[e.Swap-1].Count != 1 {
				t.Errorf("after swapout C:heap:0: %+v, slots %+v; want a swap entry one PTE holds", e, o.Swap)
			}
			if zram := kind == swapdev.Zram; zram && !o.Pages[before-1].Freed {
				t.Errorf("zram: the swapped page was not freed at once")
			}
			err := s.Apply(event(t, "swapout P:heap:1"))
			if !errors.Is(err, ErrNotLive) || !strings.Contains(err.Error(), "P:heap:1 is mapped 2 times, and MADV_PAGEOUT reclaims only a page one process maps") {
				t.Errorf("swapout of a shared page: %v", err)
			}
			if err := s.Apply(engine.Event{Op: engine.OpMadvise, Advice: engine.AdvicePageout, Range: rangeArg(t, "P:heap")}); err != nil {
				t.Fatal(err)
			}
			o = run(t, s, "read C:heap:0")
			if p0, p1 := pteOf(t, o, "P", 0), pteOf(t, o, "P", 1); p0.Kind != engine.PTESwap || p1.Kind != engine.PTEPage {
				t.Errorf("madvise P:heap pageout: P's pages %+v %+v; want the first swapped, the shared one mapped", p0, p1)
			}
			back := pteOf(t, o, "C", 0)
			if back.Kind != engine.PTEPage || kind == swapdev.Zram && back.Page == before {
				t.Errorf("read C:heap:0 after swapout: %+v (page %d before); want a page, a fresh one from zram", back, before)
			}
		})
	}
}
