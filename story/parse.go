package story

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/avdoc/avdoc/engine"
	"github.com/avdoc/avdoc/internal/fsname"
	"gopkg.in/yaml.v3"
)

// Parse reads one story from src, within the default [Limits]; file names
// it in error positions. It returns the story even when it also returns
// errors (an [ErrorList]), so that tools can show what parsed.
func Parse(file string, src []byte) (*Story, error) {
	return ParseWith(file, src, Options{})
}

// ParseWith is [Parse] with options. A story that crosses one of the
// limits is cut at the event, expectation or step that crosses it (and
// the error says so), so that executing what parsed stays within them:
// the limits are all checked here, before anything runs.
func ParseWith(file string, src []byte, opt Options) (*Story, error) {
	p := &parser{file: file, s: &Story{File: file}, expects: map[int]*yaml.Node{}, misspelt: map[string]bool{},
		lim: opt.Limits.withDefaults()}
	p.parse(src)
	p.errs.Sort()
	p.errs.clip()
	return p.s, p.errs.Err()
}

type parser struct {
	file string
	s    *Story
	errs ErrorList
	lim  Limits
	// nEvents counts the events parsed so far. Past the work limit (each
	// costs at least a unit) the parser stops keeping them, so that no
	// file holds more events than memory does; checkLimits reports it.
	nEvents int64
	// expects holds each step's expect node, read once the whole story
	// is, since it may name kernels that a later key lists.
	expects map[int]*yaml.Node
	// lines is the source, one line each, to find where a scalar's text
	// really starts (see scalarPos) and to place YAML syntax errors.
	lines []string
	// misspelt holds the keys that an unknown key was taken for a typo
	// of, so that "titel:" does not also report a missing title.
	misspelt map[string]bool
	// lineCur is where source last left off.
	lineCur lineCursor
	// stepNo is the number of the step whose expectations are being read.
	stepNo int
}

func (p *parser) pos(n *yaml.Node) Pos { return Pos{File: p.file, Line: n.Line, Col: n.Column} }

func (p *parser) errorf(n *yaml.Node, hint, format string, args ...any) {
	p.errs.Add(p.pos(n), hint, format, args...)
}

func (p *parser) parse(src []byte) {
	if int64(len(src)) > p.lim.FileSize {
		p.errs.Add(Pos{File: p.file, Line: 1, Col: 1}, raise("--max-file-size"),
			"the file is %d bytes; a story may be at most %d bytes", len(src), p.lim.FileSize)
		return
	}
	if !utf8.Valid(src) {
		p.errs.Add(invalidUTF8(p.file, src), "save the file as UTF-8", "the file is not valid UTF-8")
		return
	}
	src = bytes.TrimPrefix(src, []byte("\uFEFF"))
	p.lines = splitLines(string(src))
	if errs := controlChars(p.file, p.lines); len(errs) > 0 {
		p.errs = append(p.errs, errs...)
		return
	}
	// A Decoder rather than yaml.Unmarshal: Unmarshal silently ignores
	// every document after the first.
	dec := yaml.NewDecoder(bytes.NewReader(src))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil && !errors.Is(err, io.EOF) {
		p.errs = append(p.errs, yamlError(p.file, err, p.lines))
		return
	}
	if len(doc.Content) == 0 || isNull(doc.Content[0]) {
		p.errs.Add(Pos{File: p.file, Line: 1, Col: 1}, "a story needs at least a title, a kernel and steps", "the file is empty")
		return
	}
	var next yaml.Node
	if err := dec.Decode(&next); err == nil && len(next.Content) > 0 && !isNull(next.Content[0]) {
		p.errorf(next.Content[0], "remove the `---` line above, or move this part to a file of its own",
			"a story file holds one YAML document; this is a second one")
	} else if err != nil && !errors.Is(err, io.EOF) {
		p.errs = append(p.errs, yamlError(p.file, err, p.lines))
	}
	p.top(doc.Content[0])
}

