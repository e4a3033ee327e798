package agent

// The requests an agent serves. Addresses and lengths are in bytes.
const (
	opMmap     = iota + 1 // A addr, B len, C prot: mmap MAP_FIXED_NOREPLACE, then MADV_NOHUGEPAGE
	opTouch               // A addr, B pages, C 1 to write (D the byte), 0 to read
	opMprotect            // A addr, B len, C prot
	opMunmap              // A addr, B len
	opMremap              // A old addr, B old len, C new len, D flags, E new addr
	opMadvise             // A addr, B len, C advice
	opFork                // reply: Val the child's pid, and the child's socket (SCM_RIGHTS)
	opExit                // no reply: exit_group(0)
	opPing                // reply: Val the agent's pid
)

// request is one request, as sent on an agent's socket (SOCK_SEQPACKET: one
// request a message).
type request struct {
	Op            uint64
	A, B, C, D, E uint64
}

// reply answers a request: Errno is the failing system call's errno, or 0.
type reply struct {
	Errno uint64
	Val   uint64
}

const (
	requestSize = 48
	replySize   = 16
	pageSize    = 4096
)
