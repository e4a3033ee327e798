package story

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/avdoc/avdoc/engine"
	"gopkg.in/yaml.v3"
)

// Expr is one parsed expectation: a comparison (Op set) or a predicate
// (Pred set).
type Expr struct {
	Op          string // ==, !=, <, <=, >, >=, in
	Left, Right Term
	Pred        string // oops, no oops, clean, violation, freed, alive, swapped
	Violation   string // the invariant a `violation NAME` names
	Arg         Term   // the argument of freed, alive, swapped
}

// TermKind is the kind of a [Term].
type TermKind int

// The kinds of term.
const (
	TermInt  TermKind = iota + 1 // 3
	TermName                     // P
	TermList                     // [a, b]
	TermFunc                     // mapping(P:heap:0), av(P:heap), count(avc), root(…)
)

// Term is one operand of an expectation.
type Term struct {
	Kind  TermKind
	Pos   Pos
	Int   int
	Name  string // a name, or the function's name
	Items []Term // a list's items
	Addr  Addr   // the argument of page, vma, anon_vma, mapping, chain, mapcount, visits, walk, swapped
	AV    Addr   // the argument of av: P:REGION, with Index the #N (1 for none)
	Arg   *Term  // the argument of root, degree, num_children, num_active_vmas, freed, alive
	Count string // the argument of count
	// At is the step whose state a function term reads (`page(P:heap:0)@2`),
	// or 0 for the step the expectation belongs to; Before is set for
	// `@before`, the step before it.
	At     int
	Before bool

	// Where the parts of Addr (or AV) are written, so that an error about
	// the region or the index points at it.
	procPos, regionPos, indexPos Pos
}

// Addr is a page address PROC:REGION:INDEX.
type Addr struct {
	Proc, Region string
	Index        int
}

func (a Addr) String() string { return fmt.Sprintf("%s:%s:%d", a.Proc, a.Region, a.Index) }

// argKind says what a function of the expectation language takes.
type argKind int

const (
	argAddr argKind = iota + 1
	argTerm
	argAV
	argCount
)

var funcs = map[string]argKind{
	"page": argAddr, "vma": argAddr, "anon_vma": argAddr, "mapping": argAddr, "chain": argAddr,
	"mapcount": argAddr, "visits": argAddr, "walk": argAddr, "swapped": argAddr,
	"root": argTerm, "degree": argTerm, "num_children": argTerm, "num_active_vmas": argTerm,
	"freed": argTerm, "alive": argTerm, "av": argAV, "count": argCount,
}

var countKinds = []string{"process", "vma", "anon_vma", "avc", "page", "pte_chain"}

func funcNames() []string {
	return []string{"page", "vma", "anon_vma", "mapping", "chain", "root", "av", "mapcount", "visits", "walk",
		"count", "degree", "num_children", "num_active_vmas", "freed", "alive", "swapped"}
}

// expect reads a step's expect: a list for every kernel, or a map from a
// kernel name (or all) to such a list.
func (p *parser) expect(n *yaml.Node) []Expectation {
	switch n.Kind {
	case yaml.SequenceNode, yaml.ScalarNode:
		return p.expectList("", n)
	case yaml.MappingNode:
		var out []Expectation
		seen := map[string]int{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			key := n.Content[i]
			if key.Kind != yaml.ScalarNode {
				p.errorf(key, "write e.g. `2.6.34: [clean]`", "expected a kernel name or `all` as key, found %s", kindName(key))
				continue
			}
			kernel := key.Value
			if line, dup := seen[kernel]; dup {
				p.errorf(key, "put all of that kernel's expectations in one list", "kernel %s has expectations twice in this step (first at line %d)", kernel, line)
				continue
			}
			seen[kernel] = key.Line
			if kernel == "all" {
				kernel = ""
			} else if !p.runsKernel(kernel) {
				hint := suggest(kernel, p.s.KernelNames())
				if hint == "" {
					hint = "add it to the story's kernels, or use `all:` for every kernel"
				}
				p.errorf(key, hint, "the story does not run kernel %s (it runs %s)", kernel, strings.Join(p.s.KernelNames(), ", "))
				continue
			}
			out = append(out, p.expectList(kernel, n.Content[i+1])...)
		}
		return out
	}
	p.errorf(n, "write a list of expectations, or a map from kernel name to such a list", "unexpected %s in expect", kindName(n))
	return nil
}

