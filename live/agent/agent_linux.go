//go:build linux && (amd64 || arm64)

package agent

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"unsafe"

	"golang.org/x/sys/unix"
)

// envAgent marks a re-executed program as an agent; agentFD is the
// agent's socket in it.
const (
	envAgent = "AVDOC_LIVE_AGENT"
	agentFD  = 3
)

// RunIfAgent turns the process into an agent, and never returns, if the
// controller started it as one; otherwise it returns at once. Call it first
// thing in main (or TestMain), before flags are parsed.
func RunIfAgent() {
	if os.Getenv(envAgent) != "1" {
		return
	}
	if _, err := unix.Getsockname(agentFD); err != nil {
		fmt.Fprintf(os.Stderr, "avdoc: %s is set but fd %d is not an agent socket (%v); the controller sets it, not a user\n", envAgent, agentFD, err)
		os.Exit(2)
	}
	// No collection may stop the world: the request loop below never
	// reaches a safe point, and nothing allocates after this.
	debug.SetGCPercent(-1)
	runtime.LockOSThread()
	serve(agentFD)
}

func unsafePtr(p *uintptr) unsafe.Pointer { return unsafe.Pointer(p) }
