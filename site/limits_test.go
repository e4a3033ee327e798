package site

import (
	"strings"
	"testing"
)

func TestLimits(t *testing.T) {
	files := []File{{Path: "a/index.html", Data: make([]byte, 60)}, {Path: "a/step-1.svg", Data: make([]byte, 50)},
		{Path: "b/index.html", Data: make([]byte, 40)}, {Path: "style.css", Data: make([]byte, 10)}}
	stories := []Story{{Slug: "a", Source: "a.yaml"}, {Slug: "b", Source: "b.yaml"}}
	tests := []struct {
		name      string
		lim       Limits
		over      []string // what each refusal starts with, in order
		keptSlugs string
	}{
		{"within", Limits{Page: 110, Site: 160}, nil, "a b"},
		{"page a over", Limits{Page: 100, Site: 160}, []string{"a.yaml: its page, with its diagrams, is 110 bytes; a page may be at most 100 bytes (raise the limit with --max-page-bytes N"}, "b"},
		{"site over", Limits{Page: 110, Site: 159}, []string{"the site is 160 bytes; a site may be at most 159 bytes (raise the limit with --max-site-bytes N"}, "a b"},
		{"both pages and site", Limits{Page: 39, Site: 1}, []string{"a.yaml: its page", "b.yaml: its page", "the site is 160 bytes"}, ""},
		{"zero takes the defaults", Limits{}, nil, "a b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			over := tt.lim.Over(files, stories)
			if len(over) != len(tt.over) {
				t.Fatalf("Over: %v; want %d refusals", over, len(tt.over))
			}
			for i, err := range over {
				if !strings.HasPrefix(err.Error(), tt.over[i]) {
					t.Errorf("refusal %d: %q; want it to start %q", i+1, err, tt.over[i])
				}
			}
			kept, _ := tt.lim.Within(files, stories)
			var slugs []string
			for _, s := range kept {
				slugs = append(slugs, s.Slug)
			}
			if got := strings.Join(slugs, " "); got != tt.keptSlugs {
				t.Errorf("Within keeps %q, want %q", got, tt.keptSlugs)
			}
		})
	}
}
