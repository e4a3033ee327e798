package kread

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestProbeSaysWhy(t *testing.T) {
	dir := t.TempDir()
	file := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	btf := file("vmlinux", "")
	integrity := file("lockdown-integrity", "none [integrity] confidentiality\n")
	confidential := file("lockdown-confidentiality", "none integrity [confidentiality]\n")
	proc := []string{file("kpagecount", "")}
	tests := []struct {
		name string
		m    machine
		want Reason // 0: readable
	}{
		{"root with everything", machine{0, btf, integrity, proc}, 0},
		{"no lockdown file", machine{0, btf, filepath.Join(dir, "none"), proc}, 0},
		{"not root", machine{1000, btf, integrity, proc}, NotRoot},
		{"no BTF", machine{0, filepath.Join(dir, "none"), integrity, proc}, NoBTF},
		{"lockdown", machine{0, btf, confidential, proc}, Lockdown},
		{"no kpageflags", machine{0, btf, integrity, []string{filepath.Join(dir, "none")}}, NoProc},
	}
	for _, tt := range tests {
		err := tt.m.probe()
		var u *UnavailableError
		switch {
		case tt.want == 0 && err != nil:
			t.Errorf("%s: %v, want readable", tt.name, err)
		case tt.want != 0 && (!errors.As(err, &u) || u.Reason != tt.want):
			t.Errorf("%s: %v, want %s", tt.name, err, tt.want)
		}
	}
}
