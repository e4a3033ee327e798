package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"mime"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/avdoc/avdoc/cmd/avdoc/internal/livesite"
	"github.com/avdoc/avdoc/cmd/avdoc/internal/storyfile"
)

// pollEvery is how often `avdoc serve` looks at the story files.
const pollEvery = 300 * time.Millisecond

// serveRoot is where the files of `avdoc serve` itself live. No story's
// page can be called this: page names have no underscore.
const serveRoot = "_avdoc/"

// reloadJS reloads the page when the site is rebuilt. The page says which
// build it shows, so that a rebuild between the page and its event
// stream still reloads it.
const reloadJS = `// avdoc serve: reload this page when the site is rebuilt.
(function () {
  var seen = document.currentScript && document.currentScript.getAttribute("data-gen");
  var events = new EventSource("/_avdoc/events");
  events.onmessage = function (e) {
    if (seen && e.data !== seen) {
      location.reload();
    }
    seen = e.data;
  };
})();
`

// serveCSS styles the banner that lists the stories' problems.
const serveCSS = `#avdoc-serve-problems { margin: 0; padding: 0.75em 1em; background: #fff0f0; color: #5c0000;
  border-bottom: 3px solid #c00000; font: 14px/1.4 system-ui, sans-serif; }
#avdoc-serve-problems pre { margin: 0.5em 0 0; white-space: pre-wrap; font: 13px/1.4 ui-monospace, monospace; }
`

// runServe builds, serves and watches: `avdoc serve`. SIGINT and SIGTERM
// stop it.
func runServe(c *cli, args []string) int {
	fs := c.flags("serve")
	c.limitFlags(fs)
	c.outputLimitFlags(fs)
	addr := fs.String("addr", "127.0.0.1:8080", "the `address` to listen on; only this machine can connect to 127.0.0.1")
	cacheDir := cacheFlag(fs)
	paths, code, ok := c.parse(fs, args)
	if !ok {
		return code
	}
	if len(paths) == 0 {
		paths = []string{"stories"}
	}
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil {
			c.errorf("%s: %s", p, storyfile.PathProblem(err))
			return exitInput
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return c.serve(ctx, paths, *addr, openStore(*cacheDir, os.Getenv, c.stderr), nil)
}

// serve builds the site of paths, serves it on addr and rebuilds it as
// the stories change, until ctx is done; then it lets the requests under
// way finish. It caches in st (nil: none); ready, if not nil, learns the
// address it listens on.
func (c *cli) serve(ctx context.Context, paths []string, addr string, st *store, ready func(net.Addr)) int {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		c.errorf("%v", err)
		return exitFailed
	}
	ls := newLiveSite(paths, c.limits, c.stderr)
	ls.store, ls.SiteLimits = st, c.siteLimits
	defer ls.Close()
	ls.Rebuild(ctx)
	c.announce(ln.Addr())
	if ready != nil {
		ready(ln.Addr())
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		ls.Watch(ctx, pollEvery)
	}()
	defer wg.Wait()
	srv := &http.Server{Handler: newHostGuard(addr, ln.Addr(), ls), ReadHeaderTimeout: 10 * time.Second,
		BaseContext: func(net.Listener) context.Context { return ctx }}
	return c.serveUntil(ctx, srv, ln)
}

// announce says where the site is, and warns when other machines can
// reach it.
func (c *cli) announce(addr net.Addr) {
	fmt.Fprintf(c.stdout, "serving the stories at http://%s/ (Ctrl-C stops)\n", addr)
	if a, ok := addr.(*net.TCPAddr); ok && !a.IP.IsLoopback() {
		c.errorf("warning: listening on %s: other machines can read the site", a)
	}
}

// serveUntil serves until ctx is done, then shuts the server down.
func (c *cli) serveUntil(ctx context.Context, srv *http.Server, ln net.Listener) int {
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		c.errorf("serving: %v", err)
		return exitFailed
	case <-ctx.Done():
	}
	// The event streams end with ctx; what is left are page requests.
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		c.errorf("stopping: %v", err)
		return exitFailed
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		c.errorf("serving: %v", err)
		return exitFailed
	}
	fmt.Fprintln(c.stdout, "stopped")
	return exitOK
}

// ServeHTTP serves the site from memory, and the files of serve itself
// under /_avdoc/. Nothing else is ever served: a path is looked up in the
// site's files, never on disk.
func (ls *liveSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "only GET and HEAD", http.StatusMethodNotAllowed)
		return
	}
	p, ok := sitePath(r.URL.Path)
	if !ok {
		http.Error(w, "bad path", http.StatusBadRequest)
		return
	}
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "no-store")
	switch p {
	case serveRoot + "events":
		ls.events(w, r)
		return
	case serveRoot + "reload.js":
		send(w, r, p, []byte(reloadJS))
		return
	case serveRoot + "serve.css":
		send(w, r, p, []byte(serveCSS))
		return
	}
	snap, _ := ls.Current()
	ls.page(w, r, snap, p)
}

