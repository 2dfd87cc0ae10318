package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultUserAgent is sent when no WithUserAgent option is given; main passes
// "konto/<version>".
const DefaultUserAgent = "konto/dev"

// Media types the client sends.
const (
	mediaJSON            = "application/json"
	mediaTransactionList = "application/vnd.kontist.transactionlist.v2.1+json"
)

// Body size limits: a hostile or broken server must not be able to exhaust
// memory. 8 MiB holds far more than any page the bank sends.
const (
	maxAnswerBytes = 8 << 20
	maxErrorBytes  = 64 << 10
)

// Client talks to the Kontist API (or the sandbox bank). It is safe for
// concurrent use.
type Client struct {
	base      *url.URL // scheme and host, plus an optional path prefix without trailing slash
	auth      Authenticator
	http      *http.Client
	userAgent string
	retry     RetryPolicy
	// sleep waits between retries; tests replace it to record the waits.
	sleep func(ctx context.Context, d time.Duration) error
	// bodies recycles answer buffers: a sync reads thousands of pages of
	// the same size, each decoded (its strings copied) before the next.
	bodies sync.Pool
}

// Option configures a Client.
type Option func(*Client)

// WithHTTPClient sets the HTTP client (default: a client with a 60 s timeout).
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) {
		if hc != nil {
			c.http = hc
		}
	}
}

// WithUserAgent sets the User-Agent header, e.g. "konto/1.2.3".
func WithUserAgent(ua string) Option {
	return func(c *Client) {
		if ua != "" {
			c.userAgent = ua
		}
	}
}

// WithRetryPolicy sets how idempotent requests are retried. Zero fields take
// the defaults; MaxAttempts 1 disables retries.
func WithRetryPolicy(p RetryPolicy) Option {
	return func(c *Client) { c.retry = p.withDefaults() }
}

// New returns a client for baseURL ("https://api.kontist.com"). A plain
// http:// URL is refused unless its host is loopback, because tokens and
// passwords would travel in clear. auth may be nil: no Authorization header.
func New(baseURL string, auth Authenticator, opts ...Option) (*Client, error) {
	base, err := parseBaseURL(baseURL)
	if err != nil {
		return nil, err
	}
	c := &Client{
		base:      base,
		auth:      auth,
		http:      newHTTPClient(),
		userAgent: DefaultUserAgent,
		retry:     RetryPolicy{}.withDefaults(),
		sleep:     sleepCtx,
	}
	for _, opt := range opts {
		opt(c)
	}
	// Published clients follow no redirects and the bank sends none; following
	// one could carry the Authorization header somewhere else.
	if c.http.CheckRedirect == nil {
		hc := *c.http
		hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		c.http = &hc
	}
	return c, nil
}

// newHTTPClient is the default HTTP client. Its transport keeps one idle
// connection per page a sync fetches at once: with the standard two, four of
// six connections were closed after each round of pages and dialled (a TLS
// handshake at the bank) again, 224 times per 100k bookings.
func newHTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = defaultSyncConcurrency
	return &http.Client{Timeout: 60 * time.Second, Transport: t}
}

// BaseURL is the normalised base URL, without a trailing slash.
func (c *Client) BaseURL() string { return c.base.String() }

func parseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("base URL: %w", err)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("base URL %q: no host", raw)
	}
	if u.User != nil {
		return nil, errors.New("base URL: must not carry credentials")
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return nil, fmt.Errorf("base URL %s: plain http is allowed only for loopback hosts (tokens would travel in clear); use https", u.Redacted())
		}
	default:
		return nil, fmt.Errorf("base URL %q: scheme must be https (or http on loopback)", raw)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	u.RawQuery, u.Fragment, u.RawFragment = "", "", ""
	return u, nil
}

