package kread

import (
	"errors"
	"os"
	"testing"

	"github.com/avdoc/avdoc/live/agent"
)

func TestMain(m *testing.M) {
	agent.RunIfAgent()
	os.Exit(m.Run())
}

// base is where the tests map their regions.
const base = 0x200000000000

// openReader opens a reader, or skips (fails under CI=true) when the live
// kernel cannot be read here.
func openReader(t *testing.T, lo, hi uint64) *Reader {
	t.Helper()
	r, err := Open(lo, hi)
	var u *UnavailableError
	if errors.As(err, &u) && os.Getenv("CI") != "true" {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := r.Close(); err != nil {
			t.Error(err)
		}
	})
	return r
}

func TestForkedVMAChain(t *testing.T) {
	r := openReader(t, base, base+1<<30)
	c, err := agent.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	p, err := c.Spawn()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Mmap(base, 4, true); err != nil {
		t.Fatal(err)
	}
	if err := p.Touch(base, 1, true); err != nil {
		t.Fatal(err)
	}
	ch, err := p.Fork()
	if err != nil {
		t.Fatal(err)
	}
	if err := r.SetPids([]int{p.Pid(), ch.Pid()}); err != nil {
		t.Fatal(err)
	}
	vmas, err := r.VMAs()
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vmas {
		t.Logf("%+v", v)
	}
	if len(vmas) != 2 {
		t.Fatalf("read %d VMAs, want 2", len(vmas))
	}
}
