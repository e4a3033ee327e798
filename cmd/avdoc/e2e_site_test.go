package main

import (
	"bytes"
	"context"
	"flag"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/avdoc/avdoc/story"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// The site's reading views, held to what a reader sees in a real browser: a
// phone, paper, the predict mode and search. Like TestBrowser, every check is
// made once the page has drawn after the event, never after a delay.

// screenshots, when set, makes the browser tests save what they see there, for
// the README: go test ./cmd/avdoc -run 'TestBrowser(Phone|Predict|SideBySide)' -screenshots docs/img
var screenshots = flag.String("screenshots", "", "save the browser tests' screenshots into this directory")

// shoot saves the page as it is to name in the screenshots directory, when
// one was asked for.
func shoot(t *testing.T, ctx context.Context, name string, full bool) {
	t.Helper()
	if *screenshots == "" {
		return
	}
	var png []byte
	shot := chromedp.CaptureScreenshot(&png)
	if full {
		shot = chromedp.FullScreenshot(&png, 90)
	}
	if err := chromedp.Run(ctx, settled(), shot); err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if err := os.WriteFile(filepath.Join(*screenshots, name), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// serveStories serves the named shipped stories as `avdoc serve` does and
// returns the server's address.
func serveStories(t *testing.T, names ...string) string {
	t.Helper()
	files := map[string]string{}
	for _, n := range names {
		src, err := os.ReadFile("../../stories/" + n + ".yaml")
		if err != nil {
			t.Fatal(err)
		}
		files[n+".yaml"] = string(src)
		if rec, err := os.ReadFile("../../stories/" + n + ".live.json"); err == nil {
			files[n+".live.json"] = string(rec) // replayed, as a checkout's
		}
	}
	ls := newLiveSite([]string{storyDir(t, files)}, story.DefaultLimits(), io.Discard)
	ls.Rebuild(t.Context())
	srv := httptest.NewServer(ls)
	t.Cleanup(func() { srv.CloseClientConnections(); srv.Close() })
	return srv.URL
}

// eval runs the actions, settles the page and evaluates js into out.
func eval(t *testing.T, ctx context.Context, js string, out any, do ...chromedp.Action) {
	t.Helper()
	if err := chromedp.Run(ctx, append(do, settled(), chromedp.Evaluate(js, out))...); err != nil {
		t.Fatalf("in the browser: %v", err)
	}
}

// TestBrowserPhone: at 400 px the page does not scroll sideways, every button of
// the player is on screen, and diagrams show at their own size, to pan.
func TestBrowserPhone(t *testing.T) {
	ctx := browser(t, needBrowser(t))
	url := serveStories(t, "10-hibernation-oops")
	var got struct {
		PageWidth   float64  `json:"pageWidth"`
		OffScreen   []string `json:"offScreen"`
		ImageScale  float64  `json:"imageScale"`
		DiagramPans bool     `json:"diagramPans"`
	}
	const js = `(() => {
		const vw = document.documentElement.clientWidth;
		const buttons = [...document.querySelectorAll(".player button")].filter(b => b.checkVisibility());
		const img = document.querySelector("#step-1 .frame img");
		const box = img.closest(".diagram");
		return {
			pageWidth: document.documentElement.scrollWidth / vw,
			offScreen: buttons.filter(b => { const r = b.getBoundingClientRect(); return r.left < 0 || r.right > vw; }).map(b => b.textContent),
			imageScale: img.getBoundingClientRect().width / img.naturalWidth,
			diagramPans: box.scrollWidth > box.clientWidth && getComputedStyle(box).overflowX === "auto",
		};
	})()`
	eval(t, ctx, js, &got, chromedp.EmulateViewport(400, 800), chromedp.Navigate(url+"/10-hibernation-oops/"),
		chromedp.WaitVisible("#step-1 .frame img", chromedp.ByQuery))
	if got.PageWidth > 1.001 {
		t.Errorf("at 400 px the page is %.2f times as wide as the screen", got.PageWidth)
	}
	if len(got.OffScreen) > 0 {
		t.Errorf("at 400 px these player buttons are off screen: %q", got.OffScreen)
	}
	if got.ImageScale < 0.99 {
		t.Errorf("at 400 px step 1's diagram shows at %.0f%% of its size, want 100%%", 100*got.ImageScale)
	}
	if !got.DiagramPans {
		t.Error("at 400 px step 1's diagram, wider than the screen, cannot be panned")
	}
	if *screenshots != "" {
		if err := chromedp.Run(ctx, chromedp.Navigate(url+"/10-hibernation-oops/#step-6"), settled()); err != nil {
			t.Fatal(err)
		}
		shoot(t, ctx, "phone.png", false)
	}
}

// TestBrowserPrint: printed on A4, every shipped story takes a page per
// step, each step from the top of a page.
func TestBrowserPrint(t *testing.T) {
	ctx := browser(t, needBrowser(t))
	files, err := filepath.Glob("../../stories/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no stories: %v", err)
	}
	var names []string
	for _, f := range files {
		names = append(names, strings.TrimSuffix(filepath.Base(f), ".yaml"))
	}
	url := serveStories(t, names...)
	for _, name := range names {
		steps, pages, breaks := printStory(t, ctx, url+"/"+name+"/")
		if pages != steps {
			t.Errorf("printed, %s (%d steps) takes %d pages, want one a step", name, steps, pages)
		}
		for i, b := range breaks {
			if b != "page" {
				t.Errorf("printed, %s: step %d starts on the page of step %d (break-before: %s)", name, i+2, i+1, b)
			}
		}
	}
}

// printStory prints a story's page on A4: its steps, the PDF's pages,
// and each step's break-before but the first's.
func printStory(t *testing.T, ctx context.Context, url string) (steps, pages int, breaks []string) {
	t.Helper()
	var pdf []byte
	err := chromedp.Run(ctx, emulation.SetEmulatedMedia().WithMedia("screen"), chromedp.Navigate(url), settled(),
		chromedp.Evaluate(`document.querySelectorAll("main > section.step").length`, &steps),
		emulation.SetEmulatedMedia().WithMedia("print"), settled(),
		chromedp.Evaluate(`[...document.querySelectorAll("main > section.step")].slice(1).map(s => getComputedStyle(s).breakBefore)`, &breaks),
		chromedp.ActionFunc(func(ctx context.Context) error {
			var err error
			pdf, _, err = page.PrintToPDF().WithPaperWidth(8.27).WithPaperHeight(11.69).Do(ctx) // A4
			return err
		}))
	if err != nil {
		t.Fatalf("printing %s: %v", url, err)
	}
	pages = bytes.Count(pdf, []byte("/Type /Page\n")) + bytes.Count(pdf, []byte("/Type /Page>")) + bytes.Count(pdf, []byte("/Type /Page/"))
	return steps, pages, breaks
}

// TestBrowserPredict: in predict mode a step shows its events and the diagram
// before it, and what happened only when the reader asks.
func TestBrowserPredict(t *testing.T) {
	ctx := browser(t, needBrowser(t))
	url := serveStories(t, "02-fork")
	type view struct {
		Narration bool   `json:"narration"` // the narration is on screen
		Checks    bool   `json:"checks"`
		Image     string `json:"image"` // the file the diagram shows, "" when hidden
		Reveal    bool   `json:"reveal"`
	}
	const js = `(() => {
		const s = [...document.querySelectorAll("main > section.step")].find(s => s.checkVisibility());
		const img = s.querySelector(".frame img"), vis = e => !!e && e.checkVisibility();
		return {
			narration: vis(s.querySelector(".narration")),
			checks: vis(s.querySelector(".checks")),
			image: vis(img) ? img.getAttribute("src") : "",
			reveal: vis(s.querySelector(".reveal")),
		};
	})()`
	var v view
	eval(t, ctx, js, &v, chromedp.Navigate(url+"/02-fork/"), settled(), chromedp.Click(".controls .predict", chromedp.ByQuery))
	if v.Narration || v.Checks || v.Image != "" || !v.Reveal {
		t.Errorf("step 1 in predict mode shows %+v; want no narration, checks or diagram, and a reveal button", v)
	}
	eval(t, ctx, js, &v, chromedp.KeyEvent(" "))
	if !v.Narration || !v.Checks || v.Image != "step-1-2.6.34.svg" || v.Reveal {
		t.Errorf("step 1 revealed shows %+v; want its narration, checks and diagram", v)
	}
	eval(t, ctx, js, &v, chromedp.KeyEvent(kb.ArrowRight))
	if v.Narration || v.Checks || v.Image != "step-1-2.6.34.svg" || !v.Reveal {
		t.Errorf("step 2 in predict mode shows %+v; want step 1's diagram and nothing of step 2's outcome", v)
	}
	if *screenshots != "" {
		var ok bool
		if err := chromedp.Run(ctx, chromedp.EmulateViewport(1280, 820),
			chromedp.Evaluate(`document.querySelector("section.step.on").scrollIntoView(), true`, &ok)); err != nil {
			t.Fatal(err)
		}
		shoot(t, ctx, "predict.png", false)
	}
	eval(t, ctx, js, &v, chromedp.Click(".controls .predict", chromedp.ByQuery))
	if !v.Narration || v.Image != "step-2-2.6.34.svg" {
		t.Errorf("predict mode off, step 2 shows %+v; want all of it", v)
	}
}

// TestBrowserSearch: results are grouped by story, and every word searched for
// is marked where it shows, titles included.
func TestBrowserSearch(t *testing.T) {
	ctx := browser(t, needBrowser(t))
	url := serveStories(t, "02-fork", "10-hibernation-oops")
	var got struct {
		Groups []string `json:"groups"`
		Marks  []string `json:"marks"`
		Titled bool     `json:"titled"` // a mark stands in a result's title
	}
	const js = `(() => {
		const groups = [...document.querySelectorAll(".results > li.group")];
		return {
			groups: groups.map(g => g.querySelector("p").textContent),
			marks: [...document.querySelectorAll(".results mark")].map(m => m.textContent.toLowerCase()),
			titled: !!document.querySelector(".results .group > p mark, .results strong mark"),
		};
	})()`
	// The index loads on first use: wait for its script, not for a while.
	var loaded bool
	const indexLoaded = `new Promise(r => window.avdocSearch ? r(true) :
		document.querySelector('script[src$="search-index.js"]').addEventListener("load", () => r(true)))`
	eval(t, ctx, js, &got, chromedp.Navigate(url+"/"), settled(),
		chromedp.SendKeys(".search .q", "hibernation freed", chromedp.ByQuery),
		chromedp.Evaluate(indexLoaded, &loaded, awaitPromise))
	seen := map[string]bool{}
	for _, g := range got.Groups {
		if seen[g] {
			t.Errorf("search results list %q twice; want one group a page", g)
		}
		seen[g] = true
	}
	if len(got.Groups) == 0 || !strings.HasPrefix(got.Groups[0], "The hibernation oops") {
		t.Errorf("search groups %q; want the hibernation story first", got.Groups)
	}
	for _, m := range got.Marks {
		if m != "hibernation" && m != "freed" {
			t.Errorf("search marked %q, which is not a word searched for", m)
		}
	}
	if !got.Titled || len(got.Marks) < 2 {
		t.Errorf("search marked %q (in a title: %v); want every match marked, titles included", got.Marks, got.Titled)
	}
}

// TestBrowserSideBySide: at 1400 px, kernels side by side show their diagrams
// as large as their columns allow, up to their own size, in every shipped
// story that runs several kernels; it logs how large that is. (Diagrams wider
// than a column show smaller: the story's one layout holds every object of
// every step, see issue 17 on cropping frames.)
func TestBrowserSideBySide(t *testing.T) {
	ctx := browser(t, needBrowser(t))
	files, err := filepath.Glob("../../stories/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no shipped stories: %v", err)
	}
	var multi []string // the shipped stories' names, which are their slugs too
	for _, f := range files {
		if src, _ := os.ReadFile(f); bytes.Contains(src, []byte("\nkernels: [")) {
			multi = append(multi, strings.TrimSuffix(filepath.Base(f), ".yaml"))
		}
	}
	url := serveStories(t, multi...)
	// For each diagram: the share of its own width it shows at, and the share its
	// column leaves room for.
	const js = `Promise.all([...document.querySelectorAll(".frames.multi img")].map(i =>
		i.complete ? i : new Promise(r => { i.onload = () => r(i); i.onerror = () => r(i); })))
	.then(imgs => imgs.map(i => {
		const f = i.closest(".frame"), cs = getComputedStyle(f);
		const room = f.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
		return [i.getBoundingClientRect().width / i.naturalWidth, Math.min(1, room / i.naturalWidth)];
	}))`
	var sum float64
	var n int
	for _, name := range multi {
		var got [][2]float64
		err := chromedp.Run(ctx, chromedp.EmulateViewport(1400, 900), chromedp.Navigate(url+"/"+name+"/"), settled(),
			chromedp.Click(".player .all", chromedp.ByQuery), settled(), chromedp.Evaluate(js, &got, awaitPromise))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		low := 1.0
		for i, r := range got {
			if r[0] < r[1]-0.01 {
				t.Errorf("%s: diagram %d shows at %.0f%% of its size where its column has room for %.0f%%", name, i+1, 100*r[0], 100*r[1])
			}
			low, sum, n = min(low, r[0]), sum+r[0], n+1
		}
		t.Logf("%s: %d diagrams side by side, the smallest at %.0f%% of its size", name, len(got), 100*low)
		if name == "10-hibernation-oops" && *screenshots != "" {
			if err := chromedp.Run(ctx, chromedp.Navigate(url+"/"+name+"/#step-6"), settled()); err != nil {
				t.Fatal(err)
			}
			shoot(t, ctx, "side-by-side.png", false)
		}
	}
	if n < 2*len(multi) {
		t.Fatalf("measured %d diagrams in %d stories; the page shows fewer than it should", n, len(multi))
	}
	t.Logf("at 1400 px, %d diagrams side by side show at %.0f%% of their size on average", n, 100*sum/float64(n))
	// The README says "about 90% on average"; the wider layouts of a few
	// stories (see above) keep it from more.
	if avg := sum / float64(n); avg < 0.88 {
		t.Errorf("at 1400 px diagrams side by side show at %.0f%% of their size on average; the README says about 90%%", 100*avg)
	}
}
