package explore

import "unsafe"

// node is a stored state: how it was first reached, as its parent's
// index and the event's position in the parent's alphabet. A machine in
// the state is rebuilt by replaying the events from the root.
type node struct {
	parent uint32
	event  uint16
}

// maxNodes is how many states the node array can index.
const maxNodes = 1<<32 - 1

// visited is the set of states seen so far.
type visited interface {
	// add records a state and reports whether it is new.
	add(fp fingerprint, enc []byte) bool
	// bytes is the memory the set holds.
	bytes() uint64
}

// fpSet is an open-addressing hash set of fingerprints (linear probing,
// at most three quarters full; 0 marks an empty slot).
type fpSet struct {
	slots []fingerprint
	n     int
}

func newFPSet() *fpSet { return &fpSet{slots: make([]fingerprint, 1<<12)} }

func (s *fpSet) add(fp fingerprint, _ []byte) bool {
	if 4*(s.n+1) > 3*len(s.slots) {
		s.grow()
	}
	if !s.insert(fp) {
		return false
	}
	s.n++
	return true
}

// insert puts fp in its slot unless it is there already.
func (s *fpSet) insert(fp fingerprint) bool {
	mask := uint64(len(s.slots) - 1)
	for i := uint64(fp) & mask; ; i = (i + 1) & mask {
		switch s.slots[i] {
		case fp:
			return false
		case 0:
			s.slots[i] = fp
			return true
		}
	}
}

func (s *fpSet) grow() {
	old := s.slots
	s.slots = make([]fingerprint, 2*len(old))
	for _, fp := range old {
		if fp != 0 {
			s.insert(fp)
		}
	}
}

func (s *fpSet) bytes() uint64 { return uint64(len(s.slots)) * uint64(unsafe.Sizeof(fingerprint(0))) }

// exactSet keeps whole encodings: no collision can merge two states, at
// the cost of the encoding's size per state (hundreds of bytes).
type exactSet struct {
	keys map[string]struct{}
	size uint64
}

func newExactSet() *exactSet { return &exactSet{keys: map[string]struct{}{}} }

func (s *exactSet) add(_ fingerprint, enc []byte) bool {
	if _, ok := s.keys[string(enc)]; ok {
		return false
	}
	s.keys[string(enc)] = struct{}{}
	s.size += uint64(len(enc)) + 48 // the string, its header and the map's slot
	return true
}

func (s *exactSet) bytes() uint64 { return s.size }
