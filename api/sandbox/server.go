package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"konto/api"
)

// transactionListV21 is the media type the doc asks for on transaction lists;
// the bank accepts it on every endpoint.
const transactionListV21 = "application/vnd.kontist.transactionlist.v2.1+json"

// route is one endpoint. Pattern segments "{}" match any one path segment,
// which the handler receives in call.params, in order.
type route struct {
	method  string
	pattern []string
	auth    bool // needs Basic credentials or a Bearer auth token
	handle  func(q *call) (any, *failure)
}

// call is one request as a handler sees it.
type call struct {
	r      *http.Request
	params []string
	body   []byte
	user   *user // nil on routes without auth
	now    time.Time
}

// failure is an error answer in the Solaris shape.
type failure struct {
	status     int
	code       string
	detail     string
	field      string
	meta       map[string]any
	retryAfter int    // seconds, for 429
	allow      string // for 405
}

func fail(status int, code, detail string) *failure {
	return &failure{status: status, code: code, detail: detail}
}

func invalid(field, detail string) *failure {
	return &failure{status: http.StatusBadRequest, code: api.CodeValidation, field: field, detail: detail}
}

func notFound(what string) *failure {
	return fail(http.StatusNotFound, api.CodeNotFound, what+" not found")
}

func (b *Bank) routeTable() []route {
	r := func(method, pattern string, auth bool, h func(*call) (any, *failure)) route {
		return route{method: method, pattern: strings.Split(strings.Trim(pattern, "/"), "/"), auth: auth, handle: h}
	}
	// Literal segments come before a wildcard at the same place.
	return []route{
		r(http.MethodPost, "/api/user/refresh-token", false, b.createRefreshToken),
		r(http.MethodDelete, "/api/user/refresh-token", false, b.deleteRefreshToken),
		r(http.MethodPost, "/api/user/auth-token", false, b.createAuthToken),
		r(http.MethodDelete, "/api/user/auth-token", false, b.deleteAuthToken),
		r(http.MethodGet, "/api/accounts", true, b.listAccounts),
		r(http.MethodGet, "/api/accounts/{}/transactions", true, b.listTransactions),
		r(http.MethodGet, "/api/accounts/{}/transactions/{}", true, b.getTransaction),
		r(http.MethodPost, "/api/accounts/{}/transfer", true, b.createTransfer),
		r(http.MethodPut, "/api/accounts/{}/transfer/{}", true, b.confirmTransfer),
		r(http.MethodGet, "/api/accounts/{}/standing-orders", true, b.listStandingOrders),
		r(http.MethodPost, "/api/accounts/{}/standing-orders", true, b.createStandingOrder),
		r(http.MethodPost, "/api/accounts/{}/standing-orders/confirm", true, b.confirmStandingOrder),
		r(http.MethodPatch, "/api/accounts/{}/standing-orders/{}", true, b.updateStandingOrder),
		r(http.MethodPatch, "/api/accounts/{}/standing-orders/{}/cancel", true, b.cancelStandingOrder),
		r(http.MethodGet, "/api/accounts/{}/timed-orders", true, b.listTimedOrders),
		r(http.MethodPost, "/api/accounts/{}/timed-orders", true, b.createTimedOrder),
		r(http.MethodPost, "/api/accounts/{}/timed-orders/{}/confirm", true, b.confirmTimedOrder),
		r(http.MethodPatch, "/api/accounts/{}/timed-orders/{}/cancel", true, b.cancelTimedOrder),
		r(http.MethodGet, "/sandbox/sms", false, b.listSMS),
		r(http.MethodGet, "/sandbox/clock", false, b.getClock),
		r(http.MethodPost, "/sandbox/clock", false, b.advanceClock),
	}
}

func (rt *route) matchPath(segs []string) ([]string, bool) {
	if len(segs) != len(rt.pattern) {
		return nil, false
	}
	var params []string
	for i, p := range rt.pattern {
		switch {
		case p == "{}":
			params = append(params, segs[i])
		case p != segs[i]:
			return nil, false
		}
	}
	return params, true
}

