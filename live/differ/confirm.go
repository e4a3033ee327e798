package differ

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/avdoc/avdoc/live/livestory"
	"github.com/avdoc/avdoc/story"
)

// Confirm runs a story written from a finding as avdoc check would, on
// the running kernel and the model, and returns it without the
// expectations that did not hold (each a line of its own), with how
// many went. What is left held on this run. A story that does not
// parse or run, or a step that broke an invariant no expectation names,
// is an error.
func Confirm(file string, src []byte) ([]byte, int, error) {
	dropped := 0
	for try := 0; try < 3; try++ {
		s, err := story.Parse(file, src)
		if err != nil {
			return nil, dropped, fmt.Errorf("the story written does not parse: %w", err)
		}
		res, err := story.ExecuteOn(s, livestory.Machines)
		if err != nil {
			return nil, dropped, fmt.Errorf("the story written does not run: %w", err)
		}
		if len(res.Failures) == 0 {
			return src, dropped, nil
		}
		var lines []int
		for _, f := range res.Failures {
			if f.Unnamed {
				return nil, dropped, errors.New(f.String())
			}
			lines = append(lines, f.Pos.Line)
		}
		src, dropped = dropLines(src, lines), dropped+len(lines)
	}
	return nil, dropped, errors.New("the story's expectations keep failing on the live kernel")
}

// dropLines removes the 1-based lines of src.
func dropLines(src []byte, lines []int) []byte {
	all := strings.SplitAfter(string(src), "\n")
	var out strings.Builder
	for i, l := range all {
		if !slices.Contains(lines, i+1) {
			out.WriteString(l)
		}
	}
	return []byte(out.String())
}