// splitLines splits src into lines where YAML (libyaml) sees line breaks:
// CR LF, CR, LF, NEL, LS and PS, so that line numbers agree with yaml.v3's.
func splitLines(src string) []string {
	var out []string
	for {
		i := strings.IndexAny(src, "\r\n\u0085\u2028\u2029")
		if i < 0 {
			return append(out, src)
		}
		out = append(out, src[:i])
		_, size := utf8.DecodeRuneInString(src[i:])
		if strings.HasPrefix(src[i:], "\r\n") {
			size = 2
		}
		src = src[i+size:]
	}
}

// isNull reports whether n is an empty document, such as one that holds
// only comments or `---`.
func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null" && n.Value == ""
}

// invalidUTF8 returns the position of the first byte of src that is not
// valid UTF-8.
func invalidUTF8(file string, src []byte) Pos {
	pos := Pos{File: file, Line: 1, Col: 1}
	for len(src) > 0 {
		r, n := utf8.DecodeRune(src)
		if r == utf8.RuneError && n <= 1 {
			break
		}
		if r == '\n' {
			pos.Line, pos.Col = pos.Line+1, 0
		}
		pos.Col++
		src = src[n:]
	}
	return pos
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlError turns a yaml.v3 syntax error, which names a line but no
// column, into an Error. It is the one place that reads yaml.v3's text.
//
// yaml.v3 names the wrong line for errors of its parser (as opposed to its
// scanner): the line before the one where the construct that failed
// starts, which may be far above the problem. For those, the line is
// found by parsing ever longer prefixes of the file, line by line: the
// first prefix that fails the same way ends on the line at fault.
func yamlError(file string, err error, lines []string) *Error {
	msg := err.Error()
	m := yamlLine.FindStringSubmatch(msg)
	if m == nil {
		return &Error{Pos: Pos{File: file, Line: 1, Col: 1}, Msg: "YAML error: " + strings.TrimPrefix(msg, "yaml: ")}
	}
	line, _ := strconv.Atoi(m[1])
	problem := m[2]
	if parserProblem(problem) {
		line = failingLine(problem, lines, line+1)
	}
	line = max(1, min(line, len(lines)))
	e := &Error{Pos: Pos{File: file, Line: line, Col: firstCol(lines[line-1])}, Msg: "YAML syntax error: " + problem,
		Hint: "check the indentation and quoting here and on the lines around it"}
	if strings.Contains(problem, "exceeded max depth") {
		e.Hint = "nest lists and mappings less deeply"
		return e
	}
	for _, l := range []int{line, line + 1, line - 1} {
		if l < 1 || l > len(lines) {
			continue
		}
		indent := lines[l-1][:len(lines[l-1])-len(strings.TrimLeft(lines[l-1], " \t"))]
		if i := strings.IndexByte(indent, '\t'); i >= 0 {
			e.Pos = Pos{File: file, Line: l, Col: i + 1}
			e.Hint = "this line is indented with a tab; YAML allows only spaces for indentation"
			return e
		}
	}
	if quote := strings.IndexAny(lines[line-1], `"'`); quote >= 0 && strings.Contains(problem, "end of stream") {
		e.Pos.Col = utf8.RuneCountInString(lines[line-1][:quote]) + 1
		e.Hint = "the quote opened here is never closed"
	}
	if open := strings.IndexAny(lines[line-1], "[{"); open >= 0 && strings.Contains(problem, "',' or") {
		e.Pos.Col = utf8.RuneCountInString(lines[line-1][:open]) + 1
		e.Hint = "close the list opened here"
		if strings.ContainsAny(lines[line-1][open+1:], "[{") {
			// The usual cause: `expect: [chain(P:heap:0) == [av(P:heap)]]`.
			e.Hint = "inside [...] a bracket or a comma ends the item; write an expectation that holds a list or a comma as a block list item, `- chain(P:heap:0) == [av(P:heap)]`"
		}
	}
	return e
}

// parserProblem reports whether a yaml.v3 error comes from its parser,
// whose line numbers are off (see yamlError).
func parserProblem(problem string) bool {
	for _, s := range []string{"<stream-start>", "<document start>", "expected key", "expected node content",
		"expected '-' indicator", "expected ',' or ']'", "expected ',' or '}'", "incompatible YAML document", "%TAG directive"} {
		if strings.Contains(problem, s) {
			return true
		}
	}
	return false
}

// failingLine returns the first line n such that lines 1..n fail to parse
// with problem, or fallback if none does (or the file is too long to try:
// the search parses up to every line's worth of the file).
func failingLine(problem string, lines []string, fallback int) int {
	size := 0
	for _, l := range lines {
		size += len(l) + 1
	}
	if len(lines) > 2000 || len(lines)*size > 1<<24 {
		return fallback
	}
	// The construct that failed starts on line fallback, so the problem
	// cannot lie above it.
	for n := max(1, fallback); n <= len(lines); n++ {
		var doc yaml.Node
		err := yaml.Unmarshal([]byte(strings.Join(lines[:n], "\n")+"\n"), &doc)
		if err != nil && strings.HasSuffix(err.Error(), ": "+problem) {
			return n
		}
	}
	return fallback
}

// firstCol returns the column of the first character of line that is not
// a blank, or 1.
func firstCol(line string) int {
	trimmed := strings.TrimLeft(line, " ")
	if trimmed == "" {
		return 1
	}
	return len(line) - len(trimmed) + 1
}

var topKeys = []string{"title", "summary", "kernel", "kernels", "tags", "intro", "outro", "steps", "show", "swap_device"}

func (p *parser) top(n *yaml.Node) {
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "start with `title: ...`", "a story is a YAML mapping of keys (title, kernel, steps, ...), not %s", kindName(n))
		return
	}
	seen := p.keys(n, topKeys, func(key, val *yaml.Node) {
		switch key.Value {
		case "title":
			p.s.Title = p.text(val)
		case "summary":
			p.s.Summary = p.text(val)
		case "intro":
			p.s.Intro = p.text(val)
		case "outro":
			p.s.Outro = p.text(val)
		case "tags":
			p.s.Tags = p.words(val)
		case "kernel":
			p.kernel(val)
		case "kernels":
			p.kernels(val)
		case "show":
			p.s.Show = p.show(val)
		case "steps":
			p.steps(val)
		case "swap_device":
			p.s.SwapDevice = p.swapDevice(val)
		}
	})
	for i := range p.s.Kernels {
		p.s.Kernels[i].Model.Swap = p.s.SwapDevice // the machine's device, whatever the order of the keys
	}
	switch {
	case seen["kernel"] != nil && seen["kernels"] != nil:
		p.errorf(seen["kernels"], "keep one of them", "a story has either `kernel` or `kernels`, not both")
	case seen["kernel"] == nil && seen["kernels"] == nil && !p.misspelt["kernel"] && !p.misspelt["kernels"]:
		p.errorf(n, "add `kernel: 2.6.34`, or `kernels: [2.6.34-rc3, 2.6.34]`", "the story names no kernel model")
	}
	if seen["title"] == nil {
		if !p.misspelt["title"] {
			p.errorf(n, "add `title: ...`", "the story has no title")
		}
	} else if seen["title"].Kind == yaml.ScalarNode && strings.TrimSpace(p.s.Title) == "" {
		p.errorf(seen["title"], "", "the title is empty")
	}
	if seen["steps"] == nil && !p.misspelt["steps"] {
		p.errorf(n, "add `steps:` with at least one step", "the story has no steps")
	}
	for i := range p.s.Steps {
		if e := p.expects[i]; e != nil {
			p.stepNo = i + 1
			p.s.Steps[i].Expect = p.expect(e)
		}
	}
	p.checkLimits()
}

