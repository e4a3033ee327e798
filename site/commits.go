package site

import "strings"

// commitURL links a kernel commit to the mainline history, or returns "" when id is not
// a mainline commit id. The kernel abbreviates git commits to 12 hex digits (the form of
// "Fixes:" tags, Documentation/process/submitting-patches.rst), and the models cite
// them so; the shorter ids of the 2004 changes are from the BitKeeper era, which
// mainline git does not have, so they are shown without a link.
func commitURL(id string) string {
	if len(id) < 12 || len(id) > 40 || strings.Trim(id, "0123456789abcdef") != "" {
		return ""
	}
	return commitPrefix + id
}

// commitPrefix is the address of a mainline commit, less its id.
const commitPrefix = "https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/commit/?id="
