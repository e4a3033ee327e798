package site

import (
	"fmt"
	"slices"
	"strings"
)

// Limits bound what a site may weigh: each story's page with its diagrams,
// and the whole site. A build writes nothing past them, and a server that
// keeps the site in memory serves nothing past them. The number of
// diagrams a story draws is bounded before it runs (story.Limits); these
// bound their bytes, and the narration's.
type Limits struct {
	Page, Site int64 // bytes; zero or less takes the default
}

// DefaultLimits: the 25 shipped stories make a site of 5.6 MB whose
// largest page, with its diagrams, is 0.5 MB (story 08). A page may be
// 32 MiB, sixty times that, room for a story at the default of 1000
// diagrams of about 30 KB each; a site 512 MiB, ninety times the shipped
// one, which a preview server can hold in memory.
func DefaultLimits() Limits { return Limits{Page: 32 << 20, Site: 512 << 20} }

// Bytes returns the page and site limits in force: l's, or the defaults
// for those unset.
func (l Limits) Bytes() (page, site int64) {
	l = l.withDefaults()
	return l.Page, l.Site
}

// withDefaults returns l with every unset limit set to its default.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.Page <= 0 {
		l.Page = d.Page
	}
	if l.Site <= 0 {
		l.Site = d.Site
	}
	return l
}

// Check measures a site's files: it returns the problem of each story
// whose page (the files under its slug) is past the page limit, by slug,
// and that of the whole site if it is past the site limit. The messages
// name the flags that raise the limits, --max-page-bytes and
// --max-site-bytes.
func (l Limits) Check(files []File, stories []Story) (pages map[string]error, whole error) {
	l = l.withDefaults()
	bySlug := map[string]int64{}
	var total int64
	for _, f := range files {
		total += int64(len(f.Data))
		if dir, _, ok := strings.Cut(f.Path, "/"); ok {
			bySlug[dir] += int64(len(f.Data))
		}
	}
	pages = map[string]error{}
	for _, s := range stories {
		if n := bySlug[s.Slug]; n > l.Page {
			pages[s.Slug] = fmt.Errorf("%s: its page, with its diagrams, is %d bytes; a page may be at most %d bytes (raise the limit with --max-page-bytes N, or draw fewer steps or kernels)", s.Source, n, l.Page)
		}
	}
	if total > l.Site {
		whole = fmt.Errorf("the site is %d bytes; a site may be at most %d bytes (raise the limit with --max-site-bytes N, or build fewer stories)", total, l.Site)
	}
	return pages, whole
}

// Over lists, in story order, every limit the files cross.
func (l Limits) Over(files []File, stories []Story) []error {
	pages, whole := l.Check(files, stories)
	var errs []error
	for _, s := range stories {
		if err := pages[s.Slug]; err != nil {
			errs = append(errs, err)
		}
	}
	if whole != nil {
		errs = append(errs, whole)
	}
	return errs
}

// Within returns the stories whose pages are within the page limit, and
// the problems of the others.
func (l Limits) Within(files []File, stories []Story) ([]Story, []string) {
	pages, _ := l.Check(files, stories)
	var problems []string
	kept := slices.DeleteFunc(slices.Clone(stories), func(s Story) bool {
		if err := pages[s.Slug]; err != nil {
			problems = append(problems, err.Error())
			return true
		}
		return false
	})
	return kept, problems
}
