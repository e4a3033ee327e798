// Package engine simulates the Linux kernel's reverse mapping of anonymous
// memory: processes, VMAs, anon_vma (AV) and anon_vma_chain (AVC) objects,
// pages and their PTEs, one event at a time.
//
// A [Machine] runs the events of one kernel [Model]. Each call to
// [Machine.Step] applies a step's events and returns a [StepResult]: an
// immutable [State] snapshot with stable object ids, a log of what the kernel
// did in its own vocabulary, the invariants of kernel-rmap-spec §11 that hold
// or fail, and the outcome of any rmap walk, including a walk into a freed
// anon_vma, which is recorded as an [Oops] and never makes the simulator
// panic.
//
// The package does no I/O, holds no package-level mutable state, and is
// deterministic: the same events give the same results, byte for byte, on
// any machine. It imports nothing else of avdoc's.
package engine
