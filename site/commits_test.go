package site

import (
	"strings"
	"testing"
)

func TestCommitURL(t *testing.T) {
	tests := []struct {
		id, want string
	}{
		{"5beb49305251", commitPrefix + "5beb49305251"},
		{"2555283eb40d", commitPrefix + "2555283eb40d"},
		{"5beb49305251e9e7e3bd4e5b5d5a7b3c2a1f0e9d", commitPrefix + "5beb49305251e9e7e3bd4e5b5d5a7b3c2a1f0e9d"},
		{"b2e0caa9a0", ""},   // a BitKeeper-era id of the 2004 anon_vma: not in mainline git
		{"5BEB49305251", ""}, // not as git prints it
		{"5beb4930525g", ""},
		{"5beb49305251&x=1", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := commitURL(tt.id); got != tt.want {
			t.Errorf("commitURL(%q) = %q, want %q", tt.id, got, tt.want)
		}
	}
}

func TestStoryNeighbours(t *testing.T) {
	files := fileMap(mustBuild(t, sampleSite()))
	s := sampleSite()
	first, last := string(files[s.Stories[0].Slug+"/index.html"]), string(files[s.Stories[len(s.Stories)-1].Slug+"/index.html"])
	next := `<a class="next" rel="next" href="../` + s.Stories[1].Slug + `/index.html">`
	prev := `<a class="prev" rel="prev" href="../` + s.Stories[len(s.Stories)-2].Slug + `/index.html">`
	for _, c := range []struct {
		page, name, text string
		want             bool
	}{
		{first, "first story's next", next, true},
		{first, "first story's previous", `rel="prev"`, false},
		{last, "last story's previous", prev, true},
		{last, "last story's next", `rel="next"`, false},
	} {
		if got := strings.Contains(c.page, c.text); got != c.want {
			t.Errorf("%s: has %q = %v, want %v", c.name, c.text, got, c.want)
		}
	}
}
