package story

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/avdoc/avdoc/engine"
)

// word is one blank-separated word of an event and its column offset.
type word struct {
	text string
	off  int
}

func splitWords(s string) []word {
	var out []word
	start := -1
	for i := 0; i <= len(s); i++ {
		// Any blank separates words: a block scalar (`do: |`) ends in a
		// line break.
		if i == len(s) || s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' {
			if start >= 0 {
				out = append(out, word{s[start:i], start})
				start = -1
			}
		} else if start < 0 {
			start = i
		}
	}
	return out
}

func eventNames() []string {
	var out []string
	for _, o := range engine.Ops() {
		out = append(out, o.String())
	}
	return out
}

// usage gives each event's syntax, for hints.
var usage = map[engine.Op]string{
	engine.OpSpawn: "spawn P", engine.OpMmap: "mmap P REGION N [at PAGE] [ro|rw]",
	engine.OpRead: "read P:REGION:I", engine.OpWrite: "write P:REGION:I..J",
	engine.OpFork: "fork P C", engine.OpExit: "exit P", engine.OpMunmap: "munmap P:REGION",
	engine.OpMprotect: "mprotect P:REGION:I..J ro|rw", engine.OpSwapout: "swapout P:REGION:I or swapout all",
	engine.OpHibernate: "hibernate", engine.OpEvict: "evict P:REGION:I or evict all", engine.OpWalk: "walk P:REGION:I",
	engine.OpMremap: "mremap P:REGION N [at PAGE]", engine.OpMadvise: "madvise P:REGION:I..J dontneed|pageout",
}

// eventParser parses one event's text.
type eventParser struct {
	pos   textPos
	words []word
	errs  ErrorList
	ev    Event
	lim   Limits
}

func (e *eventParser) at(w word) Pos { return e.pos.at(w.off) }

func (e *eventParser) errorf(w word, hint, format string, args ...any) {
	e.errs.Add(e.at(w), hint, format, args...)
}

// parseEvent parses the text of one event, at pos, into the events it
// stands for: one, or one per name of a name range.
func parseEvent(text string, pos textPos, lim Limits) ([]Event, ErrorList) {
	e := &eventParser{pos: pos, words: splitWords(text), lim: lim}
	e.ev = Event{Text: strings.TrimSpace(text), Pos: pos.at(0), fields: map[engine.Field]Pos{}}
	if len(e.words) == 0 {
		e.errs.Add(pos.at(0), "write an event such as `spawn P`", "empty event")
		return nil, e.errs
	}
	name := e.words[0]
	op := opByName(name.text)
	if op == 0 {
		e.errorf(name, suggest(name.text, eventNames()), "unknown event %q", name.text)
		return nil, e.errs
	}
	e.ev.Op = op
	e.ev.Pos = e.at(name)
	names := e.args(op)
	if len(e.errs) > 0 {
		return nil, e.errs
	}
	return e.expand(names), nil
}

func opByName(s string) engine.Op {
	for _, o := range engine.Ops() {
		if o.String() == s {
			return o
		}
	}
	return 0
}

// want checks the number of arguments.
func (e *eventParser) want(op engine.Op, min, max int) bool {
	n := len(e.words) - 1
	if n >= min && n <= max {
		return true
	}
	w := e.words[0]
	if n > max {
		w = e.words[max+1]
	}
	e.errorf(w, "write `"+usage[op]+"`", "%s takes %s, found %d", op, plural(min, max), n)
	return false
}

func plural(min, max int) string {
	switch {
	case min == max && min == 1:
		return "1 argument"
	case min == max:
		return fmt.Sprintf("%d arguments", min)
	}
	return fmt.Sprintf("%d to %d arguments", min, max)
}

// args parses the arguments of op and returns the names a name range in
// the event expands to (nil if none).
func (e *eventParser) args(op engine.Op) []string {
	switch op {
	case engine.OpSpawn, engine.OpExit:
		if e.want(op, 1, 1) {
			return e.procNames(e.words[1], engine.FieldProc)
		}
	case engine.OpFork:
		if e.want(op, 2, 2) {
			e.ev.Proc = e.ident(e.words[1], engine.FieldProc)
			return e.procNames(e.words[2], engine.FieldChild)
		}
	case engine.OpMmap:
		e.mmap()
	case engine.OpHibernate:
		e.want(op, 0, 0)
	case engine.OpMprotect:
		if e.want(op, 2, 2) {
			e.ev.Writable = e.prot(e.words[2])
			return e.rangeArg(e.words[1])
		}
	case engine.OpMremap:
		return e.mremap()
	case engine.OpMadvise:
		if e.want(op, 2, 2) {
			e.ev.Advice = e.advice(e.words[2])
			return e.rangeArg(e.words[1])
		}
	case engine.OpSwapout, engine.OpEvict:
		if e.want(op, 1, 1) && e.words[1].text == "all" {
			e.ev.All = true
			return nil
		}
		fallthrough
	default:
		if e.want(op, 1, 1) {
			return e.rangeArg(e.words[1])
		}
	}
	return nil
}

