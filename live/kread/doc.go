// Package kread reads the live kernel's reverse map (VMAs, their
// anon_vma_chains, anon_vmas and pages) through a BPF task_vma iterator and
// /proc, as raw records that name kernel objects by their addresses.
package kread
