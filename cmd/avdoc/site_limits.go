package main

import (
	"errors"
	"flag"
	"fmt"
	"slices"
	"strings"

	"github.com/avdoc/avdoc/site"
)

// outputLimits bound what a site may weigh: each story's page with its
// diagrams, and the whole site; zero takes the default. `avdoc build` writes nothing past them,
// and `avdoc serve`, which keeps the site in memory, serves nothing past
// them. --max-frames bounds the diagrams a story draws; these bound their
// bytes, and the narration's.
type outputLimits struct {
	page, site int64
}

// defaultOutputLimits: the 25 shipped stories make a site of 5.6 MB whose
// largest page, with its diagrams, is 0.5 MB (story 08). A page may be
// 32 MiB, sixty times that, room for a story at the default --max-frames
// of 1000 diagrams of about 30 KB each; a site 512 MiB, ninety times the
// shipped one, which serve can hold in memory.
func defaultOutputLimits() outputLimits {
	return outputLimits{page: 32 << 20, site: 512 << 20}
}

// withDefaults returns o with every unset limit set to its default.
func (o outputLimits) withDefaults() outputLimits {
	d := defaultOutputLimits()
	if o.page <= 0 {
		o.page = d.page
	}
	if o.site <= 0 {
		o.site = d.site
	}
	return o
}

// outputLimitFlags registers the flags of c.output.
func (c *cli) outputLimitFlags(fs *flag.FlagSet) {
	c.siteLimits = defaultOutputLimits()
	positiveFlag(fs, &c.siteLimits.page, "max-page-bytes", "a story's page, with its diagrams, may weigh at most `N` bytes")
	positiveFlag(fs, &c.siteLimits.site, "max-site-bytes", "the whole site may weigh at most `N` bytes")
}

// check measures a site's files: it returns the problem of each story
// whose page (the files under its slug) is past the page limit, by
// slug, and that of the whole site if it is past the site limit.
func (o outputLimits) check(files []site.File, stories []site.Story) (pages map[string]error, whole error) {
	o = o.withDefaults()
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
		if n := bySlug[s.Slug]; n > o.page {
			pages[s.Slug] = fmt.Errorf("%s: its page, with its diagrams, is %d bytes; a page may be at most %d bytes (raise the limit with --max-page-bytes N, or draw fewer steps or kernels)", s.Source, n, o.page)
		}
	}
	if total > o.site {
		whole = fmt.Errorf("the site is %d bytes; a site may be at most %d bytes (raise the limit with --max-site-bytes N, or build fewer stories)", total, o.site)
	}
	return pages, whole
}

// refuse returns an inputError listing every limit files cross, in
// story order, or nil.
func (o outputLimits) refuse(files []site.File, stories []site.Story) error {
	pages, whole := o.check(files, stories)
	var errs []error
	for _, s := range stories {
		if err := pages[s.Slug]; err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(append(errs, whole)...); err != nil {
		return inputError{err}
	}
	return nil
}

// within returns the stories whose pages are within the page limit, and
// the problems of the others.
func (o outputLimits) within(files []site.File, stories []site.Story) ([]site.Story, []string) {
	pages, _ := o.check(files, stories)
	var problems []string
	kept := slices.DeleteFunc(slices.Clone(stories), func(s site.Story) bool {
		if err := pages[s.Slug]; err != nil {
			problems = append(problems, err.Error())
			return true
		}
		return false
	})
	return kept, problems
}