// match finds the route of a request: 404 when no pattern fits the path, 405
// (with the allowed methods) when one fits but not for this method.
func (b *Bank) match(method, path string) (*route, []string, *failure) {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	var allowed []string
	for i := range b.routes {
		rt := &b.routes[i]
		params, ok := rt.matchPath(segs)
		if !ok {
			continue
		}
		if rt.method == method {
			return rt, params, nil
		}
		allowed = append(allowed, rt.method)
	}
	if len(allowed) > 0 {
		f := fail(http.StatusMethodNotAllowed, api.CodeMethodNotAllowed,
			fmt.Sprintf("%s is not allowed here; use %s", method, strings.Join(allowed, " or ")))
		f.allow = strings.Join(allowed, ", ")
		return nil, nil, f
	}
	return nil, nil, fail(http.StatusNotFound, api.CodeNotFound, "no such endpoint: "+path)
}

// cleanPath drops trailing slashes: every path works with and without one,
// answered directly (published clients follow no redirects).
func cleanPath(p string) string {
	p = strings.TrimRight(p, "/")
	if p == "" {
		return "/"
	}
	return p
}

// acceptable reports whether the Accept header allows a JSON answer.
func acceptable(header string) bool {
	if strings.TrimSpace(header) == "" {
		return true
	}
	for _, part := range strings.Split(header, ",") {
		mediaType, _, _ := strings.Cut(part, ";")
		switch strings.ToLower(strings.TrimSpace(mediaType)) {
		case "application/json", "*/*", "application/*", transactionListV21:
			return true
		}
	}
	return false
}

// answer is a finished response before it is written.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// ServeHTTP answers one request: faults first (see ParseFaults), then routing,
// Accept, authentication, rate limit and the endpoint.
func (b *Bank) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	started := time.Now()
	b.mu.Lock()
	b.busy++
	b.mu.Unlock()
	defer func() {
		b.mu.Lock()
		b.busy--
		b.mu.Unlock()
	}()
	path := cleanPath(r.URL.Path)
	target := r.URL.Path
	if r.URL.RawQuery != "" {
		target += "?" + r.URL.RawQuery
	}
	act := b.rollFaults(r.Method, path)
	// The body is read at once: a request the bank received is whole, even
	// if the client stops waiting for the answer.
	body, bodyErr := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxBodyBytes))
	if act.latency > 0 {
		// A slow bank is slow in its own time, so advancing the virtual
		// clock brings a delayed request to its end. A change (a payment)
		// that reached the bank is carried out even when the client has
		// given up waiting, as at a real bank; a read is simply dropped.
		ctx := r.Context()
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			ctx = context.WithoutCancel(ctx)
		}
		if !b.clock.sleepUntil(ctx, b.clock.now().Add(act.latency)) {
			b.record(r.Method, target, 0, started)
			return
		}
	}
	switch act.kind {
	case faultStatus:
		b.mu.Lock()
		ans := b.encodeFailure(act.failure())
		b.mu.Unlock()
		b.record(r.Method, target, ans.status, started)
		b.write(w, ans)
		return
	case faultDropBefore:
		b.record(r.Method, target, 0, started)
		dropConnection(w)
		return
	}
	ans := b.handle(r, path, body, bodyErr)
	switch act.kind {
	case faultDropAfter:
		b.record(r.Method, target, 0, started)
		dropConnection(w)
		return
	case faultMalformed:
		if r.Method == http.MethodGet && ans.status == http.StatusOK {
			ans.body = ans.body[:len(ans.body)/2]
		}
	}
	// Recorded before writing, so a client that has its answer finds it in Requests.
	b.record(r.Method, target, ans.status, started)
	b.write(w, ans)
}

func (b *Bank) write(w http.ResponseWriter, ans answer) {
	h := w.Header()
	for k, v := range ans.header {
		h[k] = v
	}
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(ans.body)))
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(ans.status)
	w.Write(ans.body) //nolint:errcheck // the client went away; nothing to do
}

// record keeps the request for Requests and logs one line. The line never
// carries headers or bodies: tokens and TANs stay out of logs.
func (b *Bank) record(method, target string, status int, started time.Time) {
	now := b.clock.now()
	b.mu.Lock()
	b.requests = append(b.requests, RequestRecord{Method: method, Path: target, Status: status, Time: now})
	b.mu.Unlock()
	result := strconv.Itoa(status)
	if status == 0 {
		result = "dropped"
	}
	b.logf("%s %s %s %s %s", now.Format(time.RFC3339), method, target, result, formatElapsed(time.Since(started)))
}

