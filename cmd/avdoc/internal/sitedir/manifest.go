package sitedir

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/avdoc/avdoc/site"
)

// ManifestName is the file in which avdoc lists every file of a site it
// built, with its size and SHA-256: the proof that it built the
// directory, checked before the directory is replaced. A directory
// holding any file the manifest does not list, or a listed file that
// changed since, is never replaced.
const ManifestName = ".avdoc-site"

// manifestHeader is the first line of a manifest.
const manifestHeader = "avdoc site manifest v1: every file avdoc wrote here; `avdoc build` replaces this directory only if it holds these files alone, unchanged"

// manifestEntry is one file of a site as avdoc wrote it.
type manifestEntry struct {
	size int64
	sum  string // SHA-256, hex
}

// sums returns the SHA-256 of each file's data, in hex.
func sums(files []site.File) []string {
	out := make([]string, len(files))
	for i, f := range files {
		out[i] = sum(f.Data)
	}
	return out
}

// manifest returns the manifest of files, given each file's SHA-256 in
// hex (see [sums]): a header, then one line per file, sorted: its
// SHA-256, its size and its path, quoted.
func manifest(files []site.File, sums []string) []byte {
	var b bytes.Buffer
	b.WriteString(manifestHeader + "\n")
	lines := make([]string, 0, len(files))
	for i, f := range files {
		lines = append(lines, fmt.Sprintf("%s %d %s\n", sums[i], len(f.Data), strconv.Quote(f.Path)))
	}
	slices.Sort(lines)
	for _, l := range lines {
		b.WriteString(l)
	}
	return b.Bytes()
}

// readManifest parses the manifest of the site in dir: its files by
// path.
func readManifest(dir string) (map[string]manifestEntry, error) {
	f, err := os.Open(filepath.Join(dir, ManifestName))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<16)
	if !sc.Scan() || sc.Text() != manifestHeader {
		return nil, errors.New("its " + ManifestName + " is not a manifest of this avdoc's (built by an older avdoc, or not by avdoc)")
	}
	out := map[string]manifestEntry{}
	for sc.Scan() {
		sum, rest, ok1 := strings.Cut(sc.Text(), " ")
		size, quoted, ok2 := strings.Cut(rest, " ")
		n, err1 := strconv.ParseInt(size, 10, 64)
		p, err2 := strconv.Unquote(quoted)
		if !ok1 || !ok2 || err1 != nil || err2 != nil || len(sum) != 64 {
			return nil, fmt.Errorf("its %s is damaged at %q", ManifestName, sc.Text())
		}
		out[p] = manifestEntry{size: n, sum: sum}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading its %s: %w", ManifestName, err)
	}
	return out, nil
}

// CheckOwnSite returns nil if dir is a site avdoc built, untouched since:
// it has a manifest, and every file below it is listed there with the
// size and SHA-256 avdoc wrote. Files listed but gone are fine (nothing
// of anyone's would be lost); anything else, a file, directory or link
// not listed or a file changed, is not avdoc's, and the error names it.
func CheckOwnSite(dir string) error {
	listed, err := readManifest(dir)
	if err != nil {
		return err
	}
	dirs := map[string]bool{".": true}
	for p := range listed {
		for d := path.Dir(p); !dirs[d]; d = path.Dir(d) {
			dirs[d] = true
		}
	}
	return filepath.WalkDir(dir, func(full string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, full) // full is below dir
		rel = filepath.ToSlash(rel)
		switch {
		case rel == ManifestName:
			return nil
		case d.IsDir() && dirs[rel]:
			return nil
		case d.Type().IsRegular():
			if e, ok := listed[rel]; ok {
				return sameContent(full, rel, e)
			}
		}
		return fmt.Errorf("it holds %s, which avdoc did not write", rel)
	})
}

// sameContent checks that the file full (rel in the site) is still as
// the manifest says avdoc wrote it.
func sameContent(full, rel string, e manifestEntry) error {
	f, err := os.Open(full)
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return err
	}
	if n != e.size || hex.EncodeToString(h.Sum(nil)) != e.sum {
		return fmt.Errorf("its %s changed since avdoc wrote it", rel)
	}
	return nil
}
