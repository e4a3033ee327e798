package progress

import (
	"bytes"
	"fmt"
	"testing"
	"time"
)

func TestProgressWanted(t *testing.T) {
	tests := []struct {
		terminal bool
		env      map[string]string
		want     bool
	}{
		{true, nil, true},
		{true, map[string]string{"TERM": "xterm-256color"}, true},
		{false, nil, false},
		{true, map[string]string{"CI": "true"}, false},
		{true, map[string]string{"CI": "1"}, false},
		{true, map[string]string{"TERM": "dumb"}, false},
	}
	for _, tt := range tests {
		getenv := func(k string) string { return tt.env[k] }
		if got := Wanted(tt.terminal, getenv); got != tt.want {
			t.Errorf("Wanted(%v, %v) = %v, want %v", tt.terminal, tt.env, got, tt.want)
		}
	}
}

// clock is a fake clock that the test moves.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// TestProgressLine drives a progress by hand with a fake clock: nothing
// shows before the delay; then the line, rewritten in place; output
// clears it first; finish clears it.
func TestProgressLine(t *testing.T) {
	const clear = "\r\033[K"
	clk := &clock{time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)}
	var term, out bytes.Buffer
	p := New(&term, "build", clk.now)
	stderr := p.Writer(&term)
	stdout := p.Writer(&out)
	steps := []struct {
		do   func()
		want string // what the terminal shows next
	}{
		{func() { p.Phase("running the stories") }, ""},
		{func() { clk.t = clk.t.Add(100 * time.Millisecond); p.draw() }, ""},
		{func() { clk.t = clk.t.Add(250 * time.Millisecond); p.draw() }, clear + "avdoc build: running the stories… 0.3s"},
		{func() { clk.t = clk.t.Add(time.Second); p.draw() }, clear + "avdoc build: running the stories… 1.4s"},
		{func() { fmt.Fprintln(stderr, "a.yaml:1:1: a failure") }, clear + "a.yaml:1:1: a failure\n"},
		{func() { p.Phase("drawing 2 stories") }, ""},
		{func() { p.draw() }, clear + "avdoc build: drawing 2 stories… 1.4s"},
		{func() { p.Phase("writing") }, clear + "avdoc build: writing… 1.4s"},
		{func() { fmt.Fprintln(stdout, "built") }, clear},
		{func() { p.draw(); p.Finish() }, clear + "avdoc build: writing… 1.4s" + clear},
		{func() { p.Finish() }, ""},
	}
	for i, st := range steps {
		term.Reset()
		st.do()
		if got := term.String(); got != st.want {
			t.Errorf("step %d: the terminal got %q, want %q", i, got, st.want)
		}
	}
	if out.String() != "built\n" {
		t.Errorf("stdout got %q", out.String())
	}
}