// keys walks a mapping, reporting unknown and repeated keys, and calls fn
// for each known one. It returns the value node of each key seen.
func (p *parser) keys(n *yaml.Node, known []string, fn func(key, val *yaml.Node)) map[string]*yaml.Node {
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i], n.Content[i+1]
		if key.Kind != yaml.ScalarNode {
			p.errorf(key, "", "a key must be a plain word")
			continue
		}
		if !contains(known, key.Value) {
			hint := suggest(key.Value, known)
			if hint != "" {
				// Only the unknown key is reported, not also the
				// known one it misspells as missing.
				p.misspelt[suggestion(key.Value, known)] = true
			}
			p.errorf(key, hint, "unknown key %q; expected one of: %s", key.Value, strings.Join(known, ", "))
			continue
		}
		if prev := seen[key.Value]; prev != nil {
			p.errorf(key, "keep one of them", "key %q appears twice (first at line %d)", key.Value, prev.Line)
			continue
		}
		seen[key.Value] = val
		fn(key, val)
	}
	return seen
}

// text reads a scalar as text, whatever YAML would decode it as.
func (p *parser) text(n *yaml.Node) string {
	if n.Kind != yaml.ScalarNode {
		p.errorf(n, "quote text that starts with [ or { or holds `: `", "expected text, found %s", kindName(n))
		return ""
	}
	return n.Value
}

