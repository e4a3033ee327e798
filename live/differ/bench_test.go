package differ

import (
	"os"
	"testing"
	"time"

	"github.com/avdoc/avdoc/engine"
	"github.com/avdoc/avdoc/live/livestory"
)

// BenchmarkRandom300 measures 300 random sequences (seed 1, every live
// kind) run on the running kernel and compared step by step with the
// 6.18 model, against the baseline of the same sequences run under the
// model alone, in the same iteration; it reports both times and their
// ratio. It needs the live kernel (root):
//
//	go test ./live/differ -run '^$' -bench Random300 -benchtime 3x
func BenchmarkRandom300(b *testing.B) {
	cfg := Config{Model: model(b), Kinds: Kinds(), Seed: 1, N: 300}.withDefaults()
	seqs := make([]Sequence, cfg.N)
	for i := range seqs {
		seqs[i] = Generate(cfg, i)
	}
	k, err := livestory.OpenKernel()
	if livestory.Unavailable(err) && os.Getenv("CI") != "true" {
		b.Skip(err)
	}
	if err != nil {
		b.Fatal(err)
	}
	j := &judge{k: k, model: cfg.Model}
	defer func() { j.k.Close() }()
	var modelTime, liveTime time.Duration
	for b.Loop() {
		start := time.Now()
		for _, s := range seqs {
			runModel(b, cfg.Model, s)
		}
		modelTime += time.Since(start)
		start = time.Now()
		for _, s := range seqs {
			if f, err := j.run(s); err != nil || f != nil {
				b.Fatalf("%s: %v %v", s, f, err)
			}
		}
		liveTime += time.Since(start)
	}
	n := float64(b.N)
	b.ReportMetric(modelTime.Seconds()*1000/n, "model-ms/300")
	b.ReportMetric(liveTime.Seconds()*1000/n, "live-ms/300")
	b.ReportMetric(float64(liveTime)/float64(modelTime), "live/model")
}

// runModel runs a sequence under the model alone, step by step, as the
// live run does beside the kernel.
func runModel(b *testing.B, m engine.Model, s Sequence) {
	mach := engine.New(m)
	for _, step := range s.Steps() {
		if _, err := mach.Step(step); err != nil {
			b.Fatal(err)
		}
	}
}
