package kread

// The BPF object and its bindings are committed: building avdoc needs only
// Go. Rebuilding them needs clang and libbpf's headers (Debian: clang
// libbpf-dev); TestObjectMatchesSource checks the committed ones.
//go:generate go run github.com/cilium/ebpf/cmd/bpf2go -cc clang -cflags "-O2 -g -Wall -Werror -I/usr/include/bpf -I/usr/include/x86_64-linux-gnu -I/usr/include/aarch64-linux-gnu" -target bpfel -go-package kread -output-stem taskvma taskVMA bpf/taskvma.bpf.c
//go:generate go run github.com/cilium/ebpf/cmd/bpf2go -cc clang -cflags "-O2 -g -Wall -Werror -I/usr/include/bpf -I/usr/include/x86_64-linux-gnu -I/usr/include/aarch64-linux-gnu" -target bpfel -go-package kread -output-stem page structPage bpf/page.bpf.c
