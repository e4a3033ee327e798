//go:build !(linux && (amd64 || arm64))

package agent

// RunIfAgent returns at once: agents run only on Linux (amd64, arm64).
func RunIfAgent() {}
