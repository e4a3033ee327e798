package pidfig

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// mapping is one line of /proc/PID/maps.
type mapping struct {
	start, end uint64
	inode      uint64
	path       string // "" for an anonymous mapping; [heap], [stack], [anon:NAME] and the like
}

// anonymous reports whether the mapping is anonymous memory: no file
// behind it, and not one of the kernel's special mappings.
func (m mapping) anonymous() bool {
	if m.inode != 0 {
		return false
	}
	switch {
	case m.path == "", m.path == "[heap]", strings.HasPrefix(m.path, "[stack"), strings.HasPrefix(m.path, "[anon:"):
		return true
	}
	return false
}

// region is the name a figure gives the mapping: [heap], [stack] or
// [anon:NAME] as /proc/PID/maps shows them, else its address range.
func (m mapping) region() string {
	if m.path != "" {
		return printable(m.path)
	}
	return fmt.Sprintf("%#x-%#x", m.start, m.end)
}

// parseMaps reads /proc/PID/maps: "start-end perms offset dev inode path".
func parseMaps(r io.Reader) ([]mapping, error) {
	var out []mapping
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 5 {
			return nil, fmt.Errorf("maps line %q: want at least 5 fields", sc.Text())
		}
		lo, hi, ok := strings.Cut(f[0], "-")
		start, err1 := strconv.ParseUint(lo, 16, 64)
		end, err2 := strconv.ParseUint(hi, 16, 64)
		inode, err3 := strconv.ParseUint(f[4], 10, 64)
		if !ok || err1 != nil || err2 != nil || err3 != nil {
			return nil, fmt.Errorf("maps line %q: want start-end perms offset dev inode [path]", sc.Text())
		}
		m := mapping{start: start, end: end, inode: inode}
		if len(f) > 5 {
			m.path = strings.Join(f[5:], " ")
		}
		out = append(out, m)
	}
	return out, sc.Err()
}

// printable replaces what is not printable ASCII with '?': a process
// names itself (prctl PR_SET_NAME), with any bytes.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e {
			return '?'
		}
		return r
	}, s)
}
