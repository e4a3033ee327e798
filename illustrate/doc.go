// Package illustrate turns parsed stories into the plain data of avdoc's
// site: it runs each story under each of its kernels, draws every step of
// every kernel on layouts shared scene by scene (see [Draw]), prints each
// frame, and says where the kernels came apart.
//
// The data flows story → engine (or an observed kernel) → render → site:
//
//   - [story] parses a story file and runs its events, kernel by kernel, on
//     a [story.Machine]: the engine's model of the kernel
//     ([story.Simulate]), or a real kernel observed running the same events
//     (give [Illustrator.Machines]). Either way a run is a sequence of
//     engine states, logs and walks, against which every expectation is
//     checked.
//   - [Draw] draws each state with [render] and lays all of a story's
//     pictures out at once through [Graphviz], so that every object keeps
//     its place in every step and every kernel's column (kernels that keep
//     different kinds of object are laid out apart).
//   - A [Printer] prints each placed [Frame]: [SVG] for the site, [DOT] for
//     those who restyle; other formats are other printers.
//   - [compare.Kernels] says, in kernel terms, how the kernels' states came
//     apart at each step.
//   - The result is [site.Story] values, which [site.Build] makes into
//     files, together with [Site].
//
// Reading files, caching, worker processes and writing the site are the
// caller's (cmd/avdoc): an [Illustrator] is given a Read function, a
// [Graphviz] and, if it likes, a [StoryCache].
//
// Another Go program builds a site like this (see the example):
//
//	g, _ := gv.New(ctx)
//	il := &illustrate.Illustrator{Limits: story.DefaultLimits(), Graphviz: g, Read: read}
//	pages := il.Pages(ctx, files)
//	files, err := site.Build(illustrate.Site(illustrate.Slugs(pages)))
package illustrate
