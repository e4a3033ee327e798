package engine

import "fmt"

// Op is the kind of an event.
type Op int

// The events of story-format v1.
const (
	OpSpawn Op = iota + 1
	OpMmap
	OpRead
	OpWrite
	OpFork
	OpExit
	OpMunmap
	OpMprotect
	OpSwapout
	OpHibernate
	OpEvict
	OpWalk
	OpMremap
	OpMadvise
)

var opNames = [...]string{
	OpSpawn: "spawn", OpMmap: "mmap", OpRead: "read", OpWrite: "write",
	OpFork: "fork", OpExit: "exit", OpMunmap: "munmap", OpMprotect: "mprotect",
	OpSwapout: "swapout", OpHibernate: "hibernate", OpEvict: "evict", OpWalk: "walk",
	OpMremap: "mremap", OpMadvise: "madvise",
}

// Advice is the advice of a madvise event.
type Advice int

// The advice madvise events give.
const (
	AdviceDontneed Advice = iota + 1 // MADV_DONTNEED: zap the range's PTEs
	AdvicePageout                    // MADV_PAGEOUT (5.4+): reclaim the range's exclusive pages
)

var adviceNames = [...]string{AdviceDontneed: "dontneed", AdvicePageout: "pageout"}

func (a Advice) String() string {
	if a > 0 && int(a) < len(adviceNames) {
		return adviceNames[a]
	}
	return fmt.Sprintf("Advice(%d)", int(a))
}

// Advices returns every advice a madvise event takes.
func Advices() []Advice { return []Advice{AdviceDontneed, AdvicePageout} }

func (o Op) String() string {
	if o > 0 && int(o) < len(opNames) {
		return opNames[o]
	}
	return fmt.Sprintf("Op(%d)", int(o))
}

// Ops returns every event name, in the order of story-format v1.
func Ops() []Op {
	out := make([]Op, 0, len(opNames)-1)
	for o := OpSpawn; int(o) < len(opNames); o++ {
		out = append(out, o)
	}
	return out
}

// Event is one event of a step, already parsed and with name ranges
// expanded: `fork P C1..C3` is three events.
type Event struct {
	Op       Op
	Proc     string // spawn, mmap, fork (the parent), exit
	Child    string // fork
	Region   string // mmap
	Pages    int    // mmap
	At       uint64 // mmap with HasAt: the first page number
	HasAt    bool
	Writable bool   // mmap, mprotect
	Range    Range  // read, write, munmap, mprotect, swapout, evict, walk, mremap (a whole region), madvise
	All      bool   // swapout all, evict all
	Advice   Advice // madvise
	// mremap: the new size is Pages, and HasAt moves the region to page
	// number At (MREMAP_MAYMOVE|MREMAP_FIXED); without it the region is
	// resized in place.
}

// Range is a run of pages of one region of one process: PROC:REGION:I..J,
// or the whole region (PROC:REGION or PROC:REGION:*).
type Range struct {
	Proc   string
	Region string
	First  int
	Last   int // inclusive
	Whole  bool
}

func (r Range) String() string {
	switch {
	case r.Whole:
		return r.Proc + ":" + r.Region
	case r.First == r.Last:
		return fmt.Sprintf("%s:%s:%d", r.Proc, r.Region, r.First)
	}
	return fmt.Sprintf("%s:%s:%d..%d", r.Proc, r.Region, r.First, r.Last)
}

func (e Event) String() string {
	switch e.Op {
	case OpSpawn, OpExit:
		return e.Op.String() + " " + e.Proc
	case OpFork:
		return "fork " + e.Proc + " " + e.Child
	case OpMmap:
		s := fmt.Sprintf("mmap %s %s %d", e.Proc, e.Region, e.Pages)
		if e.HasAt {
			s += fmt.Sprintf(" at %d", e.At)
		}
		if !e.Writable {
			s += " ro"
		}
		return s
	case OpMremap:
		s := fmt.Sprintf("mremap %s %d", e.Range, e.Pages)
		if e.HasAt {
			s += fmt.Sprintf(" at %d", e.At)
		}
		return s
	case OpMadvise:
		return "madvise " + e.Range.String() + " " + e.Advice.String()
	case OpMprotect:
		if e.Writable {
			return "mprotect " + e.Range.String() + " rw"
		}
		return "mprotect " + e.Range.String() + " ro"
	case OpHibernate:
		return "hibernate"
	case OpSwapout, OpEvict:
		if e.All {
			return e.Op.String() + " all"
		}
	}
	return e.Op.String() + " " + e.Range.String()
}

// Field names the part of an event that an [EventError] is about, so that
// a caller holding the event's source can point at the right word.
type Field int

// The fields of an event.
const (
	FieldEvent  Field = iota // the event as a whole
	FieldProc                // the process (for a range: its PROC part)
	FieldChild               // fork's child
	FieldRegion              // mmap's region, or a range's REGION part
	FieldPages               // mmap's page count
	FieldAt                  // mmap's at
	FieldIndex               // a range's index part
)

// EventError is an event that the machine refused, with the reason. The
// machine's state is unchanged by a refused event.
type EventError struct {
	Event int   // index of the event in the step
	Field Field // which part of the event is wrong
	Msg   string
	Hint  string // how to fix it, or ""
}

func (e *EventError) Error() string {
	if e.Hint != "" {
		return e.Msg + " (" + e.Hint + ")"
	}
	return e.Msg
}
