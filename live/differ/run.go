package differ

import (
	"errors"
	"fmt"

	"github.com/avdoc/avdoc/live/livestory"
)

// Report is what a run did and found.
type Report struct {
	Release   string // the kernel's (uname -r)
	Sequences int    // sequences run, the one that differed included
	Events    int    // events they ran, setups included
	Found     *Finding
}

// Finding is the first sequence that showed a difference, and its
// shrunk form.
type Finding struct {
	Index    int // of the sequence, for Generate with the run's seed
	Original Sequence
	First    *Found // what its run found
	Shrunk   Sequence
	Last     *Found // what the shrunk sequence's last run found
	Runs     int    // live runs shrinking took
	// Again is whether the shrunk sequence showed a difference of the
	// same kind when run once more on its own.
	Again bool
}

// Run runs cfg.N sequences of cfg.Seed on the running kernel and under
// cfg.Model, stops at the first that differs, and shrinks it. A kernel
// that cannot be read here gives an error [livestory.Unavailable]
// recognizes.
func Run(cfg Config) (rep Report, err error) {
	if err := cfg.Validate(); err != nil {
		return rep, err
	}
	cfg = cfg.withDefaults()
	k, err := livestory.OpenKernel()
	if err != nil {
		return rep, err
	}
	j := &judge{k: k, model: cfg.Model}
	defer func() { err = errors.Join(err, j.k.Close()) }()
	rep.Release = k.Release()
	for i := 0; i < cfg.N; i++ {
		seq := Generate(cfg, i)
		f, err := j.run(seq)
		if err != nil {
			return rep, fmt.Errorf("sequence %d of seed %d: %w", i, cfg.Seed, err)
		}
		rep.Sequences, rep.Events = i+1, rep.Events+len(seq.Setup)+len(seq.Events)
		if cfg.Progress != nil {
			cfg.Progress(i + 1)
		}
		if f != nil {
			rep.Found, err = shrink(cfg, j, i, seq, f)
			return rep, err
		}
	}
	return rep, nil
}

// shrink shrinks sequence i, whose run found f, and runs the result
// once more to see that it shows the difference again.
func shrink(cfg Config, j *judge, i int, seq Sequence, f *Found) (*Finding, error) {
	fd := &Finding{Index: i, Original: seq, First: f}
	start := j.runs
	var err error
	fd.Shrunk, fd.Last, err = Shrink(cfg.Model, seq, f, j.run, cfg.MaxRuns)
	fd.Runs = j.runs - start
	if err != nil {
		return fd, fmt.Errorf("shrinking sequence %d of seed %d: %w", i, cfg.Seed, err)
	}
	again, err := j.run(fd.Shrunk)
	fd.Again = again.has(f.Kind())
	if fd.Again {
		fd.Last = again
	}
	return fd, err
}
