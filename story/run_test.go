package story

import (
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"testing"

	"github.com/avdoc/avdoc/engine"
)

// executeInOrder is Execute as it was before the kernels ran side by
// side: one kernel after the other, on one goroutine. It is the reference
// Execute must match.
func executeInOrder(s *Story) (*Result, error) {
	res := &Result{Story: s}
	var errs ErrorList
	seen := map[string]bool{}
	names := processNames(s)
	for _, k := range s.Kernels {
		run := Run{Kernel: k}
		m := engine.New(k.Model)
		for i := range s.Steps {
			st := &s.Steps[i]
			sr := runStep(m, st, s.Show, names, run.Steps, &errs, seen)
			res.Failures = append(res.Failures, checkStep(&sr, st, k.Model.Name)...)
			run.Steps = append(run.Steps, sr)
		}
		res.Runs = append(res.Runs, run)
	}
	errs.Sort()
	errs.clip()
	return res, errs.Err()
}

// kernelsDiffer runs three kernels that disagree: each finds problems in
// the story (a function no kernel here has, in words naming the kernel;
// an anon_vma only one kernel makes; an event every kernel refuses,
// reported once) and failed expectations of its own.
const kernelsDiffer = `title: Kernels that disagree
kernels: [2.6.34, 2.6.33, 2.6.6]
steps:
  - do: [spawn P, mmap P heap 2, write P:heap, fork P C, write C:heap:0]
    expect:
      - mapping(C:heap:0) == av(C:heap)
      - mapcount(P:heap:1) == 1
      - root(av(P:heap)) == av(P:heap)
      - freed(av(C:heap))
  - do: [write Q:heap, exit C]
    expect:
      - count(anon_vma) == 2
      - mapping(P:heap:0) == av(P:heap#2)
`

// TestExecuteMatchesInOrder: running the kernels side by side gives the
// result, failures and errors, in the same order, that running them one
// after the other gives, whatever GOMAXPROCS is.
func TestExecuteMatchesInOrder(t *testing.T) {
	type story struct {
		name string
		src  []byte
	}
	stories := []story{{"kernels-differ.yaml", []byte(kernelsDiffer)}}
	files, _ := filepath.Glob("../stories/*.yaml")
	if len(files) == 0 {
		t.Fatal("no shipped stories found")
	}
	errFiles, _ := filepath.Glob("testdata/errors/*.txtar")
	for _, f := range files {
		if filepath.Base(f) == "07-rik-1000.yaml" && testing.Short() {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		stories = append(stories, story{filepath.Base(f), src})
	}
	for _, f := range errFiles {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, sec := range parseTxtar(data).sections {
			if sec.name == "story.yaml" {
				stories = append(stories, story{filepath.Base(f), sec.data})
			}
		}
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	ran := 0
	for _, st := range stories {
		s, err := Parse(st.name, st.src)
		if err != nil {
			continue // a story the parser refuses never runs
		}
		want, wantErr := executeInOrder(s)
		for _, procs := range []int{1, 2, 8} {
			runtime.GOMAXPROCS(procs)
			got, gotErr := ExecuteOn(s, asModel)
			if errText(gotErr) != errText(wantErr) {
				t.Errorf("%s, GOMAXPROCS %d: errors\n%s\nwant\n%s", st.name, procs, errText(gotErr), errText(wantErr))
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s, GOMAXPROCS %d: the result differs from running the kernels in order", st.name, procs)
			}
		}
		ran++
	}
	if ran < len(files) {
		t.Fatalf("ran %d stories, want at least the %d shipped ones", ran, len(files))
	}
	s, err := Parse("kernels-differ.yaml", []byte(kernelsDiffer))
	if err != nil {
		t.Fatal(err)
	}
	res, err := Execute(s)
	if errs, ok := err.(ErrorList); !ok || len(errs) < 5 || len(res.Failures) < 2 {
		t.Errorf("the kernels-differ story should find several errors and failures; got %v and %v", err, res.Failures)
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// BenchmarkRik1000Story runs the shipped thousand-children story under
// both its kernels, as `avdoc check` does, and reports the heap its
// result keeps (every step's snapshot of both kernels).
func BenchmarkRik1000Story(b *testing.B) {
	src, err := os.ReadFile("../stories/07-rik-1000.yaml")
	if err != nil {
		b.Fatal(err)
	}
	s, err := Parse("07-rik-1000.yaml", src)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var inuse uint64
	for b.Loop() {
		res, err := Execute(s)
		if err != nil || len(res.Failures) > 0 {
			b.Fatal(err, res.Failures)
		}
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		inuse = ms.HeapInuse
		runtime.KeepAlive(res)
	}
	b.ReportMetric(float64(inuse)/(1<<20), "heap-MB")
}
