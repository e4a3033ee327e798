package story

// Suggest returns a "did you mean …?" hint naming the candidate closest to
// word, or "" if none is close enough to be a likely typo. The CLI uses it
// for command names, so that every hint in avdoc reads the same.
func Suggest(word string, candidates []string) string { return suggest(word, candidates) }
