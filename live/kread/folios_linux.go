package kread

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// thpDir holds the transparent huge page settings.
const thpDir = "/sys/kernel/mm/transparent_hugepage"

// LargeFolios returns the anonymous large folio sizes enabled on this
// machine, each with its setting ("2048kB: madvise" when inherited from a
// top-level madvise), in the kernel's directory order; nil when every size
// is "never" or the kernel has no THP. Story regions are MADV_NOHUGEPAGE,
// which keeps them small either way; a report says what else could differ.
func LargeFolios() ([]string, error) {
	top, err := setting(filepath.Join(thpDir, "enabled"))
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	dirs, err := filepath.Glob(filepath.Join(thpDir, "hugepages-*"))
	if err != nil {
		return nil, err
	}
	sort.Strings(dirs)
	var out []string
	for _, d := range dirs {
		s, err := setting(filepath.Join(d, "enabled"))
		if err != nil {
			return nil, err
		}
		if s == "inherit" {
			s = top
		}
		if s != "never" {
			out = append(out, strings.TrimPrefix(filepath.Base(d), "hugepages-")+": "+s)
		}
	}
	return out, nil
}

// setting reads a sysfs choice file ("always [madvise] never") and returns
// the bracketed choice.
func setting(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	for _, w := range strings.Fields(string(b)) {
		if strings.HasPrefix(w, "[") && strings.HasSuffix(w, "]") {
			return strings.Trim(w, "[]"), nil
		}
	}
	return "", fmt.Errorf("%s: no [choice] in %q", path, b)
}
