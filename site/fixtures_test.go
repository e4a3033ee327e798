package site

import (
	"fmt"
	"html"
	"strings"
)

// placeholderSVG draws a hand-made stand-in for a render diagram: a titled box with one
// line of text per object, enough to see layout and scaling in a browser.
func placeholderSVG(title string, lines ...string) []byte {
	h := 60 + 26*len(lines)
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<svg xmlns="http://www.w3.org/2000/svg" width="420pt" height="%dpt" viewBox="0 0 420 %d">
<rect x="1" y="1" width="418" height="%d" rx="8" fill="#ffffff" stroke="#444"/>
<text x="16" y="30" font-family="Arial,sans-serif" font-size="16" font-weight="bold">%s</text>
`, h, h, h-2, html.EscapeString(title))
	for i, l := range lines {
		y := 60 + 26*i
		fmt.Fprintf(&b, `<rect x="16" y="%d" width="388" height="20" rx="4" fill="#e8f0fe" stroke="#1a73e8"/>
<text x="24" y="%d" font-family="Arial,sans-serif" font-size="13">%s</text>
`, y-15, y, html.EscapeString(l))
	}
	b.WriteString("</svg>\n")
	return []byte(b.String())
}

// forkStory has one kernel and two steps, all clean.
func forkStory() Story {
	k := "2.6.34"
	return Story{
		Slug:    "fork",
		Title:   "Fork shares an anonymous page",
		Summary: "A child inherits its parent's page and links to the parent's *anon_vma*.",
		Tags:    []string{"fork", "basics"},
		Kernels: []string{k},
		Intro:   "P maps one page; then it forks.",
		Outro:   "Both processes now map the page through **one** anon_vma.",
		Source:  "stories/fork.yaml",
		Steps: []Step{
			{
				Narration: "P maps a page and writes it; the fault creates P's anon_vma.",
				Events:    []string{"spawn P", "mmap P heap 1", "write P:heap:0"},
				Frames: []Frame{{
					Kernel: k,
					SVG:    placeholderSVG("P after the first write", "P:heap → av(P:heap)", "page 1 → av(P:heap)"),
					Desc:   "P's heap VMA points to anon_vma P:heap, which page 1 maps to.",
					Log:    []string{"do_anonymous_page: page 1 at P:heap:0", "anon_vma_prepare: new anon_vma P:heap"},
					Checks: []Check{{Text: "mapping(P:heap:0) == av(P:heap)", OK: true}},
				}},
			},
			{
				Narration: "The child gets an AVC to P's anon_vma and an anon_vma of its own.",
				Events:    []string{"fork P C"},
				Frames: []Frame{{
					Kernel: k,
					SVG:    placeholderSVG("after fork P C", "C:heap → av(C:heap), av(P:heap)", "page 1 → av(P:heap)"),
					Desc:   "C's heap VMA is chained to anon_vma C:heap and anon_vma P:heap.",
					Log:    []string{"anon_vma_fork: linked AVC 4 of C:heap to anon_vma P:heap"},
					Checks: []Check{{Text: "chain(C:heap:0) == [av(C:heap), av(P:heap)]", OK: true}},
				}},
			},
		},
	}
}

// swapinStory runs two kernels side by side; the first breaks invariants and oopses,
// and one of its checks fails.
func swapinStory() Story {
	kernels := []string{"2.6.34-rc3", "2.6.34"}
	frames := func(step int, rc3, fixed Frame) []Frame {
		rc3.Kernel, fixed.Kernel = kernels[0], kernels[1]
		rc3.SVG = placeholderSVG(fmt.Sprintf("step %d under %s", step, kernels[0]), "P:heap", "C:heap", "page 1")
		fixed.SVG = placeholderSVG(fmt.Sprintf("step %d under %s", step, kernels[1]), "P:heap", "C:heap", "page 1")
		return []Frame{rc3, fixed}
	}
	return Story{
		Slug:    "overly-anonymous",
		Title:   "The overly anonymous anon_vma",
		Summary: "The child swaps a shared page in first; under `2.6.34-rc3` the page ends up on the child's anon_vma.",
		Tags:    []string{"bug", "swap"},
		Kernels: kernels,
		Intro:   "This story needs the swap cache.",
		Outro:   "The fix sets the page's anon_vma to the **oldest** one.",
		Source:  "stories/overly-anonymous.yaml",
		Steps: []Step{
			{
				Narration: "P forks C after writing its page.",
				Events:    []string{"spawn P", "mmap P heap 1", "write P:heap:0", "fork P C"},
				Frames: frames(1,
					Frame{Desc: "P and C share page 1.", Log: []string{"anon_vma_fork: linked AVC 4 of C:heap to anon_vma P:heap"}},
					Frame{Desc: "P and C share page 1.", Log: []string{"anon_vma_fork: linked AVC 4 of C:heap to anon_vma P:heap"}}),
			},
			{
				Narration: "C reads the page back first.",
				Events:    []string{"read C:heap:0"},
				Differs:   []string{"C:heap:0 maps: a page on anon_vma C:heap under 2.6.34-rc3; a page on anon_vma P:heap under 2.6.34."},
				Frames: frames(2,
					Frame{
						Desc:       "Page 1 points at anon_vma C:heap.",
						Checks:     []Check{{Text: "mapping(C:heap:0) == av(P:heap)", Detail: "expected av(P:heap), got av(C:heap)"}},
						Violations: []string{"R1: page 1 is mapped by P:heap, which is not reachable from anon_vma C:heap"},
					},
					Frame{Desc: "Page 1 points at anon_vma P:heap.", Checks: []Check{{Text: "mapping(C:heap:0) == av(P:heap)", OK: true}}}),
			},
			{
				Narration: "Memory pressure walks the page.",
				Events:    []string{"exit C", "walk P:heap:0"},
				Frames: frames(3,
					Frame{Desc: "anon_vma C:heap is freed.", Oopses: []string{"page_referenced: page 1 → freed anon_vma C:heap"}},
					Frame{Desc: "The walk visits P:heap.", Checks: []Check{{Text: "no oops", OK: true}}}),
			},
		},
	}
}

// sampleModels are three models, one of which no sample story runs, and two fixes.
func sampleModels() ([]Model, []Fix) {
	return []Model{
			{Name: "2.6.34-rc3", Summary: "anon_vma_chain as first merged", Design: "anon_vma_chain",
				Traits: []string{"None of the fixes of the 2.6.34 cycle."}, Commits: []string{"5beb49305251"}},
			{Name: "2.6.34", Summary: "anon_vma_chain fixed", Design: "anon_vma_chain",
				Commits: []string{"5beb49305251", "ea90002b0fa7"}, Fixes: []string{"oldest-anon-vma"}},
			{Name: "2.6.36", Summary: "anon_vma->root", Design: "anon_vma_chain", Fixes: []string{"oldest-anon-vma"}},
		}, []Fix{
			{Name: "reuse-singular", Commit: "d0e9fe1758f2", Title: "Simplify anon_vma re-use"},
			{Name: "oldest-anon-vma", Commit: "ea90002b0fa7", Title: "pick the _oldest_ anonvma"},
		}
}

func sampleSite() Site {
	models, fixes := sampleModels()
	return Site{Title: "avdoc test site", Stories: []Story{forkStory(), swapinStory()}, Models: models, Fixes: fixes}
}