// words reads a list of scalars (or one scalar) as text.
func (p *parser) words(n *yaml.Node) []string {
	if n.Kind == yaml.ScalarNode {
		return []string{n.Value}
	}
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, "write a list such as [a, b]", "expected a list, found %s", kindName(n))
		return nil
	}
	out := make([]string, 0, len(n.Content))
	for _, c := range n.Content {
		if c.Kind != yaml.ScalarNode {
			p.errorf(c, "", "expected a word, found %s", kindName(c))
			continue
		}
		out = append(out, c.Value)
	}
	return out
}

func (p *parser) boolean(n *yaml.Node) *bool {
	var b bool
	if n.Kind != yaml.ScalarNode || n.Decode(&b) != nil {
		p.errorf(n, "write true or false", "expected true or false, found %q", n.Value)
		return nil
	}
	return &b
}

func (p *parser) kernel(n *yaml.Node) {
	if k, ok := p.kernelEntry(n); ok {
		p.s.Kernels = append(p.s.Kernels, k)
	}
}

func (p *parser) kernels(n *yaml.Node) {
	if n.Kind != yaml.SequenceNode {
		p.kernel(n)
		return
	}
	if len(n.Content) == 0 {
		p.errorf(n, "name at least one, e.g. [2.6.34]", "the kernels list is empty")
	}
	// Only the list's own entries count as repeats: a `kernel:` key
	// alongside is reported as such, not as a kernel listed twice.
	first := len(p.s.Kernels)
	for _, c := range n.Content {
		k, ok := p.kernelEntry(c)
		if !ok {
			continue
		}
		for _, prev := range p.s.Kernels[first:] {
			switch {
			case prev.Model.Name == k.Model.Name:
				p.errorf(c, "remove one of them", "kernel %s is listed twice", k.Model.Name)
				ok = false
			case fsname.Key(prev.Model.Name) == fsname.Key(k.Model.Name):
				p.kernelFileClash(nameNode(c), prev, k.Model.Name)
				ok = false
			}
		}
		if ok {
			p.s.Kernels = append(p.s.Kernels, k)
		}
	}
}

// kernelFileClash reports a kernel whose name would give its diagrams
// the file name of an earlier kernel's (see fsname.Key).
func (p *parser) kernelFileClash(n *yaml.Node, prev Kernel, name string) {
	const hint = "rename one: in file names every character but A-Z, a-z, 0-9, '.', '_' and '-' becomes '_', and case is not told apart"
	a, b := fsname.Part(prev.Model.Name), fsname.Part(name)
	if a == b {
		p.errorf(n, hint, "kernels %q (line %d) and %q would share the file name %q of their diagrams", prev.Model.Name, prev.Pos.Line, name, a)
		return
	}
	p.errorf(n, hint, "kernels %q (line %d) and %q would give their diagrams file names that differ only in case (%q and %q), one file on macOS and Windows",
		prev.Model.Name, prev.Pos.Line, name, a, b)
}

