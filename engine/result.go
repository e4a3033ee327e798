package engine

// StepResult is what one step did.
type StepResult struct {
	Step       int       // 1-based
	State      State     // the snapshot after the step
	Log        []LogLine // what the kernel did, in order
	Walks      []Walk    // the rmap walks the step's events made, in order (the first ones, and every one that oopsed)
	MoreWalks  int       // walks made but not kept in Walks
	Violations []Violation
	New        []Violation // the violations present now that were not before the step
}

// Oopsed reports whether an rmap walk of the step reached freed memory.
func (r *StepResult) Oopsed() bool {
	for _, w := range r.Walks {
		if w.Oops != nil {
			return true
		}
	}
	return false
}

// Clean reports whether the step broke no invariant and did not oops.
func (r *StepResult) Clean() bool { return len(r.New) == 0 && !r.Oopsed() }

// LogLine is one thing the kernel did, named by the kernel function that
// did it: {"anon_vma_fork", "linked AVC 4 of C:heap to anon_vma P:heap"}.
type LogLine struct {
	Func string
	Msg  string
}

func (l LogLine) String() string { return l.Func + ": " + l.Msg }

// Walk is an rmap walk of one page, as page_referenced() or
// try_to_unmap() makes it.
type Walk struct {
	Page     PageID
	Func     string // the kernel function that walked
	Mapcount int    // the mapcount sampled when the walk started
	AnonVMA  AVID   // page->mapping when the walk started (freed, if it oopsed), or 0
	Lock     AVID   // the anon_vma whose lock the walk takes: page->mapping's, or from 2.6.36 its root
	Visits   []Visit
	Found    int   // PTEs found that map the page
	Skipped  bool  // the page was not mapped, so the walk did not start
	Oops     *Oops // the walk reached a freed anon_vma

	visited int // len(Visits), also when they are not recorded
}

// Visit is one candidate VMA an rmap walk iterated.
type Visit struct {
	VMA     VMAID
	AVC     AVCID  // the AVC that led to it (0 where the model has none)
	Addr    uint64 // the page number computed from page->index and vm_pgoff (0 if Outside)
	Outside bool   // the address fell outside the VMA, so it was skipped
	Found   bool   // the PTE there maps the page
}

// Oops is a walk that followed page->mapping into a freed anon_vma.
type Oops struct {
	Page    PageID
	AnonVMA AVID
	Outcome Outcome
	// ReusedAs is the live anon_vma now in the freed one's memory, for
	// OopsReused.
	ReusedAs AVID
	Msg      string // what happened, in a few sentences (without the walking function's name)
}

// Outcome is what following a dangling anon_vma pointer did (kernel-rmap-
// spec §2.5, §11.3).
type Outcome int

// The outcomes the simulator can tell apart. The third one of the spec,
// the slab page given back and reused for something else so that the
// list pointers are garbage, is what crashed 2.6.34-rc3; which memory the
// kernel reuses is outside the model, so the messages name it as what
// would come next.
const (
	// OopsEmpty: the slab object is still free; its list is empty and the
	// walk finds none of the page's mappings.
	OopsEmpty Outcome = iota + 1
	// OopsReused: the object was reallocated as another anon_vma; the walk
	// visits that one's VMAs, which do not map the page.
	OopsReused
)

// Violation is one broken invariant of kernel-rmap-spec §11.
type Violation struct {
	Name string // "I3", "R1", …
	Key  string // identifies this instance: the same break in two steps has the same key
	Msg  string // a sentence naming the objects involved
}

func (v Violation) String() string { return v.Name + ": " + v.Msg }
