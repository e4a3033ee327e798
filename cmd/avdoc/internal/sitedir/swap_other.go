//go:build !linux && !darwin

package sitedir

// exchange swaps the directories dir and out: here with three renames,
// as no system call swaps two names in one step (see exchangeByRenames).
func exchange(dir, out string) error { return exchangeByRenames(dir, out) }