// nameNode returns the node that names a kernel entry: the value of a
// custom kernel's name key, or the entry itself.
func nameNode(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == "name" {
				return n.Content[i+1]
			}
		}
	}
	return n
}

// kernelEntry reads a model name (as written text: `6.0` is not a number)
// or a map {name, base, fixes, ksm}.
func (p *parser) kernelEntry(n *yaml.Node) (Kernel, bool) {
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Value == LiveKernel {
			return liveKernel(p.pos(n)), true
		}
		m, ok := p.lookupModel(n)
		return Kernel{Model: m, Pos: p.pos(n)}, ok
	case yaml.MappingNode:
		return p.customKernel(n)
	}
	p.errorf(n, "", "expected a kernel model name, found %s", kindName(n))
	return Kernel{}, false
}

func (p *parser) lookupModel(n *yaml.Node) (engine.Model, bool) {
	m, err := engine.Lookup(n.Value)
	if err != nil {
		hint := suggest(n.Value, engine.ModelNames())
		if contains(engine.ModelNames(), n.Value) {
			hint = ""
		}
		p.errorf(n, hint, "%v", err)
		return engine.Model{}, false
	}
	return m, true
}

func (p *parser) customKernel(n *yaml.Node) (Kernel, bool) {
	var name string
	var base engine.Model
	var fixes []string
	var ksm *bool
	ok := true
	seen := p.keys(n, []string{"name", "base", "fixes", "ksm"}, func(key, val *yaml.Node) {
		switch key.Value {
		case "name":
			name = p.text(val)
			if strings.TrimSpace(name) == "" || name == "all" {
				p.errorf(val, "write e.g. `name: rc3+oldest`", "a custom kernel needs a name of its own (not empty, not `all`)")
				ok = false
			}
		case "base":
			var found bool
			base, found = p.lookupModel(val)
			ok = ok && found
		case "fixes":
			// One node per fix: the list's items, or the one scalar
			// `fixes: clone-order`. Given, even empty, it replaces the
			// base's fixes; absent, the base keeps them.
			fixes = []string{}
			items := []*yaml.Node{val}
			if val.Kind == yaml.SequenceNode {
				items = val.Content
			}
			for _, c := range items {
				if c.Kind != yaml.ScalarNode {
					p.errorf(c, "write e.g. [clone-order, oldest-anon-vma]", "expected the name of a fix, found %s", kindName(c))
					ok = false
					continue
				}
				if !knownFix(c.Value) {
					p.errorf(c, suggest(c.Value, fixNames()), "unknown fix %q; `avdoc models` lists them", c.Value)
					ok = false
					continue
				}
				fixes = append(fixes, c.Value)
			}
		case "ksm":
			ksm = p.boolean(val)
		}
	})
	if seen["name"] == nil || seen["base"] == nil {
		p.errorf(n, "write {name: rc3+oldest, base: 2.6.34-rc3, fixes: [oldest-anon-vma]}", "a custom kernel needs a name and a base")
		return Kernel{}, false
	}
	if !ok {
		return Kernel{}, false
	}
	m, err := engine.Derive(name, base, fixes, ksm != nil && *ksm)
	if err != nil {
		p.errorf(n, "", "%v", err)
		return Kernel{}, false
	}
	return Kernel{Model: m, Pos: p.pos(n)}, true
}

func knownFix(name string) bool { return contains(fixNames(), name) }

func fixNames() []string {
	var out []string
	for _, f := range engine.Fixes() {
		out = append(out, f.Name)
	}
	return out
}