func (e *eventParser) mmap() {
	if !e.want(engine.OpMmap, 3, 6) {
		return
	}
	e.ev.Proc = e.ident(e.words[1], engine.FieldProc)
	e.ev.Region = e.ident(e.words[2], engine.FieldRegion)
	e.ev.Pages = e.count(e.words[3], engine.FieldPages)
	e.ev.Writable = true
	rest := e.words[4:]
	for i := 0; i < len(rest); i++ {
		w := rest[i]
		switch {
		case w.text == "at" && i+1 < len(rest):
			i++
			e.ev.At, e.ev.HasAt = e.pageNumber(rest[i]), true
			e.ev.fields[engine.FieldAt] = e.at(rest[i])
		case w.text == "at":
			e.errorf(w, "write e.g. `at 0x200`", "at needs a page number after it")
		case w.text == "ro" || w.text == "rw":
			e.ev.Writable = e.prot(w)
		default:
			e.errorf(w, "write `"+usage[engine.OpMmap]+"`", "unexpected %q in mmap", w.text)
		}
	}
}

// mremap reads `mremap P:REGION N [at PAGE]`: a whole region, its new
// size, and where to move it.
func (e *eventParser) mremap() []string {
	if !e.want(engine.OpMremap, 2, 4) {
		return nil
	}
	names := e.rangeArg(e.words[1])
	if !e.ev.Range.Whole && len(e.errs) == 0 {
		e.errorf(e.words[1], "write "+e.ev.Range.Proc+":"+e.ev.Range.Region, "mremap moves or resizes a whole region, not %q", e.words[1].text)
	}
	e.ev.Pages = e.count(e.words[2], engine.FieldPages)
	switch rest := e.words[3:]; {
	case len(rest) == 2 && rest[0].text == "at":
		e.ev.At, e.ev.HasAt = e.pageNumber(rest[1]), true
		e.ev.fields[engine.FieldAt] = e.at(rest[1])
	case len(rest) > 0:
		e.errorf(rest[0], "write `"+usage[engine.OpMremap]+"`", "unexpected %q in mremap", rest[0].text)
	}
	return names
}

// advice reads madvise's advice.
func (e *eventParser) advice(w word) engine.Advice {
	var names []string
	for _, a := range engine.Advices() {
		if a.String() == w.text {
			return a
		}
		names = append(names, a.String())
	}
	e.errorf(w, suggest(w.text, names), "expected an advice (%s), found %q", strings.Join(names, " or "), w.text)
	return 0
}

var identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)

func (e *eventParser) ident(w word, f engine.Field) string {
	e.ev.fields[f] = e.at(w)
	if !identRE.MatchString(w.text) {
		e.errorf(w, "names start with a letter or _ and hold letters, digits, _ and -", "%q is not a valid name", w.text)
	}
	return w.text
}

// count reads the number of pages of an mmap. The engine keeps a page
// table entry per page, so a count beyond the pages limit (a mistyped
// 10000000000) is refused here rather than exhaust memory.
func (e *eventParser) count(w word, f engine.Field) int {
	e.ev.fields[f] = e.at(w)
	n, err := strconv.Atoi(w.text)
	switch {
	case errors.Is(err, strconv.ErrRange) || err == nil && n > e.lim.Pages:
		e.errorf(w, raise("--max-pages"), "a story may map at most %d pages; this mmap asks for %s", e.lim.Pages, w.text)
	case err != nil || n < 1:
		e.errorf(w, "write e.g. `mmap P heap 4`", "expected a number of pages (1 or more), found %q", w.text)
	default:
		return n
	}
	return 0
}

func (e *eventParser) pageNumber(w word) uint64 {
	n, err := strconv.ParseUint(w.text, 0, 40)
	if err != nil {
		e.errorf(w, "write a page number such as 256 or 0x100", "expected a page number, found %q", w.text)
	}
	return n
}

func (e *eventParser) prot(w word) bool {
	if w.text != "ro" && w.text != "rw" {
		e.errorf(w, suggest(w.text, []string{"ro", "rw"}), "expected ro or rw, found %q", w.text)
	}
	return w.text == "rw"
}

// procNames reads a process name or a name range.
func (e *eventParser) procNames(w word, f engine.Field) []string {
	e.ev.fields[f] = e.at(w)
	if !strings.Contains(w.text, "..") {
		e.setProc(f, e.ident(w, f))
		return nil
	}
	names, err := expandNames(w.text, e.lim.Procs)
	if err != nil {
		e.errorf(w, err.hint, "%s", err.msg)
		return nil
	}
	return names
}

