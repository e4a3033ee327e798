package explore

import (
	"bytes"

	"github.com/avdoc/avdoc/engine"
)

// twins marks the live processes whose events need not be tried: a
// process q is skipped when an earlier live process p is its twin, which
// the state cannot tell apart from it. The test is exact: the state
// encodes the same with p and q swapped in the order ties keep. Equal
// encodings name every object alike, so the renaming that swaps p and q
// (and their VMAs, and whatever the encoding reaches through them) is an
// automorphism of the state, and q's events lead to states isomorphic to
// those p's matching events lead to, which p's turn tries first. (If p
// is skipped too, composing the two swaps maps q to a process tried
// before both.)
func (w *worker) twins(st *engine.State, skip map[string]bool) {
	clear(skip)
	live := st.LiveProcs()
	if len(live) < 2 {
		return
	}
	base := append([]byte(nil), w.enc.encode(st)...)
	for j := 1; j < len(live); j++ {
		for i := 0; i < j; i++ {
			if w.swapped(st, live, i, j, base) {
				skip[live[j].Name] = true
				break
			}
		}
	}
}

// swapped reports whether processes i and j of live have the same
// signature and st encodes as base with them swapped. (Processes of
// different signatures are sorted apart whatever their order: swapping
// them proves nothing.)
func (w *worker) swapped(st *engine.State, live []*engine.Process, i, j int, base []byte) bool {
	w.enc.st = st
	w.sig = w.enc.signature(w.sig[:0], live[i])
	if n := len(w.sig); !bytes.Equal(w.enc.signature(w.sig, live[j])[n:], w.sig[:n]) {
		return false
	}
	w.enc.live = append(w.enc.live[:0], live...)
	w.enc.live[i], w.enc.live[j] = w.enc.live[j], w.enc.live[i]
	return bytes.Equal(w.enc.encodeLive(st), base)
}

// eventProc names the process an event acts on.
func eventProc(ev engine.Event) string {
	if ev.Proc != "" {
		return ev.Proc
	}
	return ev.Range.Proc
}
