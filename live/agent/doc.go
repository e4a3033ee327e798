// Package agent runs the processes of a live story as real Linux processes:
// a controller (a child subreaper) drives agent processes over sockets, and
// each agent maps, touches, protects, unmaps and forks its own memory with
// raw system calls, blocked between requests while the kernel is read.
//
// An agent is the running program re-executed in a hidden mode: a program
// that uses this package calls [RunIfAgent] first thing in main (tests: in
// TestMain). A fork event is a real fork(2) of the agent; the child runs the
// same request loop, which is //go:nosplit, allocates nothing and makes only
// raw system calls, so it never returns into the Go runtime it copied.
//
// Nothing outlives the controller: an agent exits when its socket reaches
// end of file, which happens when the controller closes it or dies, even by
// SIGKILL; the controller reaps the agents it spawned and, as a subreaper,
// those orphaned by an exit.
package agent
