// Package livestory runs stories on the running kernel: the story
// machines for `kernel: live`, and `avdoc live`'s step-by-step comparison
// of the kernel with a model.
package livestory
