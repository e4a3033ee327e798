// Package compare says, in the kernel's own terms, how engine states
// differ: what two or more kernels disagree on after the same step
// ([Kernels]), and, under one kernel, what a step left as it was (which
// the comparison uses to look only where a step changed something).
//
// It reads [engine.State] values, and [engine.StepResult]s for their
// walks, and nothing else: a run may be simulated by a model or observed
// on a real kernel, and compares the same way. Facts are named as stories
// name things (the VMA P:heap, the anon_vma av(C:heap), the address
// C:heap:0), never by object ids, which differ between kernels:
//
//   - a VMA's anon_vma chain (same_vma, head first), or in 2.6.7-2.6.33
//     its vma->anon_vma;
//   - whether an anon_vma every kernel made is freed;
//   - what each address maps: nothing, the zero page, a swap entry, or a
//     page and its page->mapping (freed or not) and, where the kernels'
//     differ, its mapcount;
//   - which VMAs each rmap walk visits.
//
// Like engine, it does no I/O and keeps no package-level state.
//
// The change marks of a drawing (what a step added, changed or removed,
// drawn in green, magenta and ghosted) are render's: they compare the
// drawn objects of two pictures, stacks and runs of pages included.
package compare
