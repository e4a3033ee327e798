package main

import (
	"bytes"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestMain lets the test binary stand in for the program when the parent
// re-executes itself with -child, so that the test runs the real
// child-process path.
func TestMain(m *testing.M) {
	if slices.Contains(os.Args[1:], "-child") {
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// TestVisits runs the table on small cases and checks the visits column
// against the counts kernel-rmap-spec §12.1 derives, for c children and
// p pages, each walk stopping once it found the page's mapcount of PTEs:
//
//   - 2.6.33: one anon_vma lists P, C1..Cc in that order. A page of P is
//     found at the first VMA, a page of Ck at the (k+1)th, so the total is
//     p + p·Σ_{k=1..c}(k+1) = p·(c(c+3)/2 + 1); 501,501,000 for 1000×1000.
//   - 2.6.34: a child's pages are in its own anon_vma (one AVC), P's in
//     P's, whose list starts with P: one visit per page, (c+1)·p;
//     1,001,000 for 1000×1000.
func TestVisits(t *testing.T) {
	for _, tc := range []struct{ c, p int }{{4, 4}, {5, 3}} {
		c, p := int64(tc.c), int64(tc.p)
		want := map[string]int64{
			"2.6.33": p * (c*(c+3)/2 + 1),
			"2.6.34": (c + 1) * p,
		}
		var stdout, stderr bytes.Buffer
		args := []string{"-children", strconv.Itoa(tc.c), "-pages", strconv.Itoa(tc.p), "-models", "2.6.33,2.6.34"}
		if code := run(args, &stdout, &stderr); code != 0 {
			t.Fatalf("run %v: exit %d, stderr:\n%s", args, code, stderr.String())
		}
		got := map[string]int64{}
		for _, line := range strings.Split(stdout.String(), "\n") {
			cells := strings.Split(strings.Trim(line, "| "), " | ")
			if len(cells) != 7 || want[cells[0]] == 0 {
				continue
			}
			n, err := strconv.ParseInt(strings.ReplaceAll(cells[4], ",", ""), 10, 64)
			if err != nil {
				t.Fatalf("%d×%d: model %s: visits cell %q: %v", tc.c, tc.p, cells[0], cells[4], err)
			}
			got[cells[0]] = n
		}
		for model, w := range want {
			if got[model] != w {
				t.Errorf("%d children × %d pages: model %s visits %d, want %d\ntable:\n%s", tc.c, tc.p, model, got[model], w, stdout.String())
			}
		}
	}
}

func TestGroup(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 501501000: "501,501,000", -1234: "-1,234"} {
		if got := group(n); got != want {
			t.Errorf("group(%d) = %q, want %q", n, got, want)
		}
	}
}
