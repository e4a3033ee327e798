package live

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/avdoc/avdoc/engine"
	"github.com/avdoc/avdoc/live/kread"
	"golang.org/x/sys/unix"
)

// UseSwap lets the session run swap events: a swap device of kind dev is
// on (one the caller set up and tears down, see live/swapdev).
func (s *Session) UseSwap(dev engine.SwapDevice) { s.swap, s.swapDev = true, dev }

// notLive is an event that cannot run on the live kernel: why, and what
// to do instead.
type notLive struct{ reason, hint string }

func (e *notLive) Error() string        { return ErrNotLive.Error() + ": " + e.reason }
func (e *notLive) Is(target error) bool { return target == ErrNotLive }

var errNoSwap = &notLive{"swap events need `--swap zram|file`",
	"run it with `avdoc live --swap zram` or `--swap file`, or under a model only"}

// pageSpan is a range of pages of one live process.
type pageSpan struct {
	p     *proc
	addr  uint64
	pages int
}

// spans returns an event's range, or for `swapout all` and `evict all`
// every region of every live process.
func (s *Session) spans(ev engine.Event) ([]pageSpan, error) {
	if !ev.All {
		p, addr, pages, err := s.rangeOf(ev.Range)
		return []pageSpan{{p, addr, pages}}, err
	}
	var out []pageSpan
	for _, p := range s.procs {
		for _, r := range p.regions {
			if !p.exited {
				out = append(out, pageSpan{p, Base + r.Start*pageSize, r.Pages})
			}
		}
	}
	return out, nil
}

// swapout runs a story's swapout: reclaim of the range's pages, with
// MADV_PAGEOUT. The kernel reclaims that way only a page one process
// maps, so a shared page is refused rather than left mapped.
func (s *Session) swapout(ev engine.Event) error {
	if !s.swap {
		return errNoSwap
	}
	spans, err := s.spans(ev)
	if err != nil {
		return err
	}
	for _, sp := range spans {
		if err := s.pageout(sp, true); err != nil {
			return err
		}
	}
	return nil
}

// evict runs a story's evict: dropping swapped pages from the swap
// cache. zram writes synchronously, and reclaim frees the page at once
// (shrink_folio_list, "A synchronous write - probably a ramdisk"):
// nothing is left to drop. A page written to a swap file stays in the
// swap cache until reclaim finds it again on the LRU, which nothing lets
// avdoc ask for one page.
func (s *Session) evict(engine.Event) error {
	switch {
	case !s.swap:
		return errNoSwap
	case s.swapDev == engine.SwapZram:
		return nil
	}
	return &notLive{"a page written to a swap file leaves the swap cache only when reclaim finds it on the LRU again, " +
		"and nothing lets avdoc drop one page from it (with `--swap zram` swapout frees the page at once)", "run it with `avdoc live --swap zram`"}
}

// pageoutTries bounds the MADV_PAGEOUT calls for one range: the kernel
// skips a page not on an LRU list yet (still in another CPU's LRU batch,
// which madvise_pageout's lru_add_drain does not drain), and a later
// call takes it.
const pageoutTries = 20

// pageout reclaims, with MADV_PAGEOUT, the pages of sp that one PTE alone
// maps, and checks in pagemap (bit 62) that each became a swap entry.
// A page mapped more than once is refused when strict (swapout), and
// left mapped otherwise (madvise pageout, as the kernel leaves it).
func (s *Session) pageout(sp pageSpan, strict bool) error {
	want, err := s.reclaimable(sp, strict)
	if err != nil {
		return err
	}
	for try := 1; ; try++ {
		if err := sp.p.a.Madvise(sp.addr, sp.pages, unix.MADV_PAGEOUT); err != nil {
			return err
		}
		ptes, err := kread.PTEs(sp.p.a.Pid(), sp.addr, sp.pages)
		if err != nil {
			return err
		}
		var left []string
		for _, i := range want {
			if !ptes[i].Swapped {
				left = append(left, sp.p.pageName(sp.addr+uint64(i)*pageSize))
			}
		}
		switch {
		case len(left) == 0:
			return nil
		case try == pageoutTries:
			return fmt.Errorf("the kernel kept %s mapped after %d MADV_PAGEOUT calls", strings.Join(left, ", "), try)
		}
		time.Sleep(time.Duration(try) * time.Millisecond)
	}
}

// reclaimable returns the indexes in sp of the anonymous pages that one
// PTE alone maps, or with strict refuses a page mapped more than once.
func (s *Session) reclaimable(sp pageSpan, strict bool) ([]int, error) {
	ptes, err := kread.PTEs(sp.p.a.Pid(), sp.addr, sp.pages)
	if err != nil {
		return nil, err
	}
	var want []int
	for i, pte := range ptes {
		switch {
		case !pte.Present || pte.Zero():
		case pte.Mapcount == 1:
			want = append(want, i)
		case strict:
			return nil, &notLive{fmt.Sprintf("%s is mapped %d times, and MADV_PAGEOUT reclaims only a page one process maps "+
				"(madvise_cold_or_pageout_pte_range skips a shared folio): avdoc has no way to reclaim a chosen shared page",
				sp.p.pageName(pte.Addr), pte.Mapcount), "run this story under a model only"}
		}
	}
	return want, nil
}

// pageName names the page at addr as stories do: P:heap:2.
func (p *proc) pageName(addr uint64) string {
	pg := page(addr)
	for _, r := range p.regions {
		if r.Start <= pg && pg < r.End() {
			return fmt.Sprintf("%s:%s:%d", p.name, r.Name, pg-r.Start)
		}
	}
	return fmt.Sprintf("%s:%#x", p.name, addr)
}

// hintOf is the hint of an event the live kernel cannot run.
func hintOf(err error) string {
	var nl *notLive
	if errors.As(err, &nl) {
		return nl.hint
	}
	return "run this story under a model only"
}
