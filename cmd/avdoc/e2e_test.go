package main

import (
	"context"
	"io"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"github.com/avdoc/avdoc/story"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// The browser test holds the site to this contract with its step player:
//
//   - a story page has a section with id="step-N" for each step N;
//   - when JavaScript runs, the page shows one of them at a time (the
//     others display: none, hidden, or visibility: hidden): the first, or
//     the one the URL's #step-N names;
//   - ArrowRight shows the next step and sets location.hash to #step-N+1;
//   - a button with id="theme-toggle" switches the data-theme attribute
//     of <html>, and the choice is kept in localStorage across reloads.
//
// Each check is made once the page has drawn two frames after the event:
// a test never waits on the wall clock.

// browserFlags are the flags Chromium runs with: headless, and nothing
// that reaches out to the network or pops up a first-run dialog.
var browserFlags = []string{"headless", "no-sandbox", "disable-gpu", "disable-background-networking",
	"disable-component-update", "disable-sync", "no-first-run", "no-default-browser-check", "disable-dev-shm-usage"}

// findChromium returns the browser to drive: $AVDOC_CHROMIUM, Debian's
// /usr/bin/chromium, or one on the PATH.
func findChromium() (string, error) {
	if p := os.Getenv("AVDOC_CHROMIUM"); p != "" {
		return exec.LookPath(p)
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium", nil
	}
	var err error
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		var p string
		if p, err = exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", err
}

// needBrowser returns the browser, or skips the test without one; in CI,
// where .ci/run installs Chromium, a missing browser fails it.
func needBrowser(t *testing.T) string {
	t.Helper()
	bin, err := findChromium()
	if err == nil {
		return bin
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("chromium not found (%v); in CI the browser test must run: .ci/run installs Debian's chromium", err)
	}
	t.Skipf("chromium not found: %v (install Debian's chromium, or set AVDOC_CHROMIUM, to run the browser test)", err)
	return ""
}

// browser starts a headless Chromium with a profile of its own, and
// returns a tab's context. The browser is closed, and waited for, when
// the test ends (not by the test's context, which ends first: that would
// kill it while it still writes its profile).
func browser(t *testing.T, bin string) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{chromedp.ExecPath(bin), chromedp.UserDataDir(t.TempDir())}
	for _, f := range browserFlags {
		opts = append(opts, chromedp.Flag(f, true))
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, _ := chromedp.NewContext(actx)
	t.Cleanup(func() {
		if err := chromedp.Cancel(ctx); err != nil {
			t.Errorf("closing the browser: %v", err)
		}
		cancelAlloc()
	})
	if err := chromedp.Run(ctx); err != nil {
		t.Fatalf("starting %s: %v", bin, err)
	}
	return ctx
}

// settled waits for the page to draw two frames, so that what an event
// set off has shown.
func settled() chromedp.Action {
	var ok bool
	return chromedp.Evaluate(`new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))`, &ok, awaitPromise)
}

func awaitPromise(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }

// visibleSteps lists the ids of the step sections on screen.
const visibleSteps = `[...document.querySelectorAll("section[id^='step-']")]
	.filter(s => /^step-\d+$/.test(s.id) && s.checkVisibility({visibilityProperty: true}))
	.map(s => s.id)`

// screen is what the test reads off the page.
type screen struct {
	Steps  []string `json:"steps"`
	Hash   string   `json:"hash"`
	Theme  string   `json:"theme"`
	Stored []string `json:"stored"` // every value in localStorage
	Images bool     `json:"images"` // every image of the visible steps loaded
	Toggle bool     `json:"toggle"` // #theme-toggle is on screen
}

const readScreen = `(() => {
	const steps = ` + visibleSteps + `;
	const imgs = steps.flatMap(id => [...document.getElementById(id).querySelectorAll("img")]);
	const toggle = document.getElementById("theme-toggle");
	return {
		steps,
		hash: location.hash,
		theme: document.documentElement.getAttribute("data-theme") || "",
		stored: Object.keys(localStorage).map(k => localStorage.getItem(k)),
		images: imgs.every(i => i.complete && i.naturalWidth > 0),
		toggle: !!toggle && toggle.checkVisibility(),
	};
})()`

// look settles the page and reads the screen.
func look(t *testing.T, ctx context.Context, do ...chromedp.Action) screen {
	t.Helper()
	var s screen
	if err := chromedp.Run(ctx, append(do, settled(), chromedp.Evaluate(readScreen, &s))...); err != nil {
		t.Fatalf("in the browser: %v", err)
	}
	return s
}

// TestBrowser opens a story served by `avdoc serve` in Chromium, steps
// through it by keyboard, follows a deep link and switches the theme,
// checking what is on screen after each.
func TestBrowser(t *testing.T) {
	bin := needBrowser(t)
	src, err := os.ReadFile("../../stories/02-fork.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := storyDir(t, map[string]string{"fork.yaml": string(src)})
	ls := newLiveSite([]string{dir}, story.DefaultLimits(), io.Discard)
	t.Cleanup(func() { ls.Close() })
	ls.Rebuild(t.Context())
	srv := httptest.NewServer(ls) // on 127.0.0.1
	t.Cleanup(func() { srv.CloseClientConnections(); srv.Close() })
	ctx := browser(t, bin)
	page := srv.URL + "/fork/"

	s := look(t, ctx, chromedp.Navigate(page))
	wantSteps(t, "on opening the story", s, "step-1")
	if !s.Images {
		t.Error("on opening the story, the diagram of step 1 did not load")
	}

	s = look(t, ctx, chromedp.KeyEvent(kb.ArrowRight))
	wantSteps(t, "after ArrowRight", s, "step-2")
	if s.Hash != "#step-2" {
		t.Errorf("after ArrowRight location.hash is %q, want #step-2", s.Hash)
	}
	s = look(t, ctx, chromedp.KeyEvent(kb.ArrowRight))
	wantSteps(t, "after ArrowRight twice", s, "step-3")

	s = look(t, ctx, chromedp.Navigate("about:blank"), chromedp.Navigate(page+"#step-3"))
	wantSteps(t, "on following a link to #step-3", s, "step-3")
	if !s.Images {
		t.Error("on following a link to #step-3, the diagram of step 3 did not load")
	}

	checkThemeToggle(t, ctx, s)
}

// checkThemeToggle clicks #theme-toggle and reloads: the theme changes,
// and stays changed.
func checkThemeToggle(t *testing.T, ctx context.Context, before screen) {
	t.Helper()
	if !before.Toggle {
		t.Fatal("no #theme-toggle button on screen")
	}
	after := look(t, ctx, chromedp.Click("#theme-toggle", chromedp.ByQuery))
	if after.Theme == before.Theme || after.Theme == "" {
		t.Fatalf("clicking #theme-toggle set data-theme from %q to %q", before.Theme, after.Theme)
	}
	if !slices.Contains(after.Stored, after.Theme) {
		t.Errorf("localStorage holds %q, not the theme %q", after.Stored, after.Theme)
	}
	again := look(t, ctx, chromedp.Reload())
	if again.Theme != after.Theme {
		t.Errorf("after a reload data-theme is %q, want the chosen %q", again.Theme, after.Theme)
	}
	back := look(t, ctx, chromedp.Click("#theme-toggle", chromedp.ByQuery))
	if back.Theme == after.Theme {
		t.Errorf("clicking #theme-toggle again left data-theme at %q", back.Theme)
	}
}

func wantSteps(t *testing.T, when string, s screen, want ...string) {
	t.Helper()
	if !slices.Equal(s.Steps, want) {
		t.Errorf("%s the page shows steps %q, want %q", when, s.Steps, want)
	}
}

// TestFindChromiumHonoursOverride checks the one way to point the test at
// another browser.
func TestFindChromiumHonoursOverride(t *testing.T) {
	t.Setenv("AVDOC_CHROMIUM", filepath.Join(t.TempDir(), "no-such-browser"))
	if p, err := findChromium(); err == nil {
		t.Errorf("found %s where there is none", p)
	}
}
