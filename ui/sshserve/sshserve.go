// Package sshserve serves a Bubble Tea program over SSH, one program per
// session, on charm.land/wish/v2: public-key authentication against an
// authorized-keys file whose lines name a profile (or any key, in demo mode),
// a persistent host key, and the middleware a public server needs: panic
// recovery, a log line per connect and disconnect, a per-IP rate limit, a
// PTY requirement, a session limit, an idle timeout and a graceful shutdown.
// It knows nothing of konto's screens: the caller's Factory builds each
// session's model, so nothing mutable is shared between sessions here.
package sshserve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"
	"charm.land/wish/v2/activeterm"
	"charm.land/wish/v2/ratelimiter"
	"charm.land/wish/v2/recover"
	gossh "golang.org/x/crypto/ssh"
	"golang.org/x/time/rate"
)

// Defaults for Config fields left zero.
const (
	DefaultRateLimit     = rate.Limit(0.5) // new sessions per second and client IP, after the burst
	DefaultRateBurst     = 10
	DefaultShutdownGrace = 2 * time.Second
	rateLimiterEntries   = 4096 // client IPs remembered by the rate limiter
)

// Identity is who a session authenticated as.
type Identity struct {
	// Fingerprint is the client key's SHA256 fingerprint.
	Fingerprint string
	// Profile is the konto profile the key's line names ("" in demo mode).
	Profile string
	// Comment is the key line's comment (usually user@host).
	Comment string
	// Demo is set when the server accepts any key.
	Demo bool
	// ReadOnly is set when the key's line says konto-readonly: the session
	// can never switch payments on.
	ReadOnly bool
	// Privacy is set when the key's line says konto-privacy: the session
	// starts with amounts masked.
	Privacy bool
}

// SessionInfo is what a Factory learns about a new session.
type SessionInfo struct {
	// Ctx ends when the session's channel does (its connection's end
	// included): everything the session starts should end with it.
	Ctx        context.Context
	Identity   Identity
	RemoteAddr net.Addr
	// Term is the client's TERM; Environ what the client sent (TERM added).
	Term    string
	Environ []string
	// Width and Height are the client's window, at most MaxWidth×MaxHeight.
	Width  int
	Height int
}

// Session is what a Factory builds for one SSH session.
type Session struct {
	// Model is the session's own root model.
	Model tea.Model
	// Close, if set, releases what the session holds; it runs once the
	// program has ended.
	Close func()
	// Greeting, if set, is shown with Config.Notice when the session starts.
	Greeting string
}

// Factory builds a session. An error refuses the session; its text is shown
// to the user after "konto: ", so it must be a sentence with no secrets.
type Factory func(info SessionInfo) (*Session, error)

// Config configures a Server.
type Config struct {
	// HostKey is the server's host key (see LoadOrCreateHostKey).
	HostKey gossh.Signer
	// AuthorizedKeysPath is the OpenSSH authorized-keys file; each key line
	// names its profile with konto-profile="NAME". Unused in demo mode.
	AuthorizedKeysPath string
	// CheckProfile vets the profile names in the authorized-keys file.
	CheckProfile func(name string) error
	// Demo accepts any public key; sessions get no profile.
	Demo bool
	// Banner is shown by the client before authentication (may be empty).
	Banner string
	// IdleTimeout closes a session that has had no key, mouse or paste
	// input for this long (0: never).
	IdleTimeout time.Duration
	// MaxSessions bounds the sessions open at once (0: no bound).
	MaxSessions int
	// RateLimit and RateBurst bound new sessions per client IP (zero: the
	// defaults above; a negative RateLimit turns the limit off).
	RateLimit rate.Limit
	RateBurst int
	// LoginGrace bounds the time from connecting to being logged in
	// (default DefaultLoginGrace, like OpenSSH's LoginGraceTime).
	LoginGrace time.Duration
	// SessionGrace bounds the time a logged-in connection may have no
	// session open (default DefaultSessionGrace).
	SessionGrace time.Duration
	// MaxUnauthenticated and MaxUnauthenticatedPerIP bound the connections
	// not logged in yet, in all and per client address (like OpenSSH's
	// MaxStartups); beyond them a connection is closed at once (defaults
	// DefaultMaxUnauthed, DefaultMaxUnauthedPerIP).
	MaxUnauthenticated      int
	MaxUnauthenticatedPerIP int
	// ShutdownGrace is how long the shutdown notice shows before sessions
	// close (default DefaultShutdownGrace).
	ShutdownGrace time.Duration
	// Notice turns a sentence into a message the session model shows on
	// its status line (nil: no in-program notices).
	Notice func(text string) tea.Msg
	// NewSession builds each session's model.
	NewSession Factory
	// Command, if set, runs exec requests without a PTY (see CommandHandler).
	Command CommandHandler
	// Log receives one line per connect and disconnect and any panic
	// (nil: discarded). Nothing secret is ever logged.
	Log *log.Logger
}

