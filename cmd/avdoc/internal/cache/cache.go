// Package cache is avdoc's store of work already done: rendered frames,
// layouts and whole drawn stories, each filed under a key that hashes
// everything its result depends on (content addressing). An entry is never
// updated in place: a changed input gives another key, so there is nothing
// to invalidate, and deleting the directory at any time only costs the
// next build its speed.
//
// Entries are written to a temporary file and renamed into place, so a
// reader sees a whole entry or none, and several avdoc processes can share
// one directory. Each entry carries a checksum of its data; an entry that
// does not match it (a disk error, a truncated copy) is removed and read as
// a miss. Entries not used for [MaxAge] are removed by [Cache.Trim].
package cache

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// MaxAge is how long an entry may go unused before Trim removes it.
const MaxAge = 5 * 24 * time.Hour

// touchAfter is how stale an entry's time of last use may get before a
// Get updates it: often enough for Trim, rarely enough to cost nothing.
const touchAfter = time.Hour

// trimEvery is how often Trim looks at the directory at all.
const trimEvery = 24 * time.Hour

// magic starts every entry file; a change of format changes it.
const magic = "avdoc-cache 1\n"

// readme is written into the cache directory for whoever finds it.
const readme = `This directory is avdoc's cache: frames, layouts and drawn stories it
has rendered before, filed under a hash of their inputs. It is safe to
delete at any time; the next build is slower, not different. Entries
unused for five days are removed automatically.
`

// Key names an entry: the SHA-256 of everything its data depends on.
type Key [sha256.Size]byte

// String returns the key in hexadecimal.
func (k Key) String() string { return hex.EncodeToString(k[:]) }

// NewKey hashes parts into a key. Each part is length-prefixed, so
// ("ab", "c") and ("a", "bc") give different keys. The first part should
// name the kind of entry and its format version, e.g. "frame v1".
func NewKey(parts ...[]byte) Key {
	h := sha256.New()
	var n [8]byte
	for _, p := range parts {
		binary.LittleEndian.PutUint64(n[:], uint64(len(p)))
		h.Write(n[:])
		h.Write(p)
	}
	var k Key
	h.Sum(k[:0])
	return k
}

// Cache is a cache directory. Its methods are safe for concurrent use,
// by goroutines and by processes sharing the directory.
type Cache struct {
	dir string
	now func() time.Time
}

// Open returns the cache in dir, creating the directory if need be.
func Open(dir string) (*Cache, error) {
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return nil, fmt.Errorf("cache: %w", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "README")); errors.Is(err, fs.ErrNotExist) {
		if err := writeAtomic(dir, filepath.Join(dir, "README"), []byte(readme)); err != nil {
			return nil, fmt.Errorf("cache: %w", err)
		}
	}
	return &Cache{dir: dir, now: time.Now}, nil
}

// Dir returns the cache's directory.
func (c *Cache) Dir() string { return c.dir }

// path is where the entry of k lives: a directory per first byte keeps
// directories small.
func (c *Cache) path(k Key) string {
	s := k.String()
	return filepath.Join(c.dir, s[:2], s)
}

// Get returns the data filed under k, and whether there was any. A
// damaged entry is removed and reported as a miss.
func (c *Cache) Get(k Key) ([]byte, bool) {
	p := c.path(k)
	raw, err := os.ReadFile(p)
	if err != nil {
		return nil, false
	}
	data, ok := decode(raw)
	if !ok {
		os.Remove(p)
		return nil, false
	}
	if info, err := os.Stat(p); err == nil && c.now().Sub(info.ModTime()) > touchAfter {
		now := c.now()
		os.Chtimes(p, now, now) // best effort: only Trim reads it
	}
	return data, true
}

// Put files data under k.
func (c *Cache) Put(k Key, data []byte) error {
	p := c.path(k)
	if err := os.MkdirAll(filepath.Dir(p), 0o777); err != nil {
		return fmt.Errorf("cache: %w", err)
	}
	if err := writeAtomic(filepath.Dir(p), p, encode(data)); err != nil {
		return fmt.Errorf("cache: %w", err)
	}
	return nil
}

// encode frames data as an entry: magic, the data's SHA-256, its length,
// the data.
func encode(data []byte) []byte {
	sum := sha256.Sum256(data)
	out := make([]byte, 0, len(magic)+len(sum)+8+len(data))
	out = append(out, magic...)
	out = append(out, sum[:]...)
	out = binary.LittleEndian.AppendUint64(out, uint64(len(data)))
	return append(out, data...)
}

// decode returns an entry's data, and false if the entry is not whole.
func decode(raw []byte) ([]byte, bool) {
	head := len(magic) + sha256.Size + 8
	if len(raw) < head || string(raw[:len(magic)]) != magic {
		return nil, false
	}
	sum := raw[len(magic) : len(magic)+sha256.Size]
	n := binary.LittleEndian.Uint64(raw[head-8 : head])
	data := raw[head:]
	if uint64(len(data)) != n {
		return nil, false
	}
	got := sha256.Sum256(data)
	return data, bytes.Equal(got[:], sum)
}

// writeAtomic writes data to a temporary file in dir and renames it to
// path, so that no reader ever sees part of it.
func writeAtomic(dir, path string, data []byte) error {
	f, err := os.CreateTemp(dir, ".tmp-")
	if err != nil {
		return err
	}
	_, werr := f.Write(data)
	cerr := f.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(f.Name())
		return err
	}
	if err := os.Rename(f.Name(), path); err != nil {
		os.Remove(f.Name())
		return err
	}
	return nil
}

// graphvizDir is the directory of the cache that internal/gvcache gives
// go-graphviz for its compiled WebAssembly; Trim leaves it alone.
const graphvizDir = "graphviz"

// Trim removes the entries not used for MaxAge, and temporary files
// left by interrupted writes. It does the work at most once a day per
// directory, and returns how many files it removed.
func (c *Cache) Trim() (int, error) {
	stamp := filepath.Join(c.dir, "trim.txt")
	now := c.now()
	if b, err := os.ReadFile(stamp); err == nil {
		if t, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64); err == nil &&
			now.Sub(time.Unix(t, 0)) < trimEvery {
			return 0, nil
		}
	}
	removed := 0
	err := filepath.WalkDir(c.dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() && p == filepath.Join(c.dir, graphvizDir) {
			return filepath.SkipDir // go-graphviz's compiled module: read, never rewritten, kept
		}
		if err != nil || d.IsDir() || filepath.Dir(p) == c.dir {
			return nil // the README and trim.txt stay; unreadable parts are skipped
		}
		info, err := d.Info()
		if err != nil {
			return nil
		}
		if now.Sub(info.ModTime()) > MaxAge ||
			(strings.HasPrefix(d.Name(), ".tmp-") && now.Sub(info.ModTime()) > touchAfter) {
			if os.Remove(p) == nil {
				removed++
			}
		}
		return nil
	})
	if err != nil {
		return removed, fmt.Errorf("cache: trimming %s: %w", c.dir, err)
	}
	if err := writeAtomic(c.dir, stamp, []byte(strconv.FormatInt(now.Unix(), 10)+"\n")); err != nil {
		return removed, fmt.Errorf("cache: %w", err)
	}
	return removed, nil
}
