package main

import (
	"fmt"
	"net"
	"net/http"
	"strings"
)

// hostGuard answers 403 to a request whose Host header names anything
// but the address serve listens on, localhost, or a loopback address:
// a page of another site that rebinds its DNS name to 127.0.0.1 (DNS
// rebinding) would otherwise read the preview, whose error banner quotes
// the story files.
type hostGuard struct {
	names map[string]bool // host names and addresses allowed, lower case
	// any is set when serve listens on every address (0.0.0.0, ::):
	// then any of the machine's own addresses is allowed.
	any  bool
	next http.Handler
}

// newHostGuard guards next for a server given --addr addr and listening
// on ln.
func newHostGuard(addr string, ln net.Addr, next http.Handler) *hostGuard {
	g := &hostGuard{names: map[string]bool{"localhost": true}, next: next}
	if host, _, err := net.SplitHostPort(addr); err == nil && host != "" {
		g.names[strings.ToLower(host)] = true
	}
	if tcp, ok := ln.(*net.TCPAddr); ok {
		g.names[tcp.IP.String()] = true
		g.any = tcp.IP.IsUnspecified()
	}
	if g.any {
		if addrs, err := net.InterfaceAddrs(); err == nil {
			for _, a := range addrs {
				if n, ok := a.(*net.IPNet); ok {
					g.names[n.IP.String()] = true
				}
			}
		}
	}
	return g
}

// allowed reports whether a request's Host header names this server.
func (g *hostGuard) allowed(hostHeader string) bool {
	host := hostHeader
	if h, _, err := net.SplitHostPort(hostHeader); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.ToLower(strings.Trim(host, "[]")), ".")
	if g.names[host] {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && (ip.IsLoopback() || g.names[ip.String()])
}

func (g *hostGuard) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !g.allowed(r.Host) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		http.Error(w, fmt.Sprintf("avdoc serve answers only requests for the address it listens on, localhost or a loopback address, not %q", r.Host), http.StatusForbidden)
		return
	}
	g.next.ServeHTTP(w, r)
}