// Server is an SSH server running one Bubble Tea program per session.
type Server struct {
	cfg    Config
	srv    *ssh.Server
	keys   *authorizedKeysFile // nil in demo mode
	logger *log.Logger

	mu       sync.Mutex
	sessions map[ssh.Session]*session
	active   int // sessions holding a slot (counted against MaxSessions)
	closing  bool
}

// New checks cfg, reads the authorized-keys file (unless in demo mode) and
// builds the server; call Serve to accept connections.
func New(cfg Config) (*Server, error) {
	if cfg.HostKey == nil {
		return nil, errors.New("ssh server: no host key")
	}
	if cfg.NewSession == nil {
		return nil, errors.New("ssh server: no session factory")
	}
	if cfg.ShutdownGrace <= 0 {
		cfg.ShutdownGrace = DefaultShutdownGrace
	}
	if cfg.RateLimit == 0 {
		cfg.RateLimit = DefaultRateLimit
	}
	if cfg.RateBurst <= 0 {
		cfg.RateBurst = DefaultRateBurst
	}
	if cfg.LoginGrace <= 0 {
		cfg.LoginGrace = DefaultLoginGrace
	}
	if cfg.SessionGrace <= 0 {
		cfg.SessionGrace = DefaultSessionGrace
	}
	if cfg.MaxUnauthenticated <= 0 {
		cfg.MaxUnauthenticated = DefaultMaxUnauthed
	}
	if cfg.MaxUnauthenticatedPerIP <= 0 {
		cfg.MaxUnauthenticatedPerIP = DefaultMaxUnauthedPerIP
	}
	s := &Server{cfg: cfg, logger: cfg.Log, sessions: map[ssh.Session]*session{}}
	if s.logger == nil {
		s.logger = log.New(io.Discard, "", 0)
	}
	if !cfg.Demo {
		if cfg.AuthorizedKeysPath == "" {
			return nil, errors.New("ssh server: no authorized-keys file (or use demo mode)")
		}
		s.keys = &authorizedKeysFile{path: cfg.AuthorizedKeysPath, checkProfile: cfg.CheckProfile, logf: s.logger.Printf}
		if err := s.keys.load(); err != nil {
			return nil, err
		}
	}

	// Middleware, innermost first: each wraps the ones before it.
	chain := []wish.Middleware{
		s.farewell,
		s.runProgram,
		s.slots,
		s.requireProfile,
		activeterm.Middleware(),
		s.notePTY,
		s.commands, // exec requests without a PTY: Config.Command
	}
	if cfg.RateLimit > 0 {
		chain = append(chain, s.rateLimit(ratelimiter.NewRateLimiter(cfg.RateLimit, cfg.RateBurst, rateLimiterEntries)))
	}
	chain = append(chain, s.logging)

	opts := []ssh.Option{
		func(srv *ssh.Server) error { srv.AddHostKey(cfg.HostKey); return nil },
		wish.WithPublicKeyAuth(s.authorize),
		// The recover middleware guards the whole chain: a panic in any of
		// it ends that session only.
		wish.WithMiddleware(recover.MiddlewareWithLogger(s.logger, chain...)),
		func(srv *ssh.Server) error {
			cs := newConns(s)
			srv.HandshakeTimeout = cfg.LoginGrace // the handshake includes the login
			srv.ConnCallback = cs.accept
			srv.ConnectionFailedCallback = cs.failed
			srv.ServerConfigCallback = func(ctx ssh.Context) *gossh.ServerConfig {
				conf := &gossh.ServerConfig{Config: gossh.Config{KeyExchanges: keyExchanges, Ciphers: ciphers, MACs: macs}}
				if c := connFrom(ctx); c != nil {
					conf.AuthLogCallback = c.authAttempt
				}
				return conf
			}
			srv.ChannelHandlers = map[string]ssh.ChannelHandler{"session": cs.sessionHandler}
			return nil
		},
	}
	if cfg.Banner != "" {
		opts = append(opts, wish.WithBanner(cfg.Banner))
	}
	if cfg.IdleTimeout > 0 {
		// A backstop for connections with no session: a session's own idle
		// timeout counts input only and fires first (the server's counts
		// the program's output too).
		opts = append(opts, wish.WithIdleTimeout(cfg.IdleTimeout+time.Minute))
	}
	srv, err := wish.NewServer(opts...)
	if err != nil {
		return nil, fmt.Errorf("ssh server: %w", err)
	}
	s.srv = srv
	return s, nil
}

// Serve accepts connections on ln until Shutdown or Close; it then returns
// ssh.ErrServerClosed.
func (s *Server) Serve(ln net.Listener) error { return s.srv.Serve(ln) }