// isLoopback reports whether host is localhost or a loopback IP
// (127.0.0.0/8, ::1).
func isLoopback(host string) bool {
	if strings.EqualFold(strings.TrimSuffix(host, "."), "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.Unmap().IsLoopback()
}

// endpoint is the URL of an API path ("/api/accounts"), below the base URL's
// path prefix. escapedPath has its segments escaped (url.PathEscape), so an
// id holding "/" or "?" stays one segment.
func (c *Client) endpoint(escapedPath string, query url.Values) *url.URL {
	u := *c.base
	raw := c.base.EscapedPath() + escapedPath
	if p, err := url.PathUnescape(raw); err == nil {
		u.Path, u.RawPath = p, raw
	} else {
		u.Path, u.RawPath = raw, ""
	}
	u.RawQuery = query.Encode()
	return &u
}

// resolveLink resolves a host-relative path the bank sent (a transaction
// list's next, a transfer's links.self) against the base URL's host. Links to
// another host are refused: the Authorization header must not travel there.
func (c *Client) resolveLink(link string) (*url.URL, error) {
	ref, err := url.Parse(link)
	if err != nil {
		return nil, fmt.Errorf("link from the bank: %w", err)
	}
	if ref.Scheme != "" || ref.Host != "" || ref.User != nil || !strings.HasPrefix(ref.Path, "/") {
		return nil, fmt.Errorf("link from the bank is not a path on this host")
	}
	return c.base.ResolveReference(ref), nil
}

// request is one API call.
type request struct {
	method string
	url    *url.URL
	body   any    // JSON-encoded when non-nil
	accept string // default application/json
	// bearer, when set, is sent instead of the Authenticator's header (token
	// endpoints).
	bearer string
	// noAuth skips the Authenticator (token endpoints, sandbox extras).
	noAuth bool
	// idempotent requests are retried on 429, 502/503/504 and connection
	// errors. Only GETs and token DELETEs are.
	idempotent bool
}

// do sends req, retrying as the policy allows, and decodes a 2xx answer into
// out (if non-nil). Every non-2xx answer becomes an *Error.
func (c *Client) do(ctx context.Context, req request, out any) error {
	var payload []byte
	if req.body != nil {
		var err error
		payload, err = json.Marshal(req.body)
		if err != nil {
			return fmt.Errorf("encode request: %w", err)
		}
	}
	label := req.method + " " + req.url.Path

	refreshed := false
	for attempt := 1; ; attempt++ {
		status, header, buf, err := c.send(ctx, req, payload)
		var body []byte
		if buf != nil {
			body = buf.Bytes()
		}
		release := func() {
			if buf != nil && buf.Cap() <= maxPooledBody {
				buf.Reset()
				c.bodies.Put(buf)
			}
			buf = nil
		}
		if err != nil {
			if !req.idempotent || !retryableTransport(ctx, err) || attempt >= c.retry.MaxAttempts {
				return fmt.Errorf("%s: %w", label, err)
			}
			if werr := c.sleep(ctx, c.retry.backoff(attempt)); werr != nil {
				return fmt.Errorf("%s: %w (while waiting to retry after: %v)", label, werr, err)
			}
			continue
		}

		if status >= 200 && status < 300 {
			if out == nil {
				release()
				return nil
			}
			err := decodeAnswer(body, out)
			release() // nothing decoded points into the body
			if err != nil {
				// A body cut short or garbled on the way is worth another
				// try when asking again cannot change anything at the bank.
				if req.idempotent && attempt < c.retry.MaxAttempts {
					if werr := c.sleep(ctx, c.retry.backoff(attempt)); werr != nil {
						return fmt.Errorf("%s: %w (while waiting to retry after: %v)", label, werr, err)
					}
					continue
				}
				bad := error(&BadAnswerError{cause: err})
				if c.mayHaveActed(req) {
					// The bank took the request (2xx) and may have carried
					// it out: that its answer cannot be read says nothing
					// about the payment.
					bad = &OutcomeUnknownError{Err: bad}
				}
				return fmt.Errorf("%s: %w", label, bad)
			}
			cutAnswer(out)
			return nil
		}

		apiErr := parseError(status, header, body)
		release()
		if status == http.StatusUnauthorized && !refreshed && c.usesAuthenticator(req) {
			// A 401 proves the bank did nothing, so one resend with a fresh
			// token is safe for any method.
			refreshed = true
			if rerr := c.auth.Refresh(ctx); rerr != nil {
				return fmt.Errorf("%s: %w (refreshing the login failed: %w)", label, apiErr, rerr)
			}
			attempt-- // the resend is not a retry
			continue
		}
		if req.idempotent && retryableStatus(status) && attempt < c.retry.MaxAttempts {
			wait := c.retry.backoff(attempt)
			if apiErr.RetryAfter > 0 {
				ra := time.Duration(apiErr.RetryAfter) * time.Second
				if ra > maxRetryAfter {
					// Waiting minutes would freeze whoever asked; let the
					// caller show "slow down" instead.
					return fmt.Errorf("%s: %w", label, apiErr)
				}
				wait = ra
			}
			if werr := c.sleep(ctx, wait); werr != nil {
				return fmt.Errorf("%s: %w (while waiting to retry after: %v)", label, werr, apiErr)
			}
			continue
		}
		return fmt.Errorf("%s: %w", label, apiErr)
	}
}

// mayHaveActed reports a request that changes something at the bank on the
// user's behalf (a payment, an order): a POST, PUT or PATCH to the account
// API. The token endpoints are left out: a login whose answer is lost is not
// a payment whose outcome must be settled.
func (c *Client) mayHaveActed(req request) bool {
	return !req.idempotent && c.usesAuthenticator(req)
}

func (c *Client) usesAuthenticator(req request) bool {
	return c.auth != nil && !req.noAuth && req.bearer == ""
}

// send makes one HTTP exchange and reads the (size-limited) body. A transport
// failure of a non-idempotent request after a connection was obtained comes
// back wrapped in OutcomeUnknownError: the bank may have acted.
func (c *Client) send(ctx context.Context, req request, payload []byte) (int, http.Header, *bytes.Buffer, error) {
	var gotConn atomic.Bool
	trace := &httptrace.ClientTrace{GotConn: func(httptrace.GotConnInfo) { gotConn.Store(true) }}
	tctx := httptrace.WithClientTrace(ctx, trace)

	var body io.Reader
	if payload != nil {
		body = bytes.NewReader(payload)
	}
	hreq, err := http.NewRequestWithContext(tctx, req.method, req.url.String(), body)
	if err != nil {
		return 0, nil, nil, fmt.Errorf("build request: %w", err)
	}
	hreq.Header.Set("User-Agent", c.userAgent)
	accept := req.accept
	if accept == "" {
		accept = mediaJSON
	}
	hreq.Header.Set("Accept", accept)
	if payload != nil || req.method == http.MethodPost || req.method == http.MethodPut || req.method == http.MethodPatch {
		hreq.Header.Set("Content-Type", mediaJSON)
	}
	switch {
	case req.bearer != "":
		hreq.Header.Set("Authorization", "Bearer "+req.bearer)
	case c.usesAuthenticator(req):
		if err := c.auth.Authorize(ctx, hreq); err != nil {
			return 0, nil, nil, fmt.Errorf("authorize: %w", err)
		}
	}

	resp, err := c.http.Do(hreq)
	if err != nil {
		err = unwrapURLError(err)
		if !req.idempotent && gotConn.Load() {
			return 0, nil, nil, &OutcomeUnknownError{Err: err}
		}
		return 0, nil, nil, err
	}
	defer resp.Body.Close()

	limit := int64(maxAnswerBytes)
	if resp.StatusCode < 200 || resp.StatusCode >= 300 {
		limit = maxErrorBytes
	}
	buf, _ := c.bodies.Get().(*bytes.Buffer)
	if buf == nil {
		buf = new(bytes.Buffer)
	}
	_, err = buf.ReadFrom(io.LimitReader(resp.Body, limit+1))
	data := buf.Bytes()
	if err != nil {
		err = fmt.Errorf("read answer: %w", err)
		if !req.idempotent {
			return 0, nil, nil, &OutcomeUnknownError{Err: err}
		}
		return 0, nil, nil, err
	}
	if int64(len(data)) > limit {
		if resp.StatusCode < 200 || resp.StatusCode >= 300 {
			// An error answer's first bytes are enough to describe it.
			buf.Truncate(int(limit))
		} else {
			err := fmt.Errorf("%w: larger than %d MiB", ErrAnswerTooLarge, maxAnswerBytes>>20)
			if c.mayHaveActed(req) {
				return 0, nil, nil, &OutcomeUnknownError{Err: err}
			}
			return 0, nil, nil, err
		}
	}
	return resp.StatusCode, resp.Header, buf, nil
}

// maxPooledBody: a larger answer buffer is left to the collector rather
// than kept for the rest of the run.
const maxPooledBody = 1 << 20

// unwrapURLError drops *url.Error's "Post \"https://…\":" prefix; the caller
// adds its own context.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) && ue.Err != nil {
		return ue.Err
	}
	return err
}

// ErrAnswerTooLarge is returned when a 2xx answer exceeds the size limit.
var ErrAnswerTooLarge = errors.New("the bank's answer is too large")
