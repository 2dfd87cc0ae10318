package sshserve

// What a connection may hold before it is anyone's (OpenSSH's discipline):
// a deadline for logging in (LoginGraceTime), a cap on connections not yet
// logged in, in all and per client address (MaxStartups), a deadline for
// opening a session once logged in, a cap on sessions per connection, and
// one log line, fail2ban's to match, for every refused login.

import (
	"errors"
	"fmt"
	"net"
	"slices"
	"sync"
	"time"

	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// Defaults for the connection limits of Config left zero.
const (
	DefaultLoginGrace        = 20 * time.Second
	DefaultSessionGrace      = 30 * time.Second
	DefaultMaxUnauthed       = 100
	DefaultMaxUnauthedPerIP  = 10
	maxSessionsPerConnection = 10
	floodLogEvery            = time.Second // at most one "too many connections" line per second
)

// Algorithms are what the server offers, as recent OpenSSH does: no SHA-1,
// no CBC, MACs only encrypt-then-MAC (the AEAD ciphers carry their own).
var (
	keyExchanges = []string{gossh.KeyExchangeMLKEM768X25519, gossh.KeyExchangeCurve25519}
	ciphers      = []string{gossh.CipherChaCha20Poly1305, gossh.CipherAES256GCM, gossh.CipherAES128GCM, gossh.CipherAES256CTR, gossh.CipherAES128CTR}
	macs         = []string{gossh.HMACSHA256ETM, gossh.HMACSHA512ETM}
)

type connKey struct{}

// conns tracks the server's connections by client address.
type conns struct {
	s          *Server
	maxAll     int
	maxPerIP   int
	loginGrace time.Duration

	mu         sync.Mutex
	unauthed   int
	perIP      map[string]int
	byAddr     map[string]*conn // remote address → connection, for ConnectionFailedCallback
	lastFlood  time.Time
	suppressed int
}

// conn is one client connection, wrapping the TCP connection so that its
// end (however it comes) releases what it held.
type conn struct {
	net.Conn
	cs   *conns
	ip   string
	port string

	mu          sync.Mutex
	unauthed    bool // holds a place among the unauthenticated connections
	authed      bool
	closed      bool
	sessions    int
	idle        *time.Timer // the session deadline while no session is open
	key         string      // fingerprint of the last key offered
	keyWhy      string      // why that key was refused
	pendingNone bool        // a "none" attempt not (yet) followed by another
	refusedKeys []string    // unknown keys offered, logged if no login follows
	userName    string      // the user name of the last attempt
	attempts    int
	failure     error // the handshake's error, from ConnectionFailedCallback
	timedOut    bool
}

func newConns(s *Server) *conns {
	cs := &conns{s: s, maxAll: s.cfg.MaxUnauthenticated, maxPerIP: s.cfg.MaxUnauthenticatedPerIP,
		loginGrace: s.cfg.LoginGrace, perIP: map[string]int{}, byAddr: map[string]*conn{}}
	return cs
}

// accept is the server's ConnCallback: it admits a new connection or,
// beyond the caps, closes it at once (returning nil).
func (cs *conns) accept(ctx ssh.Context, nc net.Conn) net.Conn {
	ip, port, err := net.SplitHostPort(nc.RemoteAddr().String())
	if err != nil {
		ip, port = nc.RemoteAddr().String(), "0"
	}
	cs.mu.Lock()
	var why string
	switch {
	case cs.perIP[ip] >= cs.maxPerIP:
		why = fmt.Sprintf("too many connections not logged in from this address (%d)", cs.maxPerIP)
	case cs.unauthed >= cs.maxAll:
		why = fmt.Sprintf("too many connections not logged in (%d)", cs.maxAll)
	}
	if why != "" {
		now := time.Now()
		logIt := now.Sub(cs.lastFlood) >= floodLogEvery
		suppressed := cs.suppressed
		if logIt {
			cs.lastFlood, cs.suppressed = now, 0
		} else {
			cs.suppressed++
		}
		cs.mu.Unlock()
		if logIt {
			if suppressed > 0 {
				why += fmt.Sprintf("; %d more connections refused since the last line", suppressed)
			}
			cs.s.logRefusal(ip, port, "", "-", "", why)
		}
		return nil
	}
	cs.unauthed++
	cs.perIP[ip]++
	c := &conn{Conn: nc, cs: cs, ip: ip, port: port, unauthed: true}
	cs.byAddr[nc.RemoteAddr().String()] = c
	cs.mu.Unlock()
	ctx.SetValue(connKey{}, c)
	return c
}

// leaveUnauthed gives up c's place among the unauthenticated connections.
func (cs *conns) leaveUnauthed(c *conn) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	c.mu.Lock()
	held := c.unauthed
	c.unauthed = false
	c.mu.Unlock()
	if !held {
		return
	}
	cs.unauthed--
	if cs.perIP[c.ip]--; cs.perIP[c.ip] <= 0 {
		delete(cs.perIP, c.ip)
	}
}

// failed is the server's ConnectionFailedCallback: it notes why the
// handshake failed for the line logged when the connection closes.
func (cs *conns) failed(nc net.Conn, err error) {
	cs.mu.Lock()
	c := cs.byAddr[nc.RemoteAddr().String()]
	cs.mu.Unlock()
	if c == nil {
		return
	}
	c.mu.Lock()
	if c.failure == nil {
		c.failure = err
	}
	c.mu.Unlock()
}

func connFrom(ctx ssh.Context) *conn {
	c, _ := ctx.Value(connKey{}).(*conn)
	return c
}