// ErrServerClosed is what Serve returns after Shutdown or Close.
var ErrServerClosed = ssh.ErrServerClosed

// Sessions is the number of sessions open now.
func (s *Server) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.active
}

// Shutdown stops accepting connections, shows notice in every open session,
// closes the sessions after the grace period and waits for the clients to
// disconnect. When ctx ends first, the remaining connections are cut.
func (s *Server) Shutdown(ctx context.Context, notice string) error {
	s.mu.Lock()
	s.closing = true
	var programs []*tea.Program
	for _, st := range s.sessions {
		if p := st.getProgram(); p != nil {
			programs = append(programs, p)
		}
	}
	s.mu.Unlock()

	// srv.Shutdown closes the listeners at once, then waits for every
	// connection to end.
	done := make(chan error, 1)
	go func() { done <- s.srv.Shutdown(ctx) }()
	for _, p := range programs {
		go p.Send(shutdownMsg{notice: notice})
	}
	// Once the sessions have said goodbye, cut the connections that are
	// left (a client multiplexing sessions keeps its connection open).
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for s.open() > 0 {
		select {
		case <-ctx.Done():
		case <-tick.C:
			continue
		}
		break
	}
	_ = s.srv.Close()
	if err := <-done; err != nil {
		return fmt.Errorf("ssh server shutdown: %w", err)
	}
	return nil
}

// open is the number of sessions the server is handling, refused ones
// still saying why included.
func (s *Server) open() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sessions)
}

// Close cuts every connection at once.
func (s *Server) Close() error { return s.srv.Close() }

// authorize is the public-key handler. In demo mode every key is welcome;
// otherwise the key must be in the authorized-keys file. A listed key
// without a profile is let in so the session can say what is missing
// (requireProfile refuses it): a refused key would only see "Permission
// denied".
func (s *Server) authorize(ctx ssh.Context, key ssh.PublicKey) bool {
	ok, why := s.keyAllowed(key)
	if c := connFrom(ctx); c != nil {
		c.offered(Fingerprint(key), why)
	}
	return ok
}

// keyAllowed says whether key may log in, and if not, why (for the log).
func (s *Server) keyAllowed(key ssh.PublicKey) (bool, string) {
	if s.cfg.Demo {
		return true, ""
	}
	keys, err := s.keys.current()
	if err != nil {
		return false, "authorized keys not loaded"
	}
	if _, ok := keys.Lookup(key); !ok {
		return false, "key not in the authorized keys"
	}
	return true, ""
}

// identify finds who the session's key belongs to.
func (s *Server) identify(sess ssh.Session) (id Identity, known bool) {
	key := sess.PublicKey()
	if key == nil {
		return Identity{}, false
	}
	id.Fingerprint = Fingerprint(key)
	if s.cfg.Demo {
		id.Demo = true
		return id, true
	}
	keys, err := s.keys.current()
	if err != nil {
		return id, false
	}
	ak, ok := keys.Lookup(key)
	if !ok {
		return id, false
	}
	id.Profile, id.Comment, id.ReadOnly, id.Privacy = ak.Profile, ak.Comment, ak.ReadOnly, ak.Privacy
	return id, true
}

func (s *Server) track(sess ssh.Session, st *session) {
	s.mu.Lock()
	s.sessions[sess] = st
	s.mu.Unlock()
}

func (s *Server) untrack(sess ssh.Session) {
	s.mu.Lock()
	delete(s.sessions, sess)
	s.mu.Unlock()
}

func (s *Server) lookup(sess ssh.Session) *session {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sessions[sess]
}

// refuse ends a session before its program starts with one line on its
// stderr and exit status 1.
func (s *Server) refuse(sess ssh.Session, st *session, msg string) {
	st.end(endRefused, msg)
	wish.Fatalln(sess, msg)
}

// logging writes one line when a session starts and one when it ends, with
// the client's address, key fingerprint and profile; and tells the user
// when a panic ended the session.
func (s *Server) logging(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		id, known := s.identify(sess)
		st := &session{id: id, known: known, started: time.Now()}
		s.track(sess, st)
		defer s.untrack(sess)
		pty, _, _ := sess.Pty()
		s.logger.Printf("connect %s key=%s profile=%s term=%q size=%dx%d",
			sess.RemoteAddr(), id.Fingerprint, profileLabel(id), pty.Term, pty.Window.Width, pty.Window.Height)
		returned := false
		defer func() {
			if !returned {
				// A panic is unwinding (the recover middleware outside logs it).
				st.end(endPanic, "")
				wish.Fatalln(sess, panicText)
			}
			s.logger.Printf("disconnect %s key=%s profile=%s after %s: %s",
				sess.RemoteAddr(), id.Fingerprint, profileLabel(id), time.Since(st.started).Round(time.Millisecond), st.outcome())
		}()
		next(sess)
		returned = true
	}
}