func (p *parser) runsKernel(name string) bool { return contains(p.s.KernelNames(), name) }

func (p *parser) expectList(kernel string, n *yaml.Node) []Expectation {
	nodes := []*yaml.Node{n}
	if n.Kind == yaml.SequenceNode {
		nodes = n.Content
	}
	var out []Expectation
	for _, c := range nodes {
		if c.Kind != yaml.ScalarNode {
			p.errorf(c, "an expectation containing a list or a comma goes in a block list item", "expected an expectation, found %s", kindName(c))
			continue
		}
		tp := p.scalarPos(c)
		expr, err := parseExprAt(c.Value, tp, p.lim.ExprDepth, p.stepNo)
		if err != nil {
			p.errs = append(p.errs, err)
			continue
		}
		out = append(out, Expectation{Kernel: kernel, Text: strings.TrimSpace(c.Value), Pos: tp.at(0), Expr: expr})
	}
	return out
}

// token is a lexical token of the expectation language.
type token struct {
	text string
	off  int
}

// lex splits an expectation into tokens: names, numbers, operators and
// punctuation.
func lex(s string) ([]token, int) {
	var out []token
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case isNameChar(c):
			j := i
			for j < len(s) && (isNameChar(s[j]) || s[j] == '-') {
				j++
			}
			out = append(out, token{s[i:j], i})
			i = j
		case strings.HasPrefix(s[i:], "==") || strings.HasPrefix(s[i:], "!=") ||
			strings.HasPrefix(s[i:], "<=") || strings.HasPrefix(s[i:], ">="):
			out = append(out, token{s[i : i+2], i})
			i += 2
		case strings.ContainsRune("()[],:#<>*@", rune(c)):
			out = append(out, token{s[i : i+1], i})
			i++
		default:
			return out, i
		}
	}
	return out, -1
}

func isNameChar(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
}

// exprParser is a recursive-descent parser over one expectation's tokens.
type exprParser struct {
	pos   textPos
	toks  []token
	i     int
	end   int // offset of the end of the text
	err   *Error
	depth int // terms open around the one being read
	// maxDepth bounds depth, so that a megabyte of `root(` neither
	// recurses a hundred thousand calls deep here nor in everything that
	// walks the parsed terms later.
	maxDepth int
	// step is the number of the step the expectation belongs to, which
	// bounds the steps its terms may read (`@N`); 0 when not known.
	step int
}

// parseExpr parses one expectation written at pos, within the default
// depth.
func parseExpr(text string, pos textPos) (Expr, *Error) {
	return parseExprWithin(text, pos, DefaultLimits().ExprDepth)
}

// parseExprWithin parses one expectation written at pos, whose terms
// nest at most maxDepth deep.
func parseExprWithin(text string, pos textPos, maxDepth int) (Expr, *Error) {
	return parseExprAt(text, pos, maxDepth, 0)
}

// parseExprAt parses one expectation of step number step (0: unknown),
// written at pos, whose terms nest at most maxDepth deep.
func parseExprAt(text string, pos textPos, maxDepth, step int) (Expr, *Error) {
	toks, bad := lex(text)
	if bad >= 0 {
		r, _ := utf8.DecodeRuneInString(text[bad:])
		hint := "expectations are made of names, numbers, ( ) [ ] , : # * @ and the operators ==, !=, <, <=, >, >=, in"
		if r == '=' || r == '!' {
			hint = "compare with == or !="
		}
		return Expr{}, &Error{Pos: pos.at(bad), Msg: fmt.Sprintf("unexpected character %q in expectation", r), Hint: hint}
	}
	p := &exprParser{pos: pos, toks: toks, end: len(text), maxDepth: maxDepth, step: step}
	e := p.expr()
	if p.err == nil && p.i < len(p.toks) {
		p.fail("", "unexpected %q after the expectation", p.peek())
	}
	return e, p.err
}

func (p *exprParser) peek() string {
	if p.i < len(p.toks) {
		return p.toks[p.i].text
	}
	return ""
}

func (p *exprParser) here() Pos {
	if p.i < len(p.toks) {
		return p.pos.at(p.toks[p.i].off)
	}
	return p.pos.at(p.end)
}

