package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/avdoc/avdoc/story"
)

// TestServeRefusesOtherHosts runs serve on loopback and asks it for a
// page under many Host headers: the address it listens on, localhost and
// loopback addresses get the page; any other name, such as a DNS-rebinding
// attacker's, gets 403 and nothing of the site.
func TestServeRefusesOtherHosts(t *testing.T) {
	dir := storyDir(t, map[string]string{"a.yaml": smallStory("A secret draft", "")})
	c := &cli{stdout: io.Discard, stderr: io.Discard, limits: story.DefaultLimits()}
	ctx, cancel := context.WithCancel(t.Context())
	addrs := make(chan net.Addr, 1)
	done := make(chan int)
	go func() { done <- c.serve(ctx, []string{dir}, "127.0.0.1:0", nil, func(a net.Addr) { addrs <- a }) }()
	defer func() { cancel(); <-done }()
	addr := (<-addrs).(*net.TCPAddr)
	port := strings.TrimPrefix(addr.String(), "127.0.0.1")
	tests := []struct {
		host string
		code int
	}{
		{addr.String(), http.StatusOK},
		{"127.0.0.1", http.StatusOK},
		{"localhost" + port, http.StatusOK},
		{"LOCALHOST.", http.StatusOK},
		{"127.0.0.2" + port, http.StatusOK},
		{"[::1]" + port, http.StatusOK},
		{"evil.example" + port, http.StatusForbidden},
		{"evil.example", http.StatusForbidden},
		{"localhost.evil.example" + port, http.StatusForbidden},
		{"127.0.0.1.nip.io" + port, http.StatusForbidden},
		{"192.168.1.10" + port, http.StatusForbidden},
	}
	for _, tt := range tests {
		req, err := http.NewRequest("GET", "http://"+addr.String()+"/a/", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Host = tt.host
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.code {
			t.Errorf("Host %q: %d, want %d", tt.host, resp.StatusCode, tt.code)
		}
		if leaked := strings.Contains(string(body), "secret draft"); leaked != (tt.code == http.StatusOK) {
			t.Errorf("Host %q: the page shown: %v", tt.host, leaked)
		}
	}
}

// TestHostGuardOnEveryAddress: listening on every address (--addr
// 0.0.0.0:8080), serve answers to the machine's own addresses and the
// name given, never to other names.
func TestHostGuardOnEveryAddress(t *testing.T) {
	g := newHostGuard("0.0.0.0:8080", &net.TCPAddr{IP: net.IPv4zero, Port: 8080}, http.NotFoundHandler())
	if !g.allowed("127.0.0.1:8080") || !g.allowed("localhost:8080") || g.allowed("attacker.example:8080") {
		t.Error("wrong answers for loopback, localhost, another name")
	}
	if addrs, _ := net.InterfaceAddrs(); len(addrs) > 0 {
		ip := addrs[len(addrs)-1].(*net.IPNet).IP
		if !g.allowed(net.JoinHostPort(ip.String(), "8080")) {
			t.Errorf("the machine's own address %v refused", ip)
		}
	}
	named := newHostGuard("docs.lan:8080", &net.TCPAddr{IP: net.IPv4(10, 0, 0, 5), Port: 8080}, http.NotFoundHandler())
	if !named.allowed("docs.lan:8080") || !named.allowed("10.0.0.5:8080") || named.allowed("10.0.0.6:8080") {
		t.Error("wrong answers for the name and address given, and another address")
	}
}
