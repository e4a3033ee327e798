package swapdev

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// CleanLeftovers removes the swap devices a killed avdoc left behind:
// each swap area in /proc/swaps, zram device and swap file (in dir's
// avdoc-swap-* directories) whose header carries avdoc's mark of a
// process that no longer exists. It swaps such a device off, resets a
// zram device (and removes it unless it is zram0, which avdoc never
// adds), and removes a swap file and its directory. Anything without the
// mark, or whose process lives (another avdoc's run), is left alone. It
// returns the paths it removed.
func CleanLeftovers(dir string) ([]string, error) {
	areas, err := SwapAreas()
	if err != nil {
		return nil, err
	}
	var cleaned []string
	var errs []error
	seen := map[string]bool{}
	for _, path := range append(areas, candidates(dir)...) {
		if seen[path] || !leftover(path) {
			continue
		}
		seen[path] = true
		if err := removeLeftover(path, slices.Contains(areas, path)); err != nil {
			errs = append(errs, err)
			continue
		}
		cleaned = append(cleaned, path)
	}
	return cleaned, errors.Join(errs...)
}

// candidates lists the sized zram devices and the swap files of dir's
// avdoc-swap-* directories: where a device can be left that is not
// swapped on (avdoc killed before swapon or after swapoff).
func candidates(dir string) []string {
	var out []string
	zrams, _ := filepath.Glob("/sys/block/zram*")
	for _, z := range zrams {
		if b, err := os.ReadFile(filepath.Join(z, "disksize")); err == nil && strings.TrimSpace(string(b)) != "0" {
			out = append(out, "/dev/"+filepath.Base(z))
		}
	}
	files, _ := filepath.Glob(filepath.Join(dir, dirPrefix+"*", fileName))
	return append(out, files...)
}

// leftover reports whether path's header carries avdoc's mark of a
// process that is gone.
func leftover(path string) bool {
	in, err := readHeader(path)
	if err != nil {
		return false
	}
	pid, ok := markedBy(in.Label)
	return ok && unix.Kill(pid, 0) == unix.ESRCH
}

// readHeader reads the swap header at the start of path.
func readHeader(path string) (Info, error) {
	f, err := os.Open(path)
	if err != nil {
		return Info{}, err
	}
	defer f.Close()
	page := make([]byte, os.Getpagesize())
	if _, err := io.ReadFull(f, page); err != nil {
		return Info{}, err
	}
	return ParseHeader(page)
}

// removeLeftover swaps off (if on) and removes a device with avdoc's mark.
func removeLeftover(path string, on bool) error {
	if on {
		if err := swapoff(path); err != nil {
			return fmt.Errorf("swapoff %s: %w", path, err)
		}
	}
	if n, ok := strings.CutPrefix(path, "/dev/zram"); ok {
		err := writeSys("/sys/block/zram"+n+"/reset", "1")
		if n != "0" && err == nil {
			err = writeSys("/sys/class/zram-control/hot_remove", n)
		}
		return err
	}
	if filepath.Base(path) != fileName || !strings.HasPrefix(filepath.Base(filepath.Dir(path)), dirPrefix) {
		return fmt.Errorf("%s carries avdoc's mark but is not where avdoc puts a swap file: left alone", path)
	}
	return os.RemoveAll(filepath.Dir(path))
}

// SwapAreas lists the swap areas the kernel has on (/proc/swaps).
func SwapAreas() ([]string, error) {
	f, err := os.Open("/proc/swaps")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for first := true; sc.Scan(); first = false {
		if fields := strings.Fields(sc.Text()); !first && len(fields) > 0 {
			out = append(out, unescape(fields[0]))
		}
	}
	return out, sc.Err()
}

// unescape undoes the octal escapes (\040 for a space) of a /proc/swaps
// path (seq_file_path escapes " \t\n\\").
func unescape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+4 <= len(s) {
			if v, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				b.WriteByte(byte(v))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
