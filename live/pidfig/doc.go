// Package pidfig reads the reverse map of a running process and its
// descendants (their anonymous VMAs, anon_vmas, anon_vma_chains and pages)
// from the live kernel, without touching the processes, and names it as a
// one-step story result for the figure printers: avdoc live --pid.
package pidfig
