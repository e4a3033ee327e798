package story

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/avdoc/avdoc/engine"
	"gopkg.in/yaml.v3"
)

// Parse reads one story from src; file names it in error positions. It
// returns the story even when it also returns errors (an [ErrorList]), so
// that tools can show what parsed.
func Parse(file string, src []byte) (*Story, error) {
	p := &parser{file: file, s: &Story{File: file}, expects: map[int]*yaml.Node{}}
	p.parse(src)
	p.errs.Sort()
	return p.s, p.errs.Err()
}

type parser struct {
	file string
	s    *Story
	errs ErrorList
	// expects holds each step's expect node, read once the whole story
	// is, since it may name kernels that a later key lists.
	expects map[int]*yaml.Node
}

func (p *parser) pos(n *yaml.Node) Pos { return Pos{File: p.file, Line: n.Line, Col: n.Column} }

func (p *parser) errorf(n *yaml.Node, hint, format string, args ...any) {
	p.errs.Add(p.pos(n), hint, format, args...)
}

func (p *parser) parse(src []byte) {
	if !utf8.Valid(src) {
		p.errs.Add(Pos{File: p.file, Line: 1, Col: 1}, "save the file as UTF-8", "the file is not valid UTF-8")
		return
	}
	src = bytes.TrimPrefix(src, []byte("\uFEFF"))
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		p.errs = append(p.errs, yamlError(p.file, err))
		return
	}
	if len(doc.Content) == 0 {
		p.errs.Add(Pos{File: p.file, Line: 1, Col: 1}, "a story needs at least a title, a kernel and steps", "the file is empty")
		return
	}
	p.top(doc.Content[0])
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlError turns a yaml.v3 syntax error, which names a line but no
// column, into an Error. It is the one place that reads yaml.v3's text.
func yamlError(file string, err error) *Error {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &Error{Pos: Pos{File: file, Line: line, Col: 1}, Msg: "YAML syntax error: " + m[2],
			Hint: "check the indentation and quoting here and on the line before; YAML does not allow tabs for indentation"}
	}
	return &Error{Pos: Pos{File: file, Line: 1, Col: 1}, Msg: "YAML error: " + strings.TrimPrefix(msg, "yaml: ")}
}

var topKeys = []string{"title", "summary", "kernel", "kernels", "tags", "intro", "outro", "steps", "show"}

func (p *parser) top(n *yaml.Node) {
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "start with `title: ...`", "a story is a YAML mapping of keys (title, kernel, steps, ...), not a %s", kindName(n))
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
		}
	})
	switch {
	case seen["kernel"] != nil && seen["kernels"] != nil:
		p.errorf(seen["kernels"], "keep one of them", "a story has either `kernel` or `kernels`, not both")
	case seen["kernel"] == nil && seen["kernels"] == nil:
		p.errorf(n, "add `kernel: 2.6.34`, or `kernels: [2.6.34-rc3, 2.6.34]`", "the story names no kernel model")
	}
	if seen["title"] == nil {
		p.errorf(n, "add `title: ...`", "the story has no title")
	} else if strings.TrimSpace(p.s.Title) == "" {
		p.errorf(seen["title"], "", "the title is empty")
	}
	if seen["steps"] == nil {
		p.errorf(n, "add `steps:` with at least one step", "the story has no steps")
	}
	for i := range p.s.Steps {
		if e := p.expects[i]; e != nil {
			p.s.Steps[i].Expect = p.expect(e)
		}
	}
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
			p.errorf(key, suggest(key.Value, known), "unknown key %q; expected one of: %s", key.Value, strings.Join(known, ", "))
			continue
		}
		if prev := seen[key.Value]; prev != nil {
			p.errorf(key, "", "key %q appears twice (first at line %d)", key.Value, prev.Line)
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
		p.errorf(n, "", "expected text, found a %s", kindName(n))
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
		p.errorf(n, "write a list such as [a, b]", "expected a list, found a %s", kindName(n))
		return nil
	}
	out := make([]string, 0, len(n.Content))
	for _, c := range n.Content {
		if c.Kind != yaml.ScalarNode {
			p.errorf(c, "", "expected a word, found a %s", kindName(c))
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
	for _, c := range n.Content {
		k, ok := p.kernelEntry(c)
		if !ok {
			continue
		}
		for _, prev := range p.s.Kernels {
			if prev.Model.Name == k.Model.Name {
				p.errorf(c, "", "kernel %s is listed twice", k.Model.Name)
				ok = false
			}
		}
		if ok {
			p.s.Kernels = append(p.s.Kernels, k)
		}
	}
}

// kernelEntry reads a model name (as written text: `6.0` is not a number)
// or a map {name, base, fixes, ksm}.
func (p *parser) kernelEntry(n *yaml.Node) (Kernel, bool) {
	switch n.Kind {
	case yaml.ScalarNode:
		m, ok := p.lookupModel(n)
		return Kernel{Model: m, Pos: p.pos(n)}, ok
	case yaml.MappingNode:
		return p.customKernel(n)
	}
	p.errorf(n, "", "expected a kernel model name, found a %s", kindName(n))
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
		case "base":
			base, ok = p.lookupModel(val)
		case "fixes":
			fixes = p.words(val)
			for i, f := range fixes {
				if !knownFix(f) {
					p.errorf(val.Content[min(i, len(val.Content)-1)], suggest(f, fixNames()), "unknown fix %q; `avdoc models` lists them", f)
					ok = false
				}
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

// names reads a list of process names, expanding name ranges.
func (p *parser) names(n *yaml.Node) []string {
	var out []string
	for _, w := range p.words(n) {
		names, err := expandNames(w)
		if err != nil {
			p.errorf(n, "", "%v", err)
			continue
		}
		out = append(out, names...)
	}
	if out == nil {
		out = []string{}
	}
	return out
}

func (p *parser) steps(n *yaml.Node) {
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, "write each step as a list item: `- do: spawn P`", "steps must be a list, found a %s", kindName(n))
		return
	}
	if len(n.Content) == 0 {
		p.errorf(n, "add at least one step", "the steps list is empty")
	}
	for _, c := range n.Content {
		p.step(c)
	}
}

var stepKeys = []string{"do", "say", "expect", "show"}

func (p *parser) step(n *yaml.Node) {
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "write `- do: EVENT` and/or `say: TEXT`", "a step is a mapping with do, say, expect and show; found a %s", kindName(n))
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
			p.errorf(c, "", "expected an event such as `fork P C`, found a %s", kindName(c))
			continue
		}
		evs, errs := parseEvent(c.Value, p.scalarPos(c))
		p.errs = append(p.errs, errs...)
		out = append(out, evs...)
	}
	return out
}

// scalarPos is where a scalar's text starts: after the quote of a quoted
// one. Columns inside it are exact for single-line scalars.
func (p *parser) scalarPos(n *yaml.Node) Pos {
	pos := p.pos(n)
	if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
		pos.Col++
	}
	return pos
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "list"
	case yaml.AliasNode:
		return "alias"
	}
	if n.Value == "" {
		return "empty value"
	}
	return fmt.Sprintf("value %q", n.Value)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
