package story

import (
	"fmt"
	"strconv"
	"strings"

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

var countKinds = []string{"process", "vma", "anon_vma", "avc", "page"}

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
		for i := 0; i+1 < len(n.Content); i += 2 {
			key := n.Content[i]
			kernel := key.Value
			if kernel == "all" {
				kernel = ""
			} else if !p.runsKernel(kernel) {
				p.errorf(key, suggest(kernel, p.s.KernelNames()), "the story does not run kernel %s (it runs %s)",
					kernel, strings.Join(p.s.KernelNames(), ", "))
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
			p.errorf(c, "an expectation containing a list or a comma goes in a block list item", "expected an expectation, found a %s", kindName(c))
			continue
		}
		pos := p.scalarPos(c)
		expr, err := parseExpr(c.Value, pos)
		if err != nil {
			p.errs = append(p.errs, err)
			continue
		}
		out = append(out, Expectation{Kernel: kernel, Text: c.Value, Pos: pos, Expr: expr})
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
		case c == ' ' || c == '\t':
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
		case strings.ContainsRune("()[],:#<>*", rune(c)):
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
	pos  Pos
	toks []token
	i    int
	end  int // offset of the end of the text
	err  *Error
}

// parseExpr parses one expectation written at pos.
func parseExpr(text string, pos Pos) (Expr, *Error) {
	toks, bad := lex(text)
	if bad >= 0 {
		return Expr{}, &Error{Pos: pos.add(bad), Msg: fmt.Sprintf("unexpected character %q in expectation", text[bad])}
	}
	p := &exprParser{pos: pos, toks: toks, end: len(text)}
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
		return p.pos.add(p.toks[p.i].off)
	}
	return p.pos.add(p.end)
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

func (p *exprParser) expectTok(t string) {
	if p.peek() != t {
		got := p.peek()
		if got == "" {
			got = "the end"
		} else {
			got = strconv.Quote(got)
		}
		p.fail("", "expected %q, found %s", t, got)
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
		p.fail("write e.g. `mapping(P:heap:0) == av(P:heap)`", "expected a comparison (==, !=, <, <=, >, >=, in) after the term")
		return Expr{}
	}
	p.next()
	right := p.term()
	return Expr{Op: op, Left: left, Right: right}
}

func (p *exprParser) term() Term {
	pos := p.here()
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
		t.Addr = p.addr(true)
	case argAV:
		t.AV = p.addr(false)
	case argTerm:
		arg := p.term()
		t.Arg = &arg
	case argCount:
		at := p.here()
		t.Count = p.next()
		if !contains(countKinds, t.Count) {
			p.err = &Error{Pos: at, Msg: fmt.Sprintf("count() counts one of %s, not %q", strings.Join(countKinds, ", "), t.Count),
				Hint: suggest(t.Count, countKinds)}
		}
	}
	p.expectTok(")")
	return t
}

// addr reads PROC:REGION:INDEX (withIndex) or PROC:REGION[#N].
func (p *exprParser) addr(withIndex bool) Addr {
	var a Addr
	a.Proc = p.name("a process name")
	p.expectTok(":")
	a.Region = p.name("a region name")
	if withIndex {
		p.expectTok(":")
		a.Index = p.number("a page index")
		return a
	}
	a.Index = 1
	if p.peek() == "#" {
		p.next()
		a.Index = p.number("the number of the anon_vma, as in av(P:heap#2)")
	}
	return a
}

func (p *exprParser) name(what string) string {
	t := p.peek()
	if t == "" || !isNameChar(t[0]) || (t[0] >= '0' && t[0] <= '9') {
		p.fail("write an address such as P:heap:0", "expected %s", what)
		return ""
	}
	return p.next()
}

func (p *exprParser) number(what string) int {
	n, err := strconv.Atoi(p.peek())
	if err != nil || n < 0 {
		p.fail("", "expected %s", what)
		return 0
	}
	p.next()
	return n
}

func isInvariant(name string) bool {
	return contains(invariantNames(), name)
}

func invariantNames() []string {
	return []string{"I1", "I2", "I3", "I4", "I5", "I6", "I7", "I8", "I9", "I10", "R1", "R2", "R3", "R4", "R5", "R6"}
}

func suggestInvariant(name string) string {
	if h := suggest(name, invariantNames()); h != "" {
		return h
	}
	return "invariants are named I1..I10 and R1..R6, as in kernel-rmap-spec §11"
}