// page serves the site file at p: a directory's index.html, with a
// redirect from the directory's name without its slash so that relative
// links work.
func (ls *liveSite) page(w http.ResponseWriter, r *http.Request, snap *livesite.Build, p string) {
	if p == "" || strings.HasSuffix(p, "/") {
		p += "index.html"
	}
	data, ok := snap.Files[p]
	if !ok {
		if _, dir := snap.Files[p+"/index.html"]; dir {
			http.Redirect(w, r, "/"+p+"/", http.StatusMovedPermanently)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		w.Write(withServeParts([]byte(notFoundPage), snap))
		return
	}
	if strings.HasSuffix(p, ".html") {
		data = withServeParts(data, snap)
	}
	send(w, r, p, data)
}

// notFoundPage is what a path that the site lacks shows: the page of a
// story that has never loaded, until it is fixed, shows its problems here.
const notFoundPage = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Not found</title></head>
<body><p>This page is not in the site (a story that has never loaded has no page).
<a href="/">All stories</a></p></body></html>
`

// send writes data as the file p, typed by its extension.
func send(w http.ResponseWriter, r *http.Request, p string, data []byte) {
	w.Header().Set("Content-Type", contentType(p))
	w.Header().Set("Content-Length", fmt.Sprint(len(data)))
	if r.Method == http.MethodHead {
		return
	}
	w.Write(data)
}

// contentType is the media type of the site file p.
func contentType(p string) string {
	switch ext := path.Ext(p); ext {
	case ".html":
		return "text/html; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	default:
		if t := mime.TypeByExtension(ext); t != "" {
			return t
		}
		return "application/octet-stream"
	}
}

// sitePath turns a request's path into a path in the site, "" for its
// root. It refuses what could name something outside the site: a "." or
// ".." element (however the request encoded it, as %2e%2e for one: the
// path is already decoded), an empty element (an absolute path after the
// first slash), a backslash, a NUL.
func sitePath(urlPath string) (string, bool) {
	rest, ok := strings.CutPrefix(urlPath, "/")
	if !ok || strings.ContainsAny(rest, "\\\x00") {
		return "", false
	}
	if rest == "" {
		return "", true
	}
	elems := strings.Split(rest, "/")
	for i, e := range elems {
		last := i == len(elems)-1
		if e == "." || e == ".." || (e == "" && !last) {
			return "", false
		}
	}
	return rest, true
}

// events streams the site's generation to a browser (Server-Sent
// Events): once at once, then after every rebuild that changes the site,
// until the browser leaves or the server stops.
func (ls *liveSite) events(w http.ResponseWriter, r *http.Request) {
	flush, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	fmt.Fprint(w, "retry: 1000\n\n")
	for {
		snap, changed := ls.Current()
		fmt.Fprintf(w, "data: %s\n\n", snap.Gen)
		flush.Flush()
		select {
		case <-changed:
		case <-r.Context().Done():
			return
		}
	}
}

// withServeParts adds to a page what `avdoc serve` shows around the
// site: the problems of the stories, at the top, escaped, and the script
// that reloads the page when the site is rebuilt. The site's own files
// never hold them.
func withServeParts(page []byte, snap *livesite.Build) []byte {
	var top, end bytes.Buffer
	if len(snap.Problems) > 0 {
		fmt.Fprintf(&top, "\n<div id=\"avdoc-serve-problems\" role=\"alert\"><strong>avdoc serve: %s</strong> (the stories that load are shown; one that stopped loading shows its last good page)<pre>", counted(len(snap.Problems), "problem", "problems"))
		for _, p := range snap.Problems {
			top.WriteString(html.EscapeString(p) + "\n")
		}
		top.WriteString("</pre></div>\n")
	}
	fmt.Fprintf(&end, "<link rel=\"stylesheet\" href=\"/%sserve.css\">\n<script src=\"/%sreload.js\" data-gen=\"%s\"></script>\n", serveRoot, serveRoot, snap.Gen)
	out := make([]byte, 0, len(page)+top.Len()+end.Len())
	at := bodyStart(page)
	out = append(out, page[:at]...)
	out = append(out, top.Bytes()...)
	rest := page[at:]
	closing := bytes.LastIndex(bytes.ToLower(rest), []byte("</body>"))
	if closing < 0 {
		closing = len(rest)
	}
	out = append(out, rest[:closing]...)
	out = append(out, end.Bytes()...)
	return append(out, rest[closing:]...)
}

// bodyStart is the offset just after a page's <body> tag, or 0.
func bodyStart(page []byte) int {
	lower := bytes.ToLower(page)
	i := bytes.Index(lower, []byte("<body"))
	if i < 0 {
		return 0
	}
	j := bytes.IndexByte(lower[i:], '>')
	if j < 0 {
		return 0
	}
	return i + j + 1
}