func (p *parser) show(n *yaml.Node) Show {
	var s Show
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "write e.g. {pages: true, only: [P, C]}", "show expects a mapping of display options")
		return s
	}
	p.keys(n, []string{"pages", "ptes", "swap", "only", "collapse"}, func(key, val *yaml.Node) {
		switch key.Value {
		case "pages":
			s.Pages = p.boolean(val)
		case "ptes":
			s.PTEs = p.boolean(val)
		case "swap":
			s.Swap = p.boolean(val)
		case "only":
			s.Only = p.names(val)
		case "collapse":
			s.Collapse = p.names(val)
		}
	})
	return s
}

// names reads a list of process names, expanding name ranges. Errors
// point at the item at fault.
func (p *parser) names(n *yaml.Node) []string {
	items := []*yaml.Node{n}
	if n.Kind == yaml.SequenceNode {
		items = n.Content
	}
	out := []string{}
	for _, c := range items {
		if c.Kind != yaml.ScalarNode {
			p.errorf(c, "write a list such as [P, C1..C3]", "expected a process name, found %s", kindName(c))
			continue
		}
		names, err := expandNames(c.Value, p.lim.Procs)
		if err != nil {
			p.errorf(c, err.hint, "%s", err.msg)
			continue
		}
		out = append(out, names...)
	}
	return out
}

func (p *parser) steps(n *yaml.Node) {
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, "write each step as a list item: `- do: spawn P`", "steps must be a list, found %s", kindName(n))
		return
	}
	if len(n.Content) == 0 {
		p.errorf(n, "add at least one step", "the steps list is empty")
	}
	for i, c := range n.Content {
		if i == p.lim.Steps {
			p.errorf(c, raise("--max-steps")+", or split the story", "a story may have at most %d steps; this is step %d", p.lim.Steps, i+1)
			return
		}
		p.step(c)
	}
}

var stepKeys = []string{"do", "say", "expect", "show"}

func (p *parser) step(n *yaml.Node) {
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "write `- do: EVENT` and/or `say: TEXT`", "a step is a mapping with do, say, expect and show; found %s", kindName(n))
		return
	}
	st := Step{Pos: p.pos(n)}
	var expect *yaml.Node
	p.keys(n, stepKeys, func(key, val *yaml.Node) {
		switch key.Value {
		case "do":
			st.Events = p.events(val)
		case "say":
			st.Say = p.text(val)
		case "expect":
			expect = val
		case "show":
			st.Show = p.show(val)
		}
	})
	if expect != nil {
		p.expects[len(p.s.Steps)] = expect
	}
	p.s.Steps = append(p.s.Steps, st)
}

func (p *parser) events(n *yaml.Node) []Event {
	var nodes []*yaml.Node
	switch n.Kind {
	case yaml.ScalarNode:
		nodes = []*yaml.Node{n}
	case yaml.SequenceNode:
		nodes = n.Content
	default:
		p.errorf(n, "write `do: fork P C` or `do: [spawn P, mmap P heap 1]`", "do expects an event or a list of events")
		return nil
	}
	var out []Event
	for _, c := range nodes {
		if c.Kind != yaml.ScalarNode {
			p.errorf(c, "", "expected an event such as `fork P C`, found %s", kindName(c))
			continue
		}
		if len(splitLines(strings.TrimSpace(c.Value))) > 1 {
			// `do: |` with one event a line would otherwise read as
			// one event with too many arguments.
			p.errorf(c, "write one event per list item: `do: [spawn P, fork P C]`", "an event is one line; this one has several")
			continue
		}
		evs, errs := parseEvent(c.Value, p.scalarPos(c), p.lim)
		p.errs = append(p.errs, errs...)
		if p.nEvents <= p.lim.Work {
			out = append(out, evs...)
			p.nEvents += int64(len(evs))
		}
	}
	return out
}

