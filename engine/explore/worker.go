package explore

import (
	"context"

	"github.com/avdoc/avdoc/engine"
)

// worker tries events after the states of the chunks it is given. It
// keeps the machines along the path to the last state it extended, so
// that the next state, usually a sibling or a cousin, is rebuilt by
// replaying only the events that differ.
type worker struct {
	s   *search
	enc encoder
	// path[d] is the machine after d events on the way to the state last
	// extended, with its node and the event that led there.
	path []pathStep
	ids  []uint32
	// skip holds the processes whose events the state being extended
	// need not try (see twins).
	skip map[string]bool
	sig  []byte
}

type pathStep struct {
	id uint32
	m  *engine.Machine
	ev engine.Event
}

func newWorker(s *search, root *engine.Machine) *worker {
	return &worker{s: s, path: []pathStep{{id: 0, m: root}}, skip: map[string]bool{}}
}

// cand is a state a chunk reached: its fingerprint, how it was reached,
// and, in an exact search, its encoding.
type cand struct {
	fp     fingerprint
	parent uint32
	event  uint16
	enc    []byte
}

// chunkResult is what a worker made of a chunk: the states its events
// reached, in order, how many sequences it ran, and the first finding,
// which came after foundAt of the states and foundSeq of the sequences.
type chunkResult struct {
	cands             []cand
	seqs              int
	found             *Finding
	foundAt, foundSeq int
}

// serve runs the chunks it is given until there are none or ctx ends.
func (w *worker) serve(ctx context.Context, jobs <-chan job) {
	for {
		select {
		case j, ok := <-jobs:
			if !ok {
				return
			}
			j.out <- w.chunk(ctx, j)
		case <-ctx.Done():
			return
		}
	}
}

// chunk tries every event of the alphabet after each state of a chunk.
func (w *worker) chunk(ctx context.Context, j job) chunkResult {
	var r chunkResult
	nodes := j.nodes
	for i := j.from; i < j.to && r.found == nil; i++ {
		if ctx.Err() != nil {
			return r
		}
		id := j.fr.id(i)
		m := w.machine(nodes, id, j.depth-1)
		w.twins(m.State(), w.skip)
		for k, ev := range w.s.alphabet(m.State()) {
			if w.skip[eventProc(ev)] || Inert(m.State(), ev) {
				continue
			}
			if w.try(&r, m, id, k, ev, j.depth == w.s.cfg.Depth) {
				break
			}
		}
	}
	return r
}

// try runs one event after m, which is node id, and records what came of
// it in r. It reports whether the event broke something.
func (w *worker) try(r *chunkResult, m *engine.Machine, id uint32, k int, ev engine.Event, last bool) bool {
	c := m.Clone()
	res, err := c.Advance([]engine.Event{ev})
	r.seqs++
	if err != nil {
		return false // refused: not an event of this state
	}
	if f := finding(&res, w.s.cfg.Ignore); f != nil {
		f.Setup, f.Prefix = w.s.setup, w.s.cfg.Prefix
		for _, st := range w.path[1:] {
			f.Events = append(f.Events, st.ev)
		}
		f.Events = append(f.Events, ev)
		r.found, r.foundAt, r.foundSeq = f, len(r.cands), r.seqs
		return true
	}
	if last {
		return false // nothing goes further: no need to store it
	}
	enc := w.enc.encode(c.State())
	cd := cand{fp: fingerprintOf(enc), parent: id, event: uint16(k)}
	if w.s.cfg.Exact {
		cd.enc = append([]byte(nil), enc...)
	}
	r.cands = append(r.cands, cd)
	return false
}

// machine returns a machine in the state of node id, depth events after
// the setup, rebuilt from the longest prefix of the path it shares with
// the last one.
func (w *worker) machine(nodes []node, id uint32, depth int) *engine.Machine {
	w.ids = append(w.ids[:0], make([]uint32, depth+1)...)
	for d := depth; d >= 0; d-- {
		w.ids[d], id = id, nodes[id].parent
	}
	d := 1
	for d <= depth && d < len(w.path) && w.path[d].id == w.ids[d] {
		d++
	}
	w.path = w.path[:d]
	for ; d <= depth; d++ {
		prev := w.path[d-1].m
		ev := w.s.alphabet(prev.State())[nodes[w.ids[d]].event]
		m := prev.Clone()
		if _, err := m.Advance([]engine.Event{ev}); err != nil {
			panic("explore: replaying a stored event failed: " + err.Error())
		}
		w.path = append(w.path, pathStep{id: w.ids[d], m: m, ev: ev})
	}
	return w.path[depth].m
}
