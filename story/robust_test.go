package story

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type storyFile struct {
	name string
	src  []byte
}

// shippedStories returns the stories of the repository's stories/.
func shippedStories(t testing.TB) []storyFile {
	t.Helper()
	files, err := filepath.Glob("../stories/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no stories in ../stories")
	}
	var out []storyFile
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, storyFile{filepath.Base(f), src})
	}
	return out
}

// asModel runs every kernel of a story on its model, the live kernel
// too (on the model it is labelled with, 6.18): the shipped live story's
// claims hold on both, and these tests are about the story language and
// the models. livestory's tests replay its recording.
func asModel(k Kernel) (Machine, error) {
	k.Live = false
	return Simulate(k)
}

// maxEvents bounds the events of a story that robustness tests execute:
// a mutation can turn `fork P C` into `fork P C1..C99999`, which is valid
// but slow.
const maxEvents = 2000

// checkRobust parses src and executes what parsed, and reports a panic,
// or an error or failure without a position in the file.
func checkRobust(t *testing.T, name string, src []byte) { checkRobustWith(t, name, src, Options{}) }

// fuzzOptions keep every fuzzed story small, so that no input can take
// the fuzzer long: the limits are what bound a story's cost, not a clock.
func fuzzOptions() Options {
	return Options{Limits: Limits{Procs: 64, Pages: 4096, Steps: 64, Work: 200_000}}
}

func checkRobustWith(t *testing.T, name string, src []byte, opt Options) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("panic on %s: %v\n%q", name, r, src)
		}
	}()
	s, err := ParseWith(name, src, opt)
	if s == nil {
		t.Fatalf("Parse(%s) returned a nil story", name)
	}
	checkErrors(t, name, src, err)
	events := 0
	for _, st := range s.Steps {
		events += len(st.Events)
	}
	if events > maxEvents {
		return
	}
	res, err := ExecuteOn(s, asModel) // Execute refuses a live kernel with no position: it needs one to read
	checkErrors(t, name, src, err)
	for _, f := range res.Failures {
		if f.Pos.File != name || f.Pos.Line < 1 || f.Pos.Col < 1 {
			t.Fatalf("failure without a position on %s: %s\n%q", name, f, src)
		}
	}
}

func checkErrors(t *testing.T, name string, src []byte, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var list ErrorList
	if !errors.As(err, &list) || len(list) == 0 {
		t.Fatalf("error on %s is not a non-empty ErrorList: %T %v", name, err, err)
	}
	lines := len(splitLines(string(src))) // where YAML sees line breaks
	for i, e := range list {
		if e.Pos.File != name || e.Pos.Line < 1 || e.Pos.Col < 1 || e.Pos.Line > lines || e.Msg == "" {
			t.Fatalf("error without a position in %s (%d lines): %q\n%q", name, lines, e.Error(), src)
		}
		if i > 0 && (e.Pos.Line < list[i-1].Pos.Line || e.Pos.Line == list[i-1].Pos.Line && e.Pos.Col < list[i-1].Pos.Col) {
			t.Fatalf("errors not sorted by position in %s:\n%v", name, err)
		}
	}
}

// mutations returns deterministic variants of src: truncated at every
// stride bytes, with one byte replaced by characters that matter to YAML
// or to stories, and with one line deleted or doubled.
func mutations(src []byte, stride int) [][]byte {
	var out [][]byte
	for n := 0; n < len(src); n += stride {
		out = append(out, src[:n])
	}
	repl := []string{":", "[", "]", "{", "-", " ", "\t", "\"", "'", "#", "\n", "x", "0", "..", "*", "&a ", "*a", "!", "%", "\xff", "é", "\u2028"}
	for i, k := 0, 0; i < len(src); i, k = i+stride, k+1 {
		v := append(append(append([]byte{}, src[:i]...), repl[k%len(repl)]...), src[i+1:]...)
		out = append(out, v)
	}
	lines := strings.SplitAfter(string(src), "\n")
	for i := 0; i < len(lines); i += 3 {
		del := strings.Join(lines[:i], "") + strings.Join(lines[i+1:], "")
		dup := strings.Join(lines[:i+1], "") + strings.Join(lines[i:], "")
		out = append(out, []byte(del), []byte(dup))
	}
	return out
}

// TestRobustness feeds mutated shipped stories to Parse and Execute.
func TestRobustness(t *testing.T) {
	n := 0
	for _, f := range shippedStories(t) {
		for i, v := range mutations(f.src, 29) {
			checkRobust(t, fmt.Sprintf("%s#%d", f.name, i), v)
			n++
		}
	}
	if n < 300 {
		t.Errorf("only %d variants; want a few hundred", n)
	}
}

// TestRobustnessEdgeCases covers inputs that once crashed or hang-prone
// shapes: each must give errors with positions, not a panic.
func TestRobustnessEdgeCases(t *testing.T) {
	for i, src := range []string{
		"",
		"\uFEFF",
		"---\n",
		"# only a comment\n",
		"~\n",
		"null",
		"title: T\nkernel: {name: x, base: 2.6.34, fixes: nope}\nsteps: [{do: spawn P}]\n",
		"title: T\nkernel: {name: x, base: 2.6.34, fixes: {a: b}}\nsteps: [{do: spawn P}]\n",
		"title: T\nkernel: 2.6.34\nsteps: [{do: \"mmap P heap 99999999999999\"}]\n",
		"title: T\nkernel: 2.6.34\nsteps: [{do: [spawn P, mmap P heap 1 at 0xffffffffff]}]\n",
		"title: T\nkernel: 2.6.34\nsteps: [{do: [spawn P, mmap P heap 1, write P:heap:1073741824]}]\n",
		"title: T\nkernel: 2.6.34\nsteps: [{do: [spawn C1..C99999999999999999999]}]\n",
		"a: &x [*x, *x]\n",
		"title: &t T\nkernel: *t\nsteps: *t\n",
		"title: T\r\nkernel: 2.6.34\rsteps:\u2028  - do: frok\n",
		"title: T\nkernel: 2.6.34\nsteps:\n  - do: spawn P\n    expect: [\"violation\", \"no\", \"count(\", \"av(\", \"[\", \"page(P:heap:\"]\n",
		"title: T\nkernel: 2.6.34\nsteps:\n  - do: spawn P\n    expect:\n      - \"\\u00e9\"\n",
		"title: T\nkernel: 2.6.34\nsteps:\n  - do: spawn P\n    expect: {all: x, ? [a] : b}\n",
		strings.Repeat("[", 5000),
		strings.Repeat("- ", 3000) + "x",
		"title: T\nkernel: 2.6.34\nsteps:\n" + strings.Repeat("  - do: frok\n", 500),
	} {
		checkRobust(t, fmt.Sprintf("edge%d.yaml", i), []byte(src))
	}
}

// FuzzParse checks that no input makes Parse or Execute panic, and that
// every error they report has a position in the file. Small limits keep
// each input's simulation short; a hang would show as the fuzzer's
// executions per second dropping to zero, and go test's -timeout ends it.
func FuzzParse(f *testing.F) {
	for _, s := range shippedStories(f) {
		f.Add(s.src)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		checkRobustWith(t, "fuzz.yaml", src, fuzzOptions())
	})
}