func (e *eventParser) setProc(f engine.Field, name string) {
	if f == engine.FieldChild {
		e.ev.Child = name
	} else {
		e.ev.Proc = name
	}
}

// rangeArg reads PROC:REGION, PROC:REGION:*, PROC:REGION:I or
// PROC:REGION:I..J, where PROC may be a name range.
func (e *eventParser) rangeArg(w word) []string {
	parts := strings.Split(w.text, ":")
	e.ev.fields[engine.FieldProc] = e.at(w)
	if len(parts) < 2 || len(parts) > 3 {
		hint := "write PROC:REGION:I, PROC:REGION:I..J or PROC:REGION"
		if e.ev.Op == engine.OpSwapout || e.ev.Op == engine.OpEvict {
			hint = "write PROC:REGION:I, PROC:REGION:I..J, PROC:REGION or all"
		}
		e.errorf(w, hint, "expected a page address or range, found %q", w.text)
		return nil
	}
	procW := word{parts[0], w.off}
	regW := word{parts[1], w.off + len(parts[0]) + 1}
	var names []string
	if strings.Contains(parts[0], "..") {
		names = e.procNames(procW, engine.FieldProc)
	} else {
		e.ev.Range.Proc = e.ident(procW, engine.FieldProc)
	}
	e.ev.Range.Region = e.ident(regW, engine.FieldRegion)
	e.ev.Range.Whole = true
	if len(parts) == 3 {
		e.index(word{parts[2], regW.off + len(parts[1]) + 1})
	}
	return names
}

func (e *eventParser) index(w word) {
	e.ev.fields[engine.FieldIndex] = e.at(w)
	if w.text == "*" {
		return
	}
	first, last, ok := parseSpan(w.text)
	if !ok {
		e.errorf(w, "write a page index such as 0, or a span such as 0..3, or *", "expected a page index, found %q", w.text)
		return
	}
	if first > last {
		e.errorf(w, fmt.Sprintf("write %d..%d", last, first), "the span %s runs backwards", w.text)
		return
	}
	e.ev.Range.Whole, e.ev.Range.First, e.ev.Range.Last = false, first, last
}

// parseSpan reads "I" or "I..J".
func parseSpan(s string) (int, int, bool) {
	a, b, isSpan := strings.Cut(s, "..")
	first, err1 := strconv.Atoi(a)
	last, err2 := first, error(nil)
	if isSpan {
		last, err2 = strconv.Atoi(b)
	}
	if err1 != nil || err2 != nil || first < 0 || last < 0 || first > 1<<30 || last > 1<<30 {
		return 0, 0, false
	}
	return first, last, true
}

var nameRangeRE = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_-]*?)(\d+)\.\.([A-Za-z_][A-Za-z0-9_-]*?)(\d+)$`)

// nameError is a bad process name or name range, with a hint that fits
// the problem.
type nameError struct{ msg, hint string }

// expandNames expands a name range such as C1..C1000 (a bare name stands
// for itself), of at most procs names: a story has no more processes.
func expandNames(s string, procs int) ([]string, *nameError) {
	if !strings.Contains(s, "..") {
		if !identRE.MatchString(s) {
			return nil, &nameError{fmt.Sprintf("%q is not a valid name", s), "names start with a letter or _ and hold letters, digits, _ and -"}
		}
		return []string{s}, nil
	}
	m := nameRangeRE.FindStringSubmatch(s)
	if m == nil || m[1] != m[3] {
		return nil, &nameError{fmt.Sprintf("%q is not a name range: both ends need the same prefix followed by a number", s), "write a name range such as C1..C8"}
	}
	first, err1 := strconv.Atoi(m[2])
	last, err2 := strconv.Atoi(m[4])
	switch {
	case err1 != nil || err2 != nil:
		return nil, &nameError{fmt.Sprintf("the numbers of %q are too large", s), ""}
	case first > last:
		return nil, &nameError{fmt.Sprintf("the name range %q runs backwards", s), fmt.Sprintf("write %s%s..%s%s", m[1], m[4], m[1], m[2])}
	case last-first+1 > procs:
		return nil, &nameError{fmt.Sprintf("the name range %q names %d processes; a story may create at most %d", s, last-first+1, procs), raise("--max-procs")}
	}
	out := make([]string, 0, last-first+1)
	for i := first; i <= last; i++ {
		out = append(out, m[1]+strconv.Itoa(i))
	}
	return out, nil
}

// expand turns an event with a name range into one event per name.
func (e *eventParser) expand(names []string) []Event {
	if names == nil {
		return []Event{e.ev}
	}
	out := make([]Event, len(names))
	for i, n := range names {
		ev := e.ev
		switch {
		case ev.Op == engine.OpFork:
			ev.Child = n
		case ev.Op == engine.OpSpawn || ev.Op == engine.OpExit:
			ev.Proc = n
		default:
			ev.Range.Proc = n
		}
		out[i] = ev
	}
	return out
}
