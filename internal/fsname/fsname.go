// Package fsname turns names that a story makes up, such as a custom
// kernel's, into parts of file names: the site, the golden diagrams of
// `avdoc check` and the story parser, which refuses names that would
// share a file, all use it, so they agree on which names collide.
package fsname

import "strings"

// Part maps every byte of name outside [A-Za-z0-9._-] to '_', so that
// any name becomes a harmless part of a file name: no '/', no control
// character, nothing a shell or a URL treats specially.
func Part(name string) string {
	b := []byte(name)
	for i, c := range b {
		if !safe(c) {
			b[i] = '_'
		}
	}
	return string(b)
}

func safe(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-'
}

// Key is the form under which two names share a file: their Parts, with
// case folded, since the file systems of macOS and Windows do not tell
// "RC3" from "rc3". Names with the same Key must not both name files in
// one directory.
func Key(name string) string { return strings.ToLower(Part(name)) }
