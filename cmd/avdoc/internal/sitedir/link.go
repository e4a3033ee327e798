package sitedir

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"

	"github.com/avdoc/avdoc/site"
)

// Files a build writes that the site it replaces already holds, byte for
// byte, are hard-linked from that site rather than written again (as
// rsync --link-dest does): creating hundreds of inodes right after the
// last build freed hundreds is slow on ext4, and most files of a rebuild
// are unchanged. It is safe because avdoc never writes into an existing
// file: every file of a staging directory is created new (newFile), and
// removing the old site only unlinks its names, so the new site keeps
// its files. A file is linked only if the old site's manifest lists it
// with the new content's size and SHA-256, it is reached through real
// directories (no symbolic link), and, once linked, it reads back as the
// new content: an old file someone changed is written anew instead.

// oldSite is what a build may link from: the output's manifest entries,
// by path, read once (nil if it has none).
type oldSite struct {
	dir    string
	listed map[string]manifestEntry
}

// readOld reads the manifest of the site in out, if any: with none, or a
// damaged one, nothing is linked.
func readOld(out string) *oldSite {
	listed, err := readManifest(out)
	if err != nil {
		return &oldSite{dir: out}
	}
	return &oldSite{dir: out, listed: listed}
}

// sum is the SHA-256 of data, in hex, as manifests hold it.
func sum(data []byte) string {
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:])
}

// link puts f below root as a hard link to the old site's copy, if that
// holds f's content (whose SHA-256 is fsum), and reports whether it did.
// On any doubt it leaves nothing at f's path and reports false.
func (o *oldSite) link(root string, f site.File, fsum string) bool {
	e, ok := o.listed[f.Path]
	if !ok || e.size != int64(len(f.Data)) || e.sum != fsum || !realDirs(o.dir, path.Dir(f.Path)) {
		return false
	}
	dst := filepath.Join(root, filepath.FromSlash(f.Path))
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return false
	}
	if err := os.Link(filepath.Join(o.dir, filepath.FromSlash(f.Path)), dst); err != nil {
		return false
	}
	if info, err := os.Lstat(dst); err == nil && info.Mode().IsRegular() {
		if got, err := os.ReadFile(dst); err == nil && bytes.Equal(got, f.Data) {
			return true
		}
	}
	os.Remove(dst)
	return false
}

// realDirs reports whether the directory rel (slash-separated) and every
// one above it below root are directories, not symbolic links.
func realDirs(root, rel string) bool {
	for ; rel != "." && rel != "/"; rel = path.Dir(rel) {
		info, err := os.Lstat(filepath.Join(root, filepath.FromSlash(rel)))
		if err != nil || !info.IsDir() {
			return false
		}
	}
	return true
}

// newFile writes data into a new file at path: whatever is there (a link
// to an old site's file, say) is unlinked first, never written through.
func newFile(path string, data []byte) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	return errors.Join(err, f.Close())
}