// textPos maps byte offsets in a scalar's text to positions in the file.
type textPos struct {
	start Pos    // where the text's first character is
	text  string // the scalar's value
	// exact is set when the value is written out as it is, on one line
	// from start on. Otherwise (an escape, a line break, a block scalar
	// not found where expected) offsets cannot be placed, and every
	// position inside the text is its start.
	exact bool
	// cur remembers the last offset placed, so that placing every token
	// of a long text, in order, counts each of its runes about once
	// rather than from the start each time. Nil counts from the start.
	cur *runeCursor
}

// runeCursor is an offset in a text and the number of runes before it.
type runeCursor struct{ off, runes int }

// at returns the position of the byte at offset off of the text. YAML
// counts columns in characters, not bytes.
func (t textPos) at(off int) Pos {
	if !t.exact || off <= 0 {
		return t.start
	}
	return t.start.add(t.runesBefore(min(off, len(t.text))))
}

// runesBefore counts the runes of the text before offset off, from the
// cursor: the cost is the distance from the last offset asked about.
func (t textPos) runesBefore(off int) int {
	c := t.cur
	if c == nil {
		return utf8.RuneCountInString(t.text[:off])
	}
	if off >= c.off {
		c.runes += utf8.RuneCountInString(t.text[c.off:off])
	} else {
		c.runes -= utf8.RuneCountInString(t.text[off:c.off])
	}
	c.off = off
	return c.runes
}

// scalarPos says where a scalar's text starts: after the quote of a quoted
// one, on the next line for a block scalar (`do: |`). Columns inside it
// are exact when the text is written out as is on one line.
func (p *parser) scalarPos(n *yaml.Node) textPos {
	t := textPos{start: p.pos(n), text: n.Value, cur: &runeCursor{}}
	oneLine := len(splitLines(n.Value)) == 1
	if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		value := strings.TrimRight(n.Value, "\n")
		oneLine = len(splitLines(value)) == 1
		for l := n.Line + 1; l <= len(p.lines) && oneLine; l++ {
			line := p.lines[l-1]
			text := strings.TrimLeft(line, " ")
			if text == "" {
				continue
			}
			if strings.HasPrefix(text, value) {
				t.start = Pos{File: p.file, Line: l, Col: len(line) - len(text) + 1}
				t.exact = true
			}
			break
		}
		return t
	}
	if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
		t.start.Col++
	}
	t.exact = oneLine && strings.HasPrefix(p.source(t.start), n.Value)
	return t
}

// source returns the text of the file from pos to the end of its line.
// It walks the line from where the last call left off when pos is
// further along the same line, so that the scalars of a long flow list
// (`[a, b, c, …]` on one line), asked about in order, cost one walk of
// the line in all.
func (p *parser) source(pos Pos) string {
	if pos.Line < 1 || pos.Line > len(p.lines) {
		return ""
	}
	line := p.lines[pos.Line-1]
	c := &p.lineCur
	if c.line != pos.Line || c.col > pos.Col {
		*c = lineCursor{line: pos.Line, col: 1}
	}
	for c.col < pos.Col && c.off < len(line) {
		_, size := utf8.DecodeRuneInString(line[c.off:])
		c.off += size
		c.col++
	}
	return line[c.off:]
}

// lineCursor is a column of a line of the source and its byte offset.
type lineCursor struct{ line, col, off int }

// kindName names what n is, with its article: "a list", "the text "x"".
func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias (*" + n.Value + ")"
	}
	if n.Value == "" {
		return "nothing"
	}
	return fmt.Sprintf("the text %q", n.Value)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// swapDevice reads `swap_device: file|zram`.
func (p *parser) swapDevice(n *yaml.Node) engine.SwapDevice {
	if n.Kind == yaml.ScalarNode {
		for i, name := range engine.SwapDevices() {
			if n.Value == name {
				return engine.SwapDevice(i)
			}
		}
	}
	p.errorf(n, suggest(n.Value, engine.SwapDevices()), "expected a swap device (%s), found %q", strings.Join(engine.SwapDevices(), " or "), n.Value)
	return engine.SwapFile
}
