package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// progressDelay is how long a command runs before its progress shows:
// a quick build prints nothing more.
const progressDelay = 300 * time.Millisecond

// progressEvery is how often the elapsed time is redrawn.
const progressEvery = 100 * time.Millisecond

// progress shows what a long command is doing, and for how long, on one
// line of the terminal that it rewrites. It is off, and writes nothing,
// when standard error is not a terminal or in CI. Everything else the
// command writes goes through its writers, which clear the line first.
type progress struct {
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

// showProgress starts showing the progress of cmd on c's standard error
// if it is a terminal and not in CI, and routes c's output through it.
// It draws on the terminal as given (c.term), its own escapes unquoted.
// The caller must call finish.
func (c *cli) showProgress(cmd string) *progress {
	if !progressWanted(writesToTerminal(c.term), os.Getenv) {
		return &progress{}
	}
	p := newProgress(c.term, cmd, time.Now)
	c.stdout, c.stderr = p.writer(c.stdout), p.writer(c.stderr)
	p.stop, p.done = make(chan struct{}), make(chan struct{})
	go p.tick()
	return p
}

// progressWanted reports whether to show progress: on a terminal, unless
// the environment says CI, or a terminal that cannot rewrite a line.
func progressWanted(terminal bool, getenv func(string) string) bool {
	return terminal && getenv("CI") == "" && getenv("TERM") != "dumb"
}

// newProgress returns a progress of cmd drawn on w, timed by now; it
// draws only when told to (see showProgress for the ticking one).
func newProgress(w io.Writer, cmd string, now func() time.Time) *progress {
	return &progress{w: w, cmd: cmd, now: now, start: now()}
}

// phase says what the command does now.
func (p *progress) phase(label string) {
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

// tick redraws the line until finish.
func (p *progress) tick() {
	defer close(p.done)
	t := time.NewTicker(progressEvery)
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

// draw shows the line, once the command has run for progressDelay.
func (p *progress) draw() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.now().Sub(p.start) >= progressDelay {
		p.drawLocked()
	}
}

// drawLocked draws the line. The caller holds p.mu.
func (p *progress) drawLocked() {
	elapsed := p.now().Sub(p.start).Seconds()
	fmt.Fprintf(p.w, "\r\033[Kavdoc %s: %s… %.1fs", p.cmd, p.label, elapsed)
	p.shown = true
}

// clearLocked takes the line off the screen.
func (p *progress) clearLocked() {
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
		p.shown = false
	}
}

// finish stops the progress and clears its line.
func (p *progress) finish() {
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

// writer returns w, writing through which first clears the line; the
// next tick draws it again below what was written.
func (p *progress) writer(w io.Writer) io.Writer { return &progressWriter{p: p, w: w} }

// progressWriter is a writer of the command whose writes clear the
// progress line first.
type progressWriter struct {
	p *progress
	w io.Writer
}

// Write clears the line and writes b.
func (pw *progressWriter) Write(b []byte) (int, error) {
	pw.p.mu.Lock()
	defer pw.p.mu.Unlock()
	pw.p.clearLocked()
	return pw.w.Write(b)
}
