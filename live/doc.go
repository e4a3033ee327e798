// Package live runs a story's events as real processes on the running
// kernel and observes, after each step, the reverse map the kernel built:
// processes, VMAs, anon_vma_chains, anon_vmas and pages, named by ids that
// stay stable within a run.
package live
