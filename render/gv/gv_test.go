package gv

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/avdoc/avdoc/internal/xmlwalk"
)

// goldens returns the golden DOT files of package render.
func goldens(t *testing.T) map[string][]byte {
	t.Helper()
	files, err := filepath.Glob("../testdata/*.dot")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden DOT files found: %v", err)
	}
	out := map[string][]byte{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(f)] = b
	}
	return out
}

func newRenderer(t *testing.T) *Renderer {
	t.Helper()
	r, err := New(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// svgDoc is what the tests read from an SVG: element names, ids and text.
type svgDoc struct {
	elems map[string]bool
	ids   map[string]bool
	text  []string
}

// parseSVG reads an SVG with encoding/xml, failing the test if it is not
// well-formed XML.
func parseSVG(t *testing.T, svg []byte) svgDoc {
	t.Helper()
	doc := svgDoc{elems: map[string]bool{}, ids: map[string]bool{}}
	err := xmlwalk.Walk(svg, func(_ []xml.StartElement, tok xml.Token) {
		switch tok := tok.(type) {
		case xml.StartElement:
			doc.elems[tok.Name.Local] = true
			for _, a := range tok.Attr {
				if a.Name.Local == "id" {
					doc.ids[a.Value] = true
				}
			}
		case xml.CharData:
			doc.text = append(doc.text, string(tok))
		}
	})
	if err != nil {
		t.Fatalf("SVG is not well-formed XML: %v", err)
	}
	return doc
}

var dotID = regexp.MustCompile(`\bid="([^"]*)"`)

// visible returns the lines of dot that do not declare invisible edges,
// which Graphviz leaves out of the SVG.
func visible(dot []byte) string {
	var out []string
	for _, l := range strings.Split(string(dot), "\n") {
		if !strings.Contains(l, `style="invis"`) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// TestSVGGoldens renders every golden DOT file and checks that the SVG is
// well-formed and carries every id the DOT set.
func TestSVGGoldens(t *testing.T) {
	r := newRenderer(t)
	for name, dot := range goldens(t) {
		t.Run(name, func(t *testing.T) {
			svg, err := r.SVG(context.Background(), dot)
			if err != nil {
				t.Fatal(err)
			}
			doc := parseSVG(t, svg)
			if !doc.elems["svg"] {
				t.Error("no <svg> element")
			}
			for _, m := range dotID.FindAllStringSubmatch(visible(dot), -1) {
				if !doc.ids[m[1]] {
					t.Errorf("id %q set in the DOT is missing from the SVG", m[1])
				}
			}
		})
	}
}

// TestSVGHostileNames checks that story text reaches the SVG as text,
// exactly, and never as markup.
func TestSVGHostileNames(t *testing.T) {
	r := newRenderer(t)
	svg, err := r.SVG(context.Background(), goldens(t)["hostile.dot"])
	if err != nil {
		t.Fatal(err)
	}
	doc := parseSVG(t, svg)
	for _, el := range []string{"b", "i", "a"} {
		if doc.elems[el] {
			t.Errorf("story text became a <%s> element", el)
		}
	}
	text := strings.Join(doc.text, "\n")
	for _, want := range []string{`<b>&amp;"P\N"]]>{x}`, `:he<a>p&\`, `<i>"av"</i>\G&lt;`} {
		if !strings.Contains(text, want) {
			t.Errorf("SVG text lacks %q", want)
		}
	}
	if !doc.ids["s1-vma1"] || !doc.ids["s1-p1"] || doc.ids["vma1"] {
		t.Error("ids do not carry the s1- prefix")
	}
}

// TestSVGConcurrent renders from several goroutines, through one shared
// Renderer and through one each, and checks every result matches a
// sequential render.
func TestSVGConcurrent(t *testing.T) {
	ctx := context.Background()
	dot := goldens(t)["walk.dot"]
	shared := newRenderer(t)
	want, err := shared.SVG(ctx, dot)
	if err != nil {
		t.Fatal(err)
	}
	const n = 4
	got := make([][]byte, 2*n)
	errs := make([]error, 2*n)
	var wg sync.WaitGroup
	wg.Add(2 * n)
	for i := range n {
		go func() { defer wg.Done(); got[i], errs[i] = shared.SVG(ctx, dot) }()
		go func() { defer wg.Done(); got[n+i], errs[n+i] = renderOnce(ctx, dot) }()
	}
	wg.Wait()
	for i := range got {
		if errs[i] != nil {
			t.Errorf("goroutine %d: %v", i, errs[i])
		} else if !bytes.Equal(got[i], want) {
			t.Errorf("goroutine %d produced a different SVG", i)
		}
	}
}

func renderOnce(ctx context.Context, dot []byte) ([]byte, error) {
	r, err := New(ctx)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return r.SVG(ctx, dot)
}

// TestSVGErrors checks that bad DOT gives a clear error and leaves the
// Renderer usable, and that a closed Renderer refuses to render.
func TestSVGErrors(t *testing.T) {
	ctx := context.Background()
	r := newRenderer(t)
	for _, bad := range []string{"", "digraph {", "graph g { a -> b }", "digraph g { a -> }"} {
		_, err := r.SVG(ctx, []byte(bad))
		if err == nil || !strings.Contains(err.Error(), "invalid DOT") {
			t.Errorf("SVG(%q) = %v, want an invalid DOT error", bad, err)
		}
		if svg, err := r.SVG(ctx, []byte("digraph g { a -> b }")); err != nil || !bytes.Contains(svg, []byte("<svg")) {
			t.Errorf("after SVG(%q), a good render failed: %v", bad, err)
		}
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := r.SVG(ctx, []byte("digraph g {}")); !errors.Is(err, ErrClosed) {
		t.Errorf("SVG after Close = %v, want ErrClosed", err)
	}
	if err := r.Close(); err != nil {
		t.Errorf("second Close = %v", err)
	}
}

// placed is a graph whose nodes and edge route are given, as
// render.Layout.Place writes them.
const placed = `digraph g {
	a [shape=box, fixedsize=true, width=1, height=0.5, pos="36,18"]
	b [shape=box, fixedsize=true, width=1, height=0.5, pos="236,118"]
	a -> b [pos="e,200,100 72,18 100,50 150,80 190,95"]
}`

// TestRenderEngines checks the engines avdoc uses: nop2 draws nodes and
// edges where their pos attributes say, dot writes its layout as JSON,
// and anything else is refused before it reaches Graphviz.
func TestRenderEngines(t *testing.T) {
	ctx := context.Background()
	r := newRenderer(t)
	svg, err := r.Render(ctx, []byte(placed), NOP2, SVG)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`points="72,-36 0,-36 0,0 72,0 72,-36"`, `d="M72,-18C100,-50 150,-80 190,-95"`} {
		if !strings.Contains(string(svg), want) {
			t.Errorf("nop2 did not keep the given geometry: no %s in\n%s", want, svg)
		}
	}
	js, err := r.Render(ctx, goldens(t)["fork.dot"], DOT, JSON)
	if err != nil || !bytes.Contains(js, []byte(`"objects"`)) || !bytes.Contains(js, []byte(`"pos"`)) {
		t.Errorf("dot to json0 = %.200s, %v", js, err)
	}
	for _, bad := range []struct {
		e Engine
		f Format
	}{{"neato", SVG}, {DOT, "pdf"}, {DOT, "png"}} {
		if _, err := r.Render(ctx, []byte(placed), bad.e, bad.f); err == nil {
			t.Errorf("Render(%s, %s) was not refused", bad.e, bad.f)
		}
	}
	if _, err := r.SVG(ctx, []byte(placed)); err != nil {
		t.Errorf("after refusals, a render failed: %v", err)
	}
}
