package site

import (
	"slices"
	"strings"
)

// differences says how the kernels of a step part ways, one sentence each: first what the
// frames show (invariants broken, oopses, expectations that hold under one kernel only),
// then what the caller saw in the states (Step.Differs). A step of a one-kernel story
// has none.
func differences(step Step) []string {
	if len(step.Frames) < 2 {
		return nil
	}
	var out []string
	if s, ok := splitOn(step.Frames, violationNames); ok {
		out = append(out, "Invariants broken: "+s+".")
	}
	if s, ok := splitOn(step.Frames, oopsed); ok {
		out = append(out, "Oops (an rmap walk into freed memory): "+s+".")
	}
	out = append(out, checkDiffs(step.Frames)...)
	return append(out, step.Differs...)
}

// violationNames is the invariants a frame breaks, "R1, R2", or "none".
func violationNames(f Frame) string {
	var names []string
	for _, v := range f.Violations {
		name, _, _ := strings.Cut(v, ":")
		names = append(names, strings.TrimSpace(name))
	}
	slices.Sort(names)
	names = slices.Compact(names)
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// oopsed is "yes" if a walk of the frame's step reached freed memory, else "no".
func oopsed(f Frame) string {
	if len(f.Oopses) > 0 {
		return "yes"
	}
	return "no"
}

// checkDiffs names each expectation, written alike for every kernel, that holds under
// some kernels and fails under others.
func checkDiffs(frames []Frame) []string {
	var out []string
	for _, c := range frames[0].Checks {
		result := func(f Frame) string { return checkResult(f, c.Text) }
		if slices.ContainsFunc(frames, func(f Frame) bool { return result(f) == "" }) {
			continue // not expected under every kernel
		}
		if s, ok := splitOn(frames, result); ok {
			out = append(out, c.Text+": "+s+".")
		}
	}
	return slices.Compact(out)
}

// checkResult is "holds" or "fails" for the frame's expectation written text, "" if the
// frame has none.
func checkResult(f Frame, text string) string {
	for _, c := range f.Checks {
		switch {
		case c.Text != text:
		case c.OK:
			return "holds"
		default:
			return "fails"
		}
	}
	return ""
}

// splitOn groups the frames' kernels by value, in the order values first appear, and
// says so: "R1 under 2.6.34-rc3; none under 2.6.34". ok is false when all agree.
func splitOn(frames []Frame, value func(Frame) string) (s string, ok bool) {
	var values []string
	kernels := map[string][]string{} // value → kernels; only looked up, values keeps the order
	for _, f := range frames {
		v := value(f)
		if _, seen := kernels[v]; !seen {
			values = append(values, v)
		}
		kernels[v] = append(kernels[v], f.Kernel)
	}
	if len(values) < 2 {
		return "", false
	}
	parts := make([]string, len(values))
	for i, v := range values {
		parts[i] = v + " under " + strings.Join(kernels[v], ", ")
	}
	return strings.Join(parts, "; "), true
}
