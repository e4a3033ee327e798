package story

import (
	"bytes"
	"strings"
	"testing"
)

const skeletonBase = `title: Fork
summary: A process forks.
intro: |
  Before.
kernels: [2.6.33, 2.6.34]
steps:
  - do: [spawn P, mmap P heap 1, write P:heap]
    say: P writes.
    expect: [count(anon_vma) == 1]
  - do: fork P C
    say: |
      P forks C.
outro: After.
`

// Narration edits keep the skeleton; anything the simulation, the
// expectations or the diagrams read changes it.
func TestSkeleton(t *testing.T) {
	tests := []struct {
		name, old, new string
		same           bool
	}{
		{"say reworded", "say: P writes.", "say: P writes its heap.", true},
		{"say over more lines", "say: P writes.", "say: |\n      P\n      writes.\n\n      Really.", true},
		{"block say reworded", "      P forks C.\n", "      P forks C, its child.\n      A new line.\n", true},
		{"summary", "summary: A process forks.", "summary: One process forks.", true},
		{"intro", "  Before.\n", "  Long before.\n", true},
		{"outro", "outro: After.", "outro: And after.", true},
		{"a comment", "kernels: [2.6.33, 2.6.34]", "kernels: [2.6.33, 2.6.34] # two", true},
		{"title", "title: Fork", "title: Forks", false},
		{"an event", "do: fork P C", "do: fork P D", false},
		{"an expectation", "count(anon_vma) == 1", "count(anon_vma) == 2", false},
		{"kernels", "[2.6.33, 2.6.34]", "[2.6.34, 2.6.33]", false},
		{"say becomes a list", "say: P writes.", "say: [P writes.]", false},
		{"a show option", "say: P writes.", "say: P writes.\n    show: {ptes: true}", false},
		{"spacing in a flow list", "mmap P heap 1, write", "mmap P heap 1,  write", true},
		{"a step added", "expect: [count(anon_vma) == 1]", "expect: [count(anon_vma) == 1]\n  - do: exit P\n", false},
		{"say removed", "    say: P writes.\n", "", true},
	}
	base, err := Skeleton([]byte(skeletonBase))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(skeletonBase, tt.old, tt.new, 1)
			if src == skeletonBase {
				t.Fatalf("%q is not in the base story", tt.old)
			}
			got, err := Skeleton([]byte(src))
			if err != nil {
				t.Fatal(err)
			}
			if same := bytes.Equal(got, base); same != tt.same {
				t.Errorf("same skeleton: %v, want %v", same, tt.same)
			}
		})
	}
}

func TestSkeletonRefusesBadYAML(t *testing.T) {
	if _, err := Skeleton([]byte("title: [unclosed")); err == nil {
		t.Error("no error for YAML that does not parse")
	}
	deep := strings.Repeat("[", 300) + strings.Repeat("]", 300)
	if _, err := Skeleton([]byte("title: " + deep)); err == nil {
		t.Error("no error for nesting 300 deep")
	}
}
