package sandbox

// The demo bootstrap shared by `konto --demo` and every `konto serve --demo`
// session: an in-process sandbox bank on its own loopback listener, and a
// login to it over real HTTP as the doc's demo user.

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"

	"konto/api"
)

// demoLogin is the sandbox's default user, the doc's own Basic example.
var demoLogin = api.Credentials{Email: DefaultLogin, Password: DefaultPassword}

// Loopback is a sandbox bank served on loopback with a fresh session of the
// demo user.
type Loopback struct {
	Bank    *Bank
	URL     string // base URL of the bank, http://127.0.0.1:PORT
	Refresh string // the demo user's refresh token
	stop    func()
}

// StartLoopback starts a sandbox bank with opts on a free loopback port and
// logs in to it. Close stops it.
func StartLoopback(ctx context.Context, opts Options) (*Loopback, error) {
	bank, err := New(opts)
	if err != nil {
		return nil, fmt.Errorf("start the sandbox: %w", err)
	}
	url, stop, err := serveLoopback(bank)
	if err != nil {
		return nil, err
	}
	refresh, err := demoRefreshToken(ctx, url)
	if err != nil {
		stop()
		return nil, fmt.Errorf("log in to the sandbox: %w", err)
	}
	return &Loopback{Bank: bank, URL: url, Refresh: refresh, stop: stop}, nil
}

// Close stops the bank's server; its memory goes with the last reference.
func (d *Loopback) Close() { d.stop() }

// serveLoopback serves h on a free 127.0.0.1 port and returns its base URL
// and a function that stops the server.
func serveLoopback(h http.Handler) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, fmt.Errorf("listen on loopback: %w", err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ErrorLog: nil}
	go func() { _ = srv.Serve(ln) }() // ends with Close
	return "http://" + ln.Addr().String(), func() { _ = srv.Close() }, nil
}

// demoRefreshToken logs in to the sandbox over real HTTP, as a user would
// with a real bank, and returns a refresh token.
func demoRefreshToken(ctx context.Context, baseURL string) (string, error) {
	c, err := api.New(baseURL, nil)
	if err != nil {
		return "", fmt.Errorf("client: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	tok, err := c.CreateRefreshToken(ctx, demoLogin)
	if err != nil {
		return "", fmt.Errorf("create refresh token: %w", err)
	}
	return tok, nil
}