func (p *exprParser) fail(hint, format string, args ...any) {
	if p.err == nil {
		p.err = &Error{Pos: p.here(), Msg: fmt.Sprintf(format, args...), Hint: hint}
	}
}

func (p *exprParser) next() string {
	t := p.peek()
	if p.i < len(p.toks) {
		p.i++
	}
	return t
}

func (p *exprParser) expectTok(t string) { p.expectTokHint(t, "") }

func (p *exprParser) expectTokHint(t, hint string) {
	if p.peek() != t {
		p.fail(hint, "expected %q, found %s", t, p.found())
		return
	}
	p.i++
}

var comparisons = []string{"==", "!=", "<=", ">=", "<", ">", "in"}

func (p *exprParser) expr() Expr {
	switch p.peek() {
	case "oops", "clean":
		return Expr{Pred: p.next()}
	case "no":
		p.next()
		p.expectTok("oops")
		return Expr{Pred: "no oops"}
	case "violation":
		p.next()
		pos := p.here()
		name := p.next()
		if name == "" {
			p.fail("write e.g. `violation R1`", "violation needs the name of an invariant")
		}
		if !isInvariant(name) && p.err == nil {
			p.err = &Error{Pos: pos, Msg: fmt.Sprintf("unknown invariant %q", name), Hint: suggestInvariant(name)}
		}
		return Expr{Pred: "violation", Violation: name}
	}
	left := p.term()
	if p.err != nil {
		return Expr{}
	}
	if left.Kind == TermFunc && (left.Name == "freed" || left.Name == "alive" || left.Name == "swapped") && p.i == len(p.toks) {
		return Expr{Pred: left.Name, Arg: left}
	}
	op := p.peek()
	if !contains(comparisons, op) {
		p.fail("write e.g. `mapping(P:heap:0) == av(P:heap)`", "expected a comparison (==, !=, <, <=, >, >=, in) after %s, found %s", termText(left), p.found())
		return Expr{}
	}
	p.next()
	right := p.term()
	return Expr{Op: op, Left: left, Right: right}
}

// term reads a term, and the step it is read at if one is written.
func (p *exprParser) term() Term {
	t := p.operand()
	p.stepRef(&t)
	return t
}

func (p *exprParser) operand() Term {
	pos := p.here()
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > p.maxDepth {
		p.fail("no expectation needs more than a few levels, as in root(root(av(P:heap))); write a simpler one",
			"an expectation may nest terms at most %d deep; this one nests deeper here", p.maxDepth)
		return Term{}
	}
	t := p.peek()
	switch {
	case t == "[":
		return p.list(pos)
	case t == "":
		p.fail("", "expected a term, found the end")
	case t[0] >= '0' && t[0] <= '9':
		p.next()
		n, err := strconv.Atoi(t)
		if err != nil {
			p.err = &Error{Pos: pos, Msg: fmt.Sprintf("%q is not a number", t)}
		}
		return Term{Kind: TermInt, Pos: pos, Int: n}
	case isNameChar(t[0]):
		p.next()
		if p.peek() == "(" {
			return p.call(t, pos)
		}
		return Term{Kind: TermName, Pos: pos, Name: t}
	default:
		p.fail("", "expected a term, found %q", t)
	}
	return Term{}
}

// stepRef reads the `@N` or `@before` after a function term, if there is
// one: the step whose state the term reads. A step after the
// expectation's own cannot be read, nor a step before the first.
func (p *exprParser) stepRef(t *Term) {
	if p.err != nil || p.peek() != "@" {
		return
	}
	if t.Kind != TermFunc {
		p.fail(stepRefHint, "only a function term such as page(P:heap:0) can be read at another step, not %s", termText(*t))
		return
	}
	p.next()
	tok := p.peek()
	switch n, err := strconv.Atoi(tok); {
	case tok == "before" && p.step == 1:
		p.fail("compare with a later step's state, or drop @before", "step 1 has no step before it")
	case tok == "before":
		t.Before = true
	case err != nil:
		p.fail(stepRefHint, "expected a step number or `before` after @, found %s", p.found())
	case n < 1:
		p.fail(stepRefHint, "steps are numbered from 1, not %d", n)
	case p.step > 0 && n > p.step:
		p.fail("write @before for the step before this one", "step %d comes after this one (step %d): an expectation can read earlier steps only", n, p.step)
	case t.Arg != nil && t.Arg.At >= n:
		p.fail("read the inner term at a step before the outer one, or drop its @", "%s reads step %d inside a term read at step %d: a state holds only what steps up to its own made",
			termText(*t.Arg), t.Arg.At, n)
	default:
		t.At = n
	}
	if p.err == nil {
		p.next()
	}
}

