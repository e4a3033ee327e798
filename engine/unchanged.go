package engine

// unchanged reports whether snapshot c, made right after snapshot prev,
// holds the same state, so that it breaks the same invariants. A slice is
// compared by where it begins: a snapshot takes prev's slice for one whose
// elements did not change (share, handOver). Any other difference, even
// one a check would not see, says changed, which costs only a check.
func unchanged(c, prev *State) bool {
	if c.Model != prev.Model || !sameSlice(c.AVCs, prev.AVCs) || !sameSlice(c.Pages, prev.Pages) ||
		!sameSlice(c.Swap, prev.Swap) || len(c.Procs) != len(prev.Procs) || len(c.VMAs) != len(prev.VMAs) ||
		len(c.AnonVMAs) != len(prev.AnonVMAs) {
		return false
	}
	for i := range c.Procs {
		if !sameProc(&c.Procs[i], &prev.Procs[i]) {
			return false
		}
	}
	for i := range c.VMAs {
		if !sameVMA(&c.VMAs[i], &prev.VMAs[i]) {
			return false
		}
	}
	for i := range c.AnonVMAs {
		if !sameAnonVMA(&c.AnonVMAs[i], &prev.AnonVMAs[i]) {
			return false
		}
	}
	return true
}

// sameProc compares every field of two processes (TestUnchangedSeesEveryField).
func sameProc(a, b *Process) bool {
	return a.ID == b.ID && a.Name == b.Name && a.Parent == b.Parent && a.Exited == b.Exited &&
		sameSlice(a.VMAs, b.VMAs) && sameSlice(a.Regions, b.Regions)
}

// sameVMA compares every field of two VMAs.
func sameVMA(a, b *VMA) bool {
	return a.ID == b.ID && a.Proc == b.Proc && a.Region == b.Region && a.Start == b.Start && a.End == b.End &&
		a.Pgoff == b.Pgoff && a.Writable == b.Writable && a.Accounted == b.Accounted && a.AnonVMA == b.AnonVMA &&
		a.Gone == b.Gone && sameSlice(a.Chain, b.Chain) && sameSlice(a.PTEs, b.PTEs)
}

// sameAnonVMA compares every field of two anon_vmas.
func sameAnonVMA(a, b *AnonVMA) bool {
	return a.ID == b.ID && a.Name == b.Name && a.Freed == b.Freed && a.Parent == b.Parent && a.Root == b.Root &&
		a.Refcount == b.Refcount && a.Degree == b.Degree && a.NumChildren == b.NumChildren &&
		a.NumActiveVMAs == b.NumActiveVMAs && a.ReusedBy == b.ReusedBy && sameSlice(a.Head, b.Head) &&
		sameSlice(a.VMAs, b.VMAs)
}