func formatElapsed(d time.Duration) string {
	if d >= time.Second {
		return d.Round(time.Millisecond).String()
	}
	return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 1, 64) + "ms"
}

// handle runs the endpoint under the bank's lock and encodes its answer.
func (b *Bank) handle(r *http.Request, path string, body []byte, bodyErr error) answer {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.clock.now()
	b.runDue(now)

	rt, params, f := b.match(r.Method, path)
	if f == nil && !acceptable(r.Header.Get("Accept")) {
		f = fail(http.StatusNotAcceptable, api.CodeNotAcceptable,
			"the bank answers application/json or "+transactionListV21)
	}
	var u *user
	if f == nil && rt.auth {
		u, f = b.authenticate(r, now)
	}
	if f == nil && bodyErr != nil {
		f = fail(http.StatusBadRequest, api.CodeMalformed, "the request body could not be read")
		var tooLarge *http.MaxBytesError
		if errors.As(bodyErr, &tooLarge) {
			f.detail = "the request body is too large"
		}
	}
	var out any
	if f == nil {
		out, f = rt.handle(&call{r: r, params: params, body: body, user: u, now: now})
		// A confirmed order may be due at once (first execution today).
		b.runDue(now)
	}
	if f != nil {
		return b.encodeFailure(f)
	}
	return answer{status: http.StatusOK, body: encodeJSON(out)}
}

// encodeFailure writes f in the Solaris shape. The caller holds b.mu.
func (b *Bank) encodeFailure(f *failure) answer {
	item := api.ErrorItem{
		ID:     uuid(b.rng),
		Status: f.status,
		Code:   f.code,
		Title:  http.StatusText(f.status),
		Detail: f.detail,
		Meta:   f.meta,
	}
	if f.field != "" {
		item.Source = &api.ErrorSource{Field: f.field}
	}
	ans := answer{status: f.status, header: http.Header{}, body: encodeJSON(api.ErrorBody{Errors: []api.ErrorItem{item}})}
	if f.retryAfter > 0 {
		ans.header.Set("Retry-After", strconv.Itoa(f.retryAfter))
	}
	if f.allow != "" {
		ans.header.Set("Allow", f.allow)
	}
	return ans
}

// encodeJSON marshals v without HTML escaping (the API is not a web page).
func encodeJSON(v any) []byte {
	if p, ok := v.(api.TransactionPage); ok {
		return appendPage(make([]byte, 0, 512+len(p.Results)*512), p)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		// Only wire types are encoded here; failing is a programming error.
		panic(fmt.Sprintf("sandbox: encode answer: %v", err))
	}
	return buf.Bytes()
}

// dropConnection closes the connection without an answer, as a network
// failure would. Without a hijackable connection (HTTP/2, in-process use) it
// aborts the handler, which net/http turns into a reset.
func dropConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err == nil {
		conn.Close()
		return
	}
	panic(http.ErrAbortHandler)
}

// sandbox endpoints (no auth): the SMS outbox and the virtual clock.

func (b *Bank) listSMS(q *call) (any, *failure) {
	out := b.outbox
	if out == nil {
		out = []api.SMS{}
	}
	return out, nil
}

type clockAnswer struct {
	Now string `json:"now"`
}

func (b *Bank) getClock(q *call) (any, *failure) {
	return clockAnswer{Now: b.clock.now().Format(time.RFC3339)}, nil
}

func (b *Bank) advanceClock(q *call) (any, *failure) {
	f, bad := parseObject(q.body, false)
	if bad != nil {
		return nil, bad
	}
	s, bad := f.str("advance", true)
	if bad != nil {
		return nil, bad
	}
	d, err := time.ParseDuration(*s)
	if err != nil || d < 0 {
		return nil, invalid("advance", `advance must be a positive duration such as "72h" or "30m"`)
	}
	b.clock.advance(d)
	now := b.clock.now()
	b.runDue(now)
	return clockAnswer{Now: now.Format(time.RFC3339)}, nil
}
