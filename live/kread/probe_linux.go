package kread

import (
	"errors"
	"fmt"
	"os"
	"strings"
)

// Reason says why the live kernel cannot be read here.
type Reason int

// The reasons.
const (
	NotRoot        Reason = iota + 1 // reading kernel memory through BPF needs root (CAP_BPF and CAP_PERFMON)
	NoBTF                            // the kernel has no BTF (CONFIG_DEBUG_INFO_BTF): nothing to relocate against
	Lockdown                         // lockdown=confidentiality forbids reading kernel memory
	ProgramRefused                   // the kernel refused to load or attach a BPF program
	NoProc                           // a /proc file the reader needs is missing or unreadable
)

var reasonText = map[Reason]string{
	NotRoot:        "not root",
	NoBTF:          "no kernel BTF",
	Lockdown:       "kernel lockdown",
	ProgramRefused: "a BPF program type refused",
	NoProc:         "a /proc file unreadable",
}

func (r Reason) String() string { return reasonText[r] }

// UnavailableError says why the live kernel cannot be read here.
type UnavailableError struct {
	Reason Reason
	Detail string // what exactly, and a hint
	Err    error  // the underlying error, or nil
}

func (e *UnavailableError) Error() string {
	s := "the live kernel cannot be read here: " + e.Reason.String() + ": " + e.Detail
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *UnavailableError) Unwrap() error { return e.Err }

// machine says where Probe looks: the real machine, or a test's files.
type machine struct {
	euid     int
	btf      string   // the kernel's own BTF
	lockdown string   // the lockdown setting
	proc     []string // the /proc files the page reader opens
}

// Probe checks, before anything is loaded, what the reader needs: root,
// kernel BTF, no confidentiality lockdown, and the /proc page files.
// Loading the programs is the last probe: Open reports a refusal as
// ProgramRefused.
func Probe() error {
	return machine{
		euid:     os.Geteuid(),
		btf:      "/sys/kernel/btf/vmlinux",
		lockdown: "/sys/kernel/security/lockdown",
		proc:     []string{"/proc/self/pagemap", "/proc/kpagecount", "/proc/kpageflags"},
	}.probe()
}

func (m machine) probe() error {
	if m.euid != 0 {
		return &UnavailableError{Reason: NotRoot, Detail: fmt.Sprintf("running as uid %d; run as root", m.euid)}
	}
	if _, err := os.Stat(m.btf); err != nil {
		return &UnavailableError{Reason: NoBTF, Detail: m.btf + " is missing (a kernel built without CONFIG_DEBUG_INFO_BTF)", Err: err}
	}
	if b, err := os.ReadFile(m.lockdown); err == nil && strings.Contains(string(b), "[confidentiality]") {
		return &UnavailableError{Reason: Lockdown, Detail: "lockdown is confidentiality: bpf_probe_read_kernel is forbidden"}
	}
	for _, p := range m.proc {
		f, err := os.Open(p)
		if err != nil {
			return &UnavailableError{Reason: NoProc, Detail: p, Err: err}
		}
		f.Close()
	}
	return nil
}

// refused wraps a load or attach error as ProgramRefused.
func refused(what string, err error) error {
	var u *UnavailableError
	if errors.As(err, &u) {
		return err
	}
	return &UnavailableError{Reason: ProgramRefused, Detail: what, Err: err}
}