func profileLabel(id Identity) string {
	switch {
	case id.Demo:
		return "(demo)"
	case id.Profile == "":
		return "(none)"
	}
	return id.Profile
}

const panicText = "konto: this session hit an internal error and was closed; the server keeps running."

// rateLimit refuses new sessions from a client IP beyond the limiter's
// rate (wish's ratelimiter.Middleware, but logged as a refusal).
func (s *Server) rateLimit(limiter ratelimiter.RateLimiter) wish.Middleware {
	return func(next ssh.Handler) ssh.Handler {
		return func(sess ssh.Session) {
			if err := limiter.Allow(sess); err != nil {
				s.refuse(sess, s.lookup(sess), "konto: too many new sessions from your address: "+err.Error())
				return
			}
			next(sess)
		}
	}
}

// notePTY records, for the log, that activeterm is about to refuse a
// session without a PTY.
func (s *Server) notePTY(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		if _, _, ok := sess.Pty(); !ok {
			s.lookup(sess).end(endRefused, "no PTY")
		}
		next(sess)
	}
}

// requireProfile refuses keys that name no profile (outside demo mode).
func (s *Server) requireProfile(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		st := s.lookup(sess)
		switch {
		case st.id.Demo:
		case !st.known:
			s.refuse(sess, st, "konto: this key is not (or no longer) authorized on this server.")
			return
		case st.id.Profile == "":
			s.refuse(sess, st, fmt.Sprintf("konto: your key %s is authorized but names no konto profile: on the server, put %s=\"NAME\" in front of it in %s.",
				st.id.Fingerprint, ProfileOption, s.cfg.AuthorizedKeysPath))
			return
		}
		next(sess)
	}
}

// slots enforces MaxSessions and refuses new sessions once shutting down.
func (s *Server) slots(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		st := s.lookup(sess)
		s.mu.Lock()
		var refusal string
		switch {
		case s.closing:
			refusal = "konto: the server is shutting down; try again later."
		case s.cfg.MaxSessions > 0 && s.active >= s.cfg.MaxSessions:
			refusal = fmt.Sprintf("konto: the server is full (%d sessions); try again later.", s.cfg.MaxSessions)
		default:
			s.active++
		}
		s.mu.Unlock()
		if refusal != "" {
			s.refuse(sess, st, refusal)
			return
		}
		defer func() {
			s.mu.Lock()
			s.active--
			s.mu.Unlock()
		}()
		next(sess)
	}
}

// newProgram builds the session's model with the Factory and a program that
// reads and writes the SSH channel, with the colour profile, bounded size
// and TERM of the client, in ctx (the channel's). It never touches the
// server's own terminal or signals.
func (s *Server) newProgram(sess ssh.Session, ctx context.Context, pty ssh.Pty, w, h int) *tea.Program {
	st := s.lookup(sess)
	spec, err := s.cfg.NewSession(SessionInfo{
		Ctx:        ctx,
		Identity:   st.id,
		RemoteAddr: sess.RemoteAddr(),
		Term:       pty.Term,
		Environ:    append(sess.Environ(), "TERM="+pty.Term),
		Width:      w,
		Height:     h,
	})
	if err != nil {
		s.logger.Printf("session %s key=%s not started: %v", sess.RemoteAddr(), st.id.Fingerprint, err)
		s.refuse(sess, st, "konto: "+err.Error())
		return nil
	}
	m := &sessionModel{
		ctx:       ctx,
		inner:     spec.Model,
		st:        st,
		idle:      s.cfg.IdleTimeout,
		grace:     s.cfg.ShutdownGrace,
		notice:    s.cfg.Notice,
		greeting:  spec.Greeting,
		lastInput: time.Now(),
		logf:      s.logger.Printf,
	}
	p := tea.NewProgram(m, programOptions(sess, ctx, pty.Term, w, h)...)
	st.setProgram(p, spec.Close)

	s.mu.Lock()
	closing := s.closing
	s.mu.Unlock()
	if closing { // Shutdown began while the factory was at work.
		go p.Send(shutdownMsg{notice: "the server is shutting down"})
	}
	return p
}

// farewell runs after the program: it releases the session's resources and
// tells the user why the session ended when it was not their own quit.
func (s *Server) farewell(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		st := s.lookup(sess)
		st.release()
		reason, _ := st.ending()
		code := 0
		switch reason {
		case endRefused:
			next(sess)
			return // already said and exited
		case endIdle:
			wish.Printf(sess, "konto: session closed after %s without input.\n", s.cfg.IdleTimeout)
		case endShutdown:
			wish.Println(sess, "konto: the server is shutting down; session closed.")
		case endPanic:
			wish.Println(sess, panicText)
			code = 1
		}
		_ = sess.Exit(code)
		next(sess)
	}
}
