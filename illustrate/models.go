package illustrate

import (
	"slices"
	"strings"

	"github.com/avdoc/avdoc/engine"
	"github.com/avdoc/avdoc/site"
	"github.com/avdoc/avdoc/story"
)

// Models describes the engine's models and fixes for the site's model pages.
func Models() ([]site.Model, []site.Fix) {
	var models []site.Model
	for _, m := range engine.Models() {
		models = append(models, site.Model{
			Name:    m.Name,
			Summary: m.Summary,
			Design:  m.Design.String(),
			Traits:  modelTraits(m),
			Commits: m.Commits,
			Fixes:   fixNames(m),
		})
	}
	var fixes []site.Fix
	for _, f := range engine.Fixes() {
		fixes = append(fixes, site.Fix{Name: f.Name, Commit: f.Commit, Title: f.Title})
	}
	return models, fixes
}

// modelTraits says, a sentence each, the design choices of a model (the fields of
// engine.Model, with the commits their comments name).
func modelTraits(m engine.Model) []string {
	var out []string
	add := func(on bool, s string) {
		if on {
			out = append(out, s)
		}
	}
	add(m.ListHead, "New VMAs go at the head of an anon_vma's list (from 2.6.18, 0697212a411c, at the tail).")
	add(m.ClearMapping, "page->mapping is cleared at a page's last unmap (from 2.6.9, 88942e3f69, it stays).")
	add(m.NoImporter, "vma_adjust does not link a VMA that takes over another's pages to their anon_vma (2.6.8 does, d84672c45e).")
	add(m.CopyEveryVMA, "fork copies the PTEs of every VMA, zero-page PTEs included (from 2.6.14 a VMA without an anon_vma is skipped).")
	add(m.KeepSwapCache, "A write fault that reuses a page in place leaves it in the swap cache (can_share_swap_page; from 2.6.29 reuse_swap_page drops it).")
	add(m.Design == engine.DesignAnonVMAChain && m.Fixes == 0, "None of the fixes of the 2.6.34 cycle.")
	add(m.Root, "anon_vma->root: every anon_vma knows the oldest of its family, takes its lock and pins it (5c341ee1dfc8, 012f18004da3, 76545066c852).")
	add(m.PrepareTail, "anon_vma_prepare appends its AVC at the tail of the anon_vma's list, like every other link (26ba0cb63cb8).")
	add(m.KeepAnon, "A page that has an anon_vma keeps it when mapped again; a new one goes to the VMA's own anon_vma if exclusive, else to the root (288468c334e9, ad8c2ee801ad).")
	add(m.MergeSingular, "is_mergeable_anon_vma refuses to merge a VMA without an anon_vma with one whose chain is not singular (965f55dea0e3).")
	add(m.IntervalTree, "An anon_vma files its AVCs in an interval tree by page offset, so a walk visits only the VMAs that can hold the page (bf181b9f9d8d).")
	add(m.Reuse == engine.ReuseDegree, "Fork reuses an anon_vma whose degree is below 2 instead of making one (7a3ef208e662, b800c91a0517).")
	add(m.Reuse == engine.ReuseCounters, "Fork reuses an anon_vma with num_children below 2 and num_active_vmas 0 (2555283eb40d).")
	add(m.KSM, "CONFIG_KSM is set.")
	return out
}

// fixNames is the names of the 2.6.34-cycle fixes a model has.
func fixNames(m engine.Model) []string {
	var out []string
	for _, f := range engine.Fixes() {
		if m.Has(f.Fix) {
			out = append(out, f.Name)
		}
	}
	return out
}

// KernelInfo says which built-in model each of a story's kernels is, and how a
// derived one differs from it.
func KernelInfo(s *story.Story) []site.KernelInfo {
	var out []site.KernelInfo
	for _, k := range s.Kernels {
		m := k.Model
		if m.Base == "" {
			out = append(out, site.KernelInfo{Model: m.Name})
			continue
		}
		out = append(out, site.KernelInfo{Model: m.Base, Note: derivedNote(m)})
	}
	return out
}

// derivedNote says how a custom model differs from its base: "2.6.34-rc3 plus
// oldest-anon-vma", "2.6.34 minus reuse-singular, with CONFIG_KSM".
func derivedNote(m engine.Model) string {
	base, err := engine.Lookup(m.Base)
	if err != nil {
		return "derived from " + m.Base
	}
	have, had := fixNames(m), fixNames(base)
	var parts []string
	if plus := missing(have, had); len(plus) > 0 {
		parts = append(parts, "plus "+strings.Join(plus, ", "))
	}
	if minus := missing(had, have); len(minus) > 0 {
		parts = append(parts, "minus "+strings.Join(minus, ", "))
	}
	switch {
	case m.KSM && !base.KSM:
		parts = append(parts, "with CONFIG_KSM")
	case !m.KSM && base.KSM:
		parts = append(parts, "without CONFIG_KSM")
	}
	if len(parts) == 0 {
		return "the same as " + m.Base
	}
	return m.Base + " " + strings.Join(parts, ", ")
}

// missing is what of a is not in b, in a's order.
func missing(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}
