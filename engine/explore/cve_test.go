package explore

import (
	"context"
	"encoding/json"
	"os"
	"slices"
	"testing"
)

// cveReport is what `avdoc explore --kernel 3.19 --procs 3 --pages 2
// --events write,fork,exit,mprotect --depth 11` reported (searched as
// three shards, merged): the shortest breach of I6, CVE-2022-42703.
// bench/explore-cve runs that search again and compares.
const cveReport = "testdata/cve-2022-42703.json"

var cveKinds = []string{"write", "fork", "exit", "mprotect"}

func readCVE(t *testing.T) Report {
	t.Helper()
	b, err := os.ReadFile(cveReport)
	if err != nil {
		t.Fatal(err)
	}
	var r Report
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	if r.Found == nil || len(r.Found.Events) != 11 {
		t.Fatalf("%s: want a finding of 11 events", cveReport)
	}
	return r
}

// TestCVEFromAKnownPrefix: the full search takes minutes, so CI runs its
// last four depths: from the state the report's first seven events reach,
// a search finds a breach of I6 in exactly four more events under 3.19
// (no fewer: else the whole search would have found a shorter one), and
// none under 6.0, where Jann Horn's num_children and num_active_vmas
// closed it.
func TestCVEFromAKnownPrefix(t *testing.T) {
	r := readCVE(t)
	for _, tt := range []struct {
		kernel string
		found  bool
	}{{"3.19", true}, {"6.0", false}} {
		t.Run(tt.kernel, func(t *testing.T) {
			cfg := Config{Model: model(t, tt.kernel), Procs: 3, Pages: 2, Depth: 4, Kinds: cveKinds, Prefix: r.Found.Events[:7]}
			res, err := Run(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case !tt.found && res.Found != nil:
				t.Errorf("found %q: %s", texts(res.Found.Events), res.Found.What())
			case !tt.found && res.Depth != 4:
				t.Errorf("explored to depth %d; want 4", res.Depth)
			case tt.found && (res.Found == nil || len(res.Found.Events) != 4 || !res.Found.Broke("I6")):
				t.Errorf("want a breach of I6 in 4 events; got %+v", res.Found)
			}
		})
	}
}

// TestCVEReportReplays: the report's finding breaks I6 at its last event
// under 3.19, and nothing before it.
func TestCVEReportReplays(t *testing.T) {
	r := readCVE(t)
	res, err := r.Result(Config{Model: model(t, "3.19"), Kinds: cveKinds})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Found.Broke("I6") {
		t.Errorf("the report's events break %s; want I6", res.Found.What())
	}
	if _, err := r.Result(Config{Model: model(t, "6.0"), Kinds: cveKinds}); err == nil {
		t.Error("the report's events break something under 6.0 too")
	}
}

// TestCVEPastI6: told to look past I6, the search goes on from the
// breach to what the CVE is about: four events later a page mapped by a
// merged VMA falls off its anon_vma's list (R1, R5); one exit later its
// page->mapping points at a freed anon_vma (R2); and an rmap walk of it
// oopses.
func TestCVEPastI6(t *testing.T) {
	r := readCVE(t)
	prefix := r.Found.Events
	for _, tt := range []struct {
		ignore []string
		kinds  []string
		events int
		broke  string // an invariant, or "oops"
	}{
		{[]string{"I6"}, cveKinds, 4, "R1"},
		{[]string{"I6", "R1", "R5"}, cveKinds, 1, "R2"},
		{[]string{"I6", "R1", "R5", "R2", "I7"}, append([]string{"walk"}, cveKinds...), 1, "oops"},
	} {
		cfg := Config{Model: model(t, "3.19"), Procs: 3, Pages: 2, Depth: tt.events, Kinds: tt.kinds, Ignore: tt.ignore, Prefix: prefix}
		res, err := Run(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		f := res.Found
		if f == nil || len(f.Events) != tt.events || (tt.broke == "oops") != (f.Oops != nil) || tt.broke != "oops" && !f.Broke(tt.broke) {
			t.Fatalf("ignoring %v: want %s after %d more events; got %+v", tt.ignore, tt.broke, tt.events, f)
		}
		prefix = append(slices.Clone(prefix), f.Events...)
	}
}
