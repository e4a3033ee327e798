// Package progress shows what a long command is doing, and for how
// long, on one line of the terminal that it rewrites.
package progress

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// delay is how long a command runs before its progress shows:
// a quick build prints nothing more.
const delay = 300 * time.Millisecond

// every is how often the elapsed time is redrawn.
const every = 100 * time.Millisecond

// Line shows what a long command is doing, and for how long, on one
// line of the terminal that it rewrites. It is off, and writes nothing,
// when standard error is not a terminal or in CI. Everything else the
// command writes goes through its writers, which clear the line first.
type Line struct {
	mu    sync.Mutex
	w     io.Writer // the terminal, or nil when off
	cmd   string
	label string
	start time.Time
	now   func() time.Time
	shown bool          // the line is on the screen
	stop  chan struct{} // closed by finish
	done  chan struct{} // closed when the ticker has stopped
}

// New returns a progress line of cmd drawn on w, timed by now; it draws
// only when told to, until [Line.Start].
func New(w io.Writer, cmd string, now func() time.Time) *Line {
	return &Line{w: w, cmd: cmd, now: now, start: now()}
}

// Off is a progress line that shows nothing.
func Off() *Line { return &Line{} }

// Start redraws the line every tenth of a second, once the command has
// run for 300 ms, until [Line.Finish].
func (p *Line) Start() {
	p.stop, p.done = make(chan struct{}), make(chan struct{})
	go p.tick()
}

// Wanted reports whether to show progress: on a terminal, unless the
// environment says CI, or a terminal that cannot rewrite a line.
func Wanted(terminal bool, getenv func(string) string) bool {
	return terminal && getenv("CI") == "" && getenv("TERM") != "dumb"
}

// Phase says what the command does now.
func (p *Line) Phase(label string) {
	if p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.label = label
	if p.shown {
		p.drawLocked()
	}
}

// tick redraws the line until Finish.
func (p *Line) tick() {
	defer close(p.done)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-t.C:
			p.draw()
		}
	}
}

// draw shows the line, once the command has run for delay.
func (p *Line) draw() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.now().Sub(p.start) >= delay {
		p.drawLocked()
	}
}

// drawLocked draws the line. The caller holds p.mu.
func (p *Line) drawLocked() {
	elapsed := p.now().Sub(p.start).Seconds()
	fmt.Fprintf(p.w, "\r\033[Kavdoc %s: %s… %.1fs", p.cmd, p.label, elapsed)
	p.shown = true
}

// clearLocked takes the line off the screen.
func (p *Line) clearLocked() {
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
		p.shown = false
	}
}

// Finish stops the progress and clears its line.
func (p *Line) Finish() {
	if p.w == nil {
		return
	}
	if p.stop != nil {
		close(p.stop)
		<-p.done
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clearLocked()
}

// Writer returns w, writing through which first clears the line; the
// next tick draws it again below what was written.
func (p *Line) Writer(w io.Writer) io.Writer { return &writer{p: p, w: w} }

// writer is a writer of the command whose writes clear the
// progress line first.
type writer struct {
	p *Line
	w io.Writer
}

// Write clears the line and writes b.
func (pw *writer) Write(b []byte) (int, error) {
	pw.p.mu.Lock()
	defer pw.p.mu.Unlock()
	pw.p.clearLocked()
	return pw.w.Write(b)
}