// Read notes a deadline passing before the login.
func (c *conn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	var ne net.Error
	if err != nil && errors.As(err, &ne) && ne.Timeout() {
		c.mu.Lock()
		c.timedOut = !c.authed
		c.mu.Unlock()
	}
	return n, err
}

// Close ends the connection and logs why it ended if nobody logged in.
func (c *conn) Close() error {
	err := c.Conn.Close()
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return err
	}
	c.closed = true
	if c.idle != nil {
		c.idle.Stop()
	}
	authed, none, attempts, failure, timedOut, user := c.authed, c.pendingNone, c.attempts, c.failure, c.timedOut, c.userName
	keys, keyWhy := c.refusedKeys, c.keyWhy
	c.mu.Unlock()
	c.cs.leaveUnauthed(c)
	c.cs.mu.Lock()
	if c.cs.byAddr[c.RemoteAddr().String()] == c {
		delete(c.cs.byAddr, c.RemoteAddr().String())
	}
	c.cs.mu.Unlock()
	if authed {
		return err
	}
	switch {
	case len(keys) > 0:
		why := keyWhy
		if len(keys) > 1 {
			why = fmt.Sprintf("%s (%d keys offered)", why, len(keys))
		}
		c.cs.s.logRefusal(c.ip, c.port, user, "publickey", keys[len(keys)-1], why)
	case none:
		c.cs.s.logRefusal(c.ip, c.port, user, "none", "", "no key offered")
	case timedOut:
		c.cs.s.logRefusal(c.ip, c.port, user, "-", "", fmt.Sprintf("not logged in within %s", c.cs.loginGrace))
	case attempts > 0: // each was logged
	case failure != nil:
		c.cs.s.logRefusal(c.ip, c.port, user, "-", "", "handshake failed: "+failure.Error())
	default:
		c.cs.s.logRefusal(c.ip, c.port, user, "-", "", "closed before logging in")
	}
	return err
}

// offered records the key a client offers and why it is refused ("" when
// it is accepted).
func (c *conn) offered(fingerprint, why string) {
	c.mu.Lock()
	c.key, c.keyWhy = fingerprint, why
	c.mu.Unlock()
}

// authAttempt is the ServerConfig's AuthLogCallback: every login attempt.
// Password and keyboard-interactive attempts are guesses (neither is
// offered) and logged at once. "none" and unknown keys are logged when the
// connection ends without a login, in one line: every client tries "none"
// first, and a user's agent may offer other keys before the right one.
func (c *conn) authAttempt(meta gossh.ConnMetadata, method string, err error) {
	c.mu.Lock()
	c.userName = meta.User()
	if err == nil {
		c.authed, c.pendingNone, c.refusedKeys = true, false, nil
		c.mu.Unlock()
		c.cs.leaveUnauthed(c)
		c.sessionless()
		return
	}
	if method == "none" {
		c.pendingNone = true
		c.mu.Unlock()
		return
	}
	c.pendingNone = false
	if method == "publickey" {
		if c.keyWhy == "" {
			c.keyWhy = "key refused: " + err.Error()
		}
		if len(c.refusedKeys) < 16 && !slices.Contains(c.refusedKeys, c.key) {
			c.refusedKeys = append(c.refusedKeys, c.key)
		}
		c.mu.Unlock()
		return
	}
	c.attempts++
	key, why := "", ""
	switch method {
	case "password", "keyboard-interactive":
		why = method + " logins are not offered (public keys only)"
	default:
		why = fmt.Sprintf("login method %q is not offered (public keys only)", method)
	}
	c.mu.Unlock()
	c.cs.s.logRefusal(c.ip, c.port, meta.User(), method, key, why)
}

// sessionless starts the session deadline: a logged-in connection with no
// session open is closed after SessionGrace.
func (c *conn) sessionless() {
	grace := c.cs.s.cfg.SessionGrace
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed || c.sessions > 0 {
		return
	}
	if c.idle != nil {
		c.idle.Stop()
	}
	c.idle = time.AfterFunc(grace, func() {
		c.mu.Lock()
		expired := !c.closed && c.sessions == 0
		c.mu.Unlock()
		if expired {
			c.cs.s.logger.Printf("closed %s port %s: no session open for %s after logging in", c.ip, c.port, grace)
			_ = c.Conn.Close()
		}
	})
}

// sessionHandler wraps the session channel handler: it counts the
// connection's sessions (refusing more than maxSessionsPerConnection) and
// holds the session deadline while one is open.
func (cs *conns) sessionHandler(srv *ssh.Server, sc *gossh.ServerConn, nc gossh.NewChannel, ctx ssh.Context) {
	c := connFrom(ctx)
	if c == nil {
		ssh.DefaultSessionHandler(srv, sc, nc, ctx)
		return
	}
	c.mu.Lock()
	if c.sessions >= maxSessionsPerConnection {
		c.mu.Unlock()
		_ = nc.Reject(gossh.ResourceShortage, fmt.Sprintf("at most %d sessions per connection", maxSessionsPerConnection))
		return
	}
	c.sessions++
	if c.idle != nil {
		c.idle.Stop()
	}
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		c.sessions--
		last := c.sessions == 0
		c.mu.Unlock()
		if last {
			c.sessionless()
		}
	}()
	ssh.DefaultSessionHandler(srv, sc, nc, ctx)
}

// logRefusal writes the one line of a refused login or connection, in a
// form fail2ban matches (see README.md): the client's address first, every
// field the client chose quoted.
func (s *Server) logRefusal(ip, port, user, method, key, why string) {
	if key == "" {
		key = "-"
	}
	s.logger.Printf("login refused from %s port %s user=%q method=%s key=%s reason=%q", ip, port, user, method, key, why)
}
