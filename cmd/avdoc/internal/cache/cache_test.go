package cache

import (
	"bytes"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

func TestKeyIsLengthPrefixed(t *testing.T) {
	tests := []struct {
		a, b [][]byte
		same bool
	}{
		{[][]byte{[]byte("ab"), []byte("c")}, [][]byte{[]byte("a"), []byte("bc")}, false},
		{[][]byte{[]byte("abc")}, [][]byte{[]byte("ab"), []byte("c")}, false},
		{[][]byte{nil}, [][]byte{}, false},
		{[][]byte{[]byte("frame v1"), []byte("x")}, [][]byte{[]byte("frame v1"), []byte("x")}, true},
	}
	for _, tt := range tests {
		if got := NewKey(tt.a...) == NewKey(tt.b...); got != tt.same {
			t.Errorf("NewKey(%q) == NewKey(%q): %v, want %v", tt.a, tt.b, got, tt.same)
		}
	}
}

func TestPutGet(t *testing.T) {
	c, err := Open(filepath.Join(t.TempDir(), "c"))
	if err != nil {
		t.Fatal(err)
	}
	k := NewKey([]byte("test"), []byte("one"))
	if _, ok := c.Get(k); ok {
		t.Fatal("Get of an empty cache hit")
	}
	want := []byte("<svg>frame</svg>")
	if err := c.Put(k, want); err != nil {
		t.Fatal(err)
	}
	got, ok := c.Get(k)
	if !ok || !bytes.Equal(got, want) {
		t.Fatalf("Get = %q, %v; want %q, true", got, ok, want)
	}
	if _, ok := c.Get(NewKey([]byte("test"), []byte("two"))); ok {
		t.Error("Get of another key hit")
	}
	if b, err := os.ReadFile(filepath.Join(c.Dir(), "README")); err != nil || !bytes.Contains(b, []byte("safe to")) {
		t.Errorf("README: %q, %v", b, err)
	}
}

// A damaged entry is a miss, and is removed.
func TestDamagedEntriesAreMisses(t *testing.T) {
	damage := map[string]func([]byte) []byte{
		"truncated":   func(b []byte) []byte { return b[:len(b)-3] },
		"flipped bit": func(b []byte) []byte { b[len(b)-1] ^= 1; return b },
		"empty":       func([]byte) []byte { return nil },
		"other magic": func(b []byte) []byte { b[0] = 'x'; return b },
		"longer":      func(b []byte) []byte { return append(b, 'x') },
	}
	for name, f := range damage {
		t.Run(name, func(t *testing.T) {
			c, err := Open(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			k := NewKey([]byte(name))
			if err := c.Put(k, []byte("some data of an entry")); err != nil {
				t.Fatal(err)
			}
			p := c.path(k)
			raw, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, f(raw), 0o666); err != nil {
				t.Fatal(err)
			}
			if got, ok := c.Get(k); ok {
				t.Fatalf("damaged entry read as %q", got)
			}
			if _, err := os.Stat(p); !os.IsNotExist(err) {
				t.Errorf("damaged entry left in place: %v", err)
			}
		})
	}
}

func TestConcurrentWritersAndReaders(t *testing.T) {
	dir := t.TempDir()
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := Open(dir) // as separate processes would
			if err != nil {
				t.Error(err)
				return
			}
			for i := range 50 {
				k := NewKey([]byte{byte(i)})
				want := bytes.Repeat([]byte{byte(i)}, 1000+i)
				if err := c.Put(k, want); err != nil {
					t.Errorf("writer %d: %v", w, err)
				}
				if got, ok := c.Get(k); !ok || !bytes.Equal(got, want) {
					t.Errorf("writer %d read back %d bytes, %v", w, len(got), ok)
				}
			}
		}()
	}
	wg.Wait()
}

func TestTrimRemovesOnlyUnusedEntries(t *testing.T) {
	c, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	c.now = func() time.Time { return now }
	old, fresh, used := NewKey([]byte("old")), NewKey([]byte("fresh")), NewKey([]byte("used"))
	for _, k := range []Key{old, fresh, used} {
		if err := c.Put(k, []byte("x")); err != nil {
			t.Fatal(err)
		}
	}
	age := func(k Key, d time.Duration) {
		if err := os.Chtimes(c.path(k), now.Add(-d), now.Add(-d)); err != nil {
			t.Fatal(err)
		}
	}
	// go-graphviz's compiled module (see internal/gvcache) is only ever
	// read, so its time says nothing about its use: it stays.
	compiled := filepath.Join(c.Dir(), graphvizDir, "go-graphviz", "wazero-v1", "module")
	if err := os.MkdirAll(filepath.Dir(compiled), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(compiled, []byte("wasm"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(compiled, now.Add(-2*MaxAge), now.Add(-2*MaxAge)); err != nil {
		t.Fatal(err)
	}
	age(old, MaxAge+time.Hour)
	age(fresh, MaxAge-time.Hour)
	age(used, MaxAge+time.Hour)
	if _, ok := c.Get(used); !ok { // a use refreshes the entry
		t.Fatal("miss")
	}
	n, err := c.Trim()
	if err != nil || n != 1 {
		t.Fatalf("Trim = %d, %v; want 1 entry removed", n, err)
	}
	for k, want := range map[Key]bool{old: false, fresh: true, used: true} {
		if _, ok := c.Get(k); ok != want {
			t.Errorf("after Trim, entry %s present: %v, want %v", k.String()[:8], ok, want)
		}
	}
	age(fresh, MaxAge+time.Hour)
	if n, _ := c.Trim(); n != 0 {
		t.Errorf("a second Trim within a day removed %d entries", n)
	}
	now = now.Add(trimEvery + time.Minute)
	if n, _ := c.Trim(); n != 1 {
		t.Errorf("a Trim a day later removed %d entries, want 1", n)
	}
	if _, err := os.Stat(compiled); err != nil {
		t.Errorf("Trim removed go-graphviz's compiled module: %v", err)
	}
	if _, err := os.Stat(filepath.Join(c.Dir(), "README")); err != nil {
		t.Errorf("Trim removed the README: %v", err)
	}
}
