package explore

import (
	"fmt"
	"slices"

	"github.com/avdoc/avdoc/engine"
)

// ReportFormat names the version of the report format below.
const ReportFormat = "avdoc-explore-report/1"

// Report is what one search, or one shard of it, did and found, in a form
// that can be written as JSON, read back and merged with the reports of
// the other shards.
type Report struct {
	Format string `json:"format"`
	// Search is the command line that names the search, the same for
	// every shard: what `--merge` checks before combining reports.
	Search []string `json:"search"`
	Shard  Shard    `json:"shard"` // {0 0} for a whole search
	// SplitDepth is the depth whose states the shards divided (0 if the
	// search ended before it split).
	SplitDepth int           `json:"split_depth"`
	Depth      int           `json:"depth_complete"`
	Sequences  int           `json:"sequences"`
	States     int           `json:"states"`
	Stopped    string        `json:"stopped,omitempty"`
	PeakHeap   uint64        `json:"peak_heap_bytes,omitempty"`
	StoreBytes uint64        `json:"store_bytes,omitempty"` // fingerprints and parent links
	Found      *FoundReport  `json:"found,omitempty"`
	Merged     []ShardResult `json:"merged,omitempty"` // what each shard did, in a merged report
}

// FoundReport is a finding: the events after the setup, the last of which
// broke what Expect names.
type FoundReport struct {
	Setup  []engine.Event `json:"setup"`
	Prefix []engine.Event `json:"prefix,omitempty"`
	Events []engine.Event `json:"events"`
	Steps  []string       `json:"steps"` // the events as a story writes them
	What   string         `json:"what"`
	Expect []string       `json:"expect"`
}

// ShardResult sums up one shard in a merged report.
type ShardResult struct {
	K       int    `json:"k"`
	Depth   int    `json:"depth_complete"`
	Stopped string `json:"stopped,omitempty"`
	Found   int    `json:"found_after,omitempty"` // events of its finding, if any
}

// NewReport describes a search's result.
func NewReport(search []string, shard Shard, res Result) Report {
	r := Report{Format: ReportFormat, Search: search, Shard: shard, SplitDepth: res.SplitDepth, Depth: res.Depth,
		Sequences: res.Sequences, States: res.States, Stopped: res.Stopped, PeakHeap: res.PeakHeap, StoreBytes: res.StoreBytes}
	if f := res.Found; f != nil {
		r.Found = &FoundReport{Setup: f.Setup, Prefix: f.Prefix, Events: f.Events, What: f.What(), Expect: f.Expect()}
		for _, ev := range f.Events {
			r.Found.Steps = append(r.Found.Steps, ev.String())
		}
	}
	return r
}

// Merge combines the reports of the N shards of one search into the
// report the whole search would give: the shortest finding (the lowest
// shard's among equals), the depth every shard completed, and the sums of
// what they ran and stored (the states below the split depth are counted
// once per shard). A finding is a shortest one only if no shard stopped
// before its depth; otherwise the merged report says it stopped.
func Merge(reports []Report) (Report, error) {
	if err := checkShards(reports); err != nil {
		return Report{}, err
	}
	if reports[0].Shard.N == 0 {
		return reports[0], nil
	}
	rs := slices.Clone(reports)
	slices.SortFunc(rs, func(a, b Report) int { return a.Shard.K - b.Shard.K })
	out := Report{Format: ReportFormat, Search: rs[0].Search, SplitDepth: rs[0].SplitDepth, Depth: rs[0].Depth}
	for _, r := range rs {
		out.Sequences += r.Sequences
		out.States += r.States
		out.PeakHeap = max(out.PeakHeap, r.PeakHeap)
		out.StoreBytes += r.StoreBytes
		out.Depth = min(out.Depth, r.Depth)
		sr := ShardResult{K: r.Shard.K, Depth: r.Depth, Stopped: r.Stopped}
		if r.Found != nil {
			sr.Found = len(r.Found.Events)
			if out.Found == nil || len(r.Found.Events) < len(out.Found.Events) {
				out.Found = r.Found
			}
		}
		out.Merged = append(out.Merged, sr)
	}
	for _, sr := range out.Merged {
		if sr.Stopped != "" && (out.Found == nil || sr.Depth+1 < len(out.Found.Events)) {
			out.Stopped = fmt.Sprintf("shard %d/%d's %s", sr.K, len(rs), sr.Stopped)
			break
		}
	}
	if out.Found != nil {
		out.Depth = min(out.Depth, len(out.Found.Events)-1)
	}
	return out, nil
}

// checkShards reports reports that are not the N shards of one search.
func checkShards(reports []Report) error {
	if len(reports) == 0 {
		return fmt.Errorf("no reports to merge")
	}
	first := reports[0]
	seen := map[int]bool{}
	for _, r := range reports {
		switch {
		case r.Format != ReportFormat:
			return fmt.Errorf("report format %q, want %q", r.Format, ReportFormat)
		case !slices.Equal(r.Search, first.Search):
			return fmt.Errorf("reports of different searches: %q and %q", r.Search, first.Search)
		case r.Shard.N == 0 && len(reports) == 1:
			return nil // a whole search, alone
		case r.Shard.N != first.Shard.N || r.Shard.N < 1:
			return fmt.Errorf("shard %d/%d beside shard %d/%d: merge the N shards of one sharded search", r.Shard.K, r.Shard.N, first.Shard.K, first.Shard.N)
		case seen[r.Shard.K]:
			return fmt.Errorf("shard %d/%d given twice", r.Shard.K, r.Shard.N)
		}
		seen[r.Shard.K] = true
	}
	for k := 1; k <= first.Shard.N; k++ {
		if !seen[k] {
			return fmt.Errorf("shard %d/%d is missing: merge needs all %d", k, first.Shard.N, first.Shard.N)
		}
	}
	return nil
}

// Result reads the report back as the result of a search with cfg,
// replaying its finding to name what it breaks.
func (r Report) Result(cfg Config) (Result, error) {
	res := Result{Depth: r.Depth, Sequences: r.Sequences, States: r.States, Stopped: r.Stopped, SplitDepth: r.SplitDepth,
		Shards: len(r.Merged), PeakHeap: r.PeakHeap, StoreBytes: r.StoreBytes}
	if r.Found == nil {
		return res, nil
	}
	m := engine.New(cfg.Model)
	if _, err := m.Advance(r.Found.Setup); err != nil {
		return Result{}, fmt.Errorf("replaying the setup: %w", err)
	}
	for i, ev := range r.Found.Prefix {
		if _, err := m.Advance([]engine.Event{ev}); err != nil {
			return Result{}, fmt.Errorf("replaying the prefix's event %d, %s: %w", i+1, ev, err)
		}
	}
	for i, ev := range r.Found.Events {
		step, err := m.Advance([]engine.Event{ev})
		if err != nil {
			return Result{}, fmt.Errorf("replaying event %d, %s: %w", i+1, ev, err)
		}
		f := finding(&step, cfg.Ignore)
		switch {
		case f != nil && i == len(r.Found.Events)-1:
			f.Setup, f.Prefix, f.Events = r.Found.Setup, r.Found.Prefix, r.Found.Events
			res.Found = f
			return res, nil
		case f != nil:
			return Result{}, fmt.Errorf("event %d, %s, already breaks %s under %s", i+1, ev, f.What(), cfg.Model.Name)
		}
	}
	return Result{}, fmt.Errorf("the finding's events break nothing under %s", cfg.Model.Name)
}
