package main

import (
	"errors"
	"flag"

	"github.com/avdoc/avdoc/site"
)

// outputLimitFlags registers the flags of c.siteLimits.
func (c *cli) outputLimitFlags(fs *flag.FlagSet) {
	c.siteLimits = site.DefaultLimits()
	positiveFlag(fs, &c.siteLimits.Page, "max-page-bytes", "a story's page, with its diagrams, may weigh at most `N` bytes")
	positiveFlag(fs, &c.siteLimits.Site, "max-site-bytes", "the whole site may weigh at most `N` bytes")
}

// refuseOversize returns an inputError listing every limit files cross, or nil.
func refuseOversize(l site.Limits, files []site.File, stories []site.Story) error {
	if err := errors.Join(l.Over(files, stories)...); err != nil {
		return inputError{err}
	}
	return nil
}