const stepRefHint = "write e.g. page(P:heap:0)@before (the state before this step) or page(P:heap:0)@2 (after step 2)"

func (p *exprParser) list(pos Pos) Term {
	p.next()
	out := Term{Kind: TermList, Pos: pos, Items: []Term{}}
	for p.err == nil && p.peek() != "]" {
		out.Items = append(out.Items, p.term())
		if p.peek() != "," {
			break
		}
		p.next()
	}
	p.expectTok("]")
	return out
}

func (p *exprParser) call(name string, pos Pos) Term {
	kind, ok := funcs[name]
	if !ok {
		p.err = &Error{Pos: pos, Msg: fmt.Sprintf("unknown function %q", name), Hint: suggest(name, funcNames())}
		return Term{}
	}
	p.next() // (
	t := Term{Kind: TermFunc, Pos: pos, Name: name}
	switch kind {
	case argAddr:
		t.Addr = p.addr(&t, true)
	case argAV:
		t.AV = p.addr(&t, false)
	case argTerm:
		arg := p.term()
		t.Arg = &arg
	case argCount:
		at := p.here()
		if p.peek() == ")" || p.peek() == "" {
			p.fail("write e.g. count(avc)", "count() needs what to count: one of %s", strings.Join(countKinds, ", "))
			return t
		}
		t.Count = p.next()
		if !contains(countKinds, t.Count) {
			p.err = &Error{Pos: at, Msg: fmt.Sprintf("count() counts one of %s, not %q", strings.Join(countKinds, ", "), t.Count),
				Hint: suggest(t.Count, countKinds)}
		}
	}
	p.expectTok(")")
	return t
}

// addr reads PROC:REGION:INDEX (withIndex) or PROC:REGION[#N], and notes
// in t where each part is written.
func (p *exprParser) addr(t *Term, withIndex bool) Addr {
	var a Addr
	hint := "write a page address such as " + t.Name + "(P:heap:0)"
	if !withIndex {
		hint = "write an anon_vma such as av(P:heap), or av(P:heap#2) for the second one"
	}
	t.procPos = p.here()
	a.Proc = p.name("a process name", hint)
	p.expectTokHint(":", hint)
	t.regionPos = p.here()
	a.Region = p.name("a region name", hint)
	if withIndex {
		p.expectTokHint(":", hint)
		t.indexPos = p.here()
		a.Index = p.number("a page index", hint)
		return a
	}
	a.Index = 1
	if p.peek() == "#" {
		p.next()
		t.indexPos = p.here()
		a.Index = p.number("the number of the anon_vma, as in av(P:heap#2)", "")
	}
	return a
}

func (p *exprParser) name(what, hint string) string {
	t := p.peek()
	if t == "" || !isNameChar(t[0]) || (t[0] >= '0' && t[0] <= '9') {
		p.fail(hint, "expected %s, found %s", what, p.found())
		return ""
	}
	return p.next()
}

func (p *exprParser) number(what, hint string) int {
	n, err := strconv.Atoi(p.peek())
	if err != nil || n < 0 {
		p.fail(hint, "expected %s, found %s", what, p.found())
		return 0
	}
	p.next()
	return n
}

// found names the next token for an error message.
func (p *exprParser) found() string {
	if t := p.peek(); t != "" {
		return strconv.Quote(t)
	}
	return "the end"
}

func isInvariant(name string) bool {
	return contains(invariantNames(), name)
}

// invariantNames lists the invariants a story may name: the engine's.
func invariantNames() []string {
	var out []string
	for _, inv := range engine.Invariants() {
		out = append(out, inv.Name)
	}
	return out
}

func suggestInvariant(name string) string {
	if h := suggest(name, invariantNames()); h != "" {
		return h
	}
	return "invariants are named I1..I10 and R1..R6, as in kernel-rmap-spec §11"
}
