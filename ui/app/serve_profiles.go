package app

// Profiles over SSH: every session of a profile shares that profile's token
// source, API client (one refresh for all of them) and offline cache (bbolt
// opened once per process), all safe for concurrent use, and nothing else;
// each session gets its own Common, model and session controller. When the
// last session of a profile ends, its token source stops and the auth token
// it held is ended at the bank; the next session starts a new one from the
// stored session (read again, so a `konto login` on the server meanwhile
// counts).

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sync"

	"konto/api"
	"konto/store"
	"konto/theme"
	"konto/ui"
	"konto/ui/common"
	"konto/ui/insight"
	"konto/ui/session"
	"konto/ui/sshserve"
)

// profileSessions builds the sessions of authorized keys' profiles.
type profileSessions struct {
	f       *Factory
	ctx     context.Context // the server's lifetime: the token refreshers run in it
	theme   theme.Mode      // --theme; auto defers to each profile's setting
	layout  string          // --layout; auto defers to each profile's setting
	config  *store.Config
	secrets store.Secrets
	logger  *log.Logger

	mu      sync.Mutex
	shared  map[string]*sharedProfile
	caches  map[string]*profileCache // opened once, kept across new logins
	sources map[*api.JWTSource]bool  // every source running, closed by close
	ending  map[chan struct{}]bool   // auth tokens being ended at their bank: closed when done
}

// profileCache is a profile's offline cache (nil when it has none or it
// could not be opened) and what to tell its sessions about it.
type profileCache struct {
	cache   *store.Cache
	notices []string
}

// sharedProfile is what the sessions of one profile share. The client, the
// token source and the cache are safe for concurrent use; keys is copied
// into each session's Common.
type sharedProfile struct {
	settings store.Profile
	keys     common.KeyMap
	src      *api.JWTSource
	client   *api.Client
	cache    *store.Cache // nil when the profile has no cache
	notices  []string     // about the cache, shown at each session's start
	// identity is whose session the stored token is (api.TokenSubject; ""
	// when the token names nobody): the cache was claimed for it before any
	// session of it uses it.
	identity string
	// sessions counts the SSH sessions sharing it (guarded by
	// profileSessions.mu); the last one to end stops it.
	sessions int
}

// newProfileSessions reads the config and opens the credential store the way
// `konto login` writes it (the OS keyring, or the token files).
func newProfileSessions(ctx context.Context, f *Factory, mode theme.Mode, layout string, logger *log.Logger) (*profileSessions, error) {
	path, err := store.ConfigPath(f.getenv)
	if err != nil {
		return nil, err
	}
	cfg, err := store.LoadConfig(path)
	if err != nil {
		return nil, err
	}
	// The server only reads tokens `konto login` stored; consenting to files
	// here lets it find them where no keyring runs (a headless box).
	secrets, notice := store.OpenSecrets(ctx, store.SecretsOptions{Getenv: f.getenv, InsecureStorage: true})
	if notice != "" {
		logger.Printf("sessions are read from %s", secrets.Where())
	}
	return &profileSessions{f: f, ctx: ctx, theme: mode, layout: layout, config: cfg, secrets: secrets, logger: logger,
		shared: map[string]*sharedProfile{}, caches: map[string]*profileCache{}, sources: map[*api.JWTSource]bool{}, ending: map[chan struct{}]bool{}}, nil
}

// join returns what the profile's sessions share, starting it on first
// use, for one more session: release it when the session ends.
func (p *profileSessions) join(profile string) (*sharedProfile, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if b, ok := p.shared[profile]; ok {
		b.sessions++
		return b, nil
	}
	resolved, err := store.Resolve(p.config, profile, store.Overrides{})
	if err != nil {
		return nil, fmt.Errorf("profile %q: %w", profile, err)
	}
	settings := resolved.Profile
	keys := common.DefaultKeyMap()
	if err := common.ApplyKeyBindings(&keys, settings.Keys); err != nil {
		return nil, fmt.Errorf("profile %q: key bindings: %w", profile, err)
	}
	sess, err := store.LoadSession(p.ctx, p.secrets, profile)
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("profile %q has no stored session on this server: run \"konto login --profile %s\" there", profile, profile)
	}
	if err != nil {
		return nil, fmt.Errorf("profile %q: read the stored session: %w", profile, err)
	}
	// The token goes only to the bank it was made at (a session of an
	// earlier konto, which recorded none, is the profile's api_url's).
	if sess.APIURL != "" && !api.SameBank(sess.APIURL, settings.APIURL) {
		return nil, fmt.Errorf("profile %q: the stored session is for %s, not for the profile's api_url %s, so it is not used: run \"konto login --profile %s\" on the server",
			profile, sess.APIURL, settings.APIURL, profile)
	}
	token := sess.RefreshToken
	src, err := p.f.newJWTSource(settings.APIURL, token)
	if err != nil {
		return nil, fmt.Errorf("profile %q: %w", profile, err)
	}
	client, err := p.f.newClient(settings.APIURL, src)
	if err != nil {
		src.Close()
		return nil, fmt.Errorf("profile %q: %w", profile, err)
	}
	src.Start(p.ctx)
	p.sources[src] = true
	b := &sharedProfile{settings: settings, keys: keys, src: src, client: client, identity: api.TokenSubject(token), sessions: 1}
	if settings.Cache {
		pc, ok := p.caches[profile]
		if !ok {
			pc = p.openCache(profile)
			p.caches[profile] = pc
		}
		p.claimCache(profile, pc, b.identity)
		b.cache, b.notices = pc.cache, pc.notices
	}
	// Sessions subscribe to src themselves; this reads its own channel
	// until release or close stops src.
	go func(events <-chan api.TokenEvent) {
		for ev := range events {
			if ev.Kind == api.LoginNeeded {
				// The bank refused the stored session: let the next session
				// read the store again (after a `konto login` on the server).
				p.forget(profile, b)
			}
		}
	}(src.Events())
	p.shared[profile] = b
	return b, nil
}

// openCache opens the profile's offline cache, once for all its sessions;
// without one the sessions run from the bank alone and say why.
func (p *profileSessions) openCache(profile string) *profileCache {
	cache, err := store.OpenProfileCache(p.f.getenv, profile)
	switch {
	case errors.Is(err, store.ErrCacheLocked):
		return &profileCache{notices: []string{"the offline cache is in use by another konto: this server runs without it"}}
	case err != nil:
		p.logger.Printf("profile %s: no offline cache: %v", profile, err)
		return &profileCache{notices: []string{"the offline cache cannot be used: konto runs without it"}}
	case cache.Notice() != "":
		return &profileCache{cache: cache, notices: []string{cache.Notice()}}
	}
	return &profileCache{cache: cache}
}

// claimCache makes the profile's shared cache identity's before a session
// of the token just read uses it (store.Cache.Claim): after `konto login`
// on the server as someone else, it would otherwise paint the previous
// user's data. Sessions of the previous token still running stop using it
// (offline.Mirror notes the cache's epoch). A cache that cannot be claimed is
// dropped; an unknown identity claims nothing. The caller holds p.mu.
func (p *profileSessions) claimCache(profile string, pc *profileCache, identity string) {
	wiped, err := store.ClaimProfileCache(pc.cache, identity)
	switch {
	case err != nil:
		p.logger.Printf("profile %s: the offline cache could not be cleared of an earlier login's data: %v", profile, err)
		pc.cache = nil
		pc.notices = append(pc.notices, "the offline cache could not be cleared of an earlier login's data: konto runs without it")
	case wiped:
		p.logger.Printf("profile %s: cleared the offline cache of an earlier login's data", profile)
	}
}

// release is the end of one session of b: after the last, b stops (a
// session that starts later joins a new one) and the auth token its source
// held is ended at the bank, in the background, within quitTimeout.
func (p *profileSessions) release(profile string, b *sharedProfile) {
	p.mu.Lock()
	b.sessions--
	if b.sessions > 0 {
		p.mu.Unlock()
		return
	}
	if p.shared[profile] == b {
		delete(p.shared, profile)
	}
	delete(p.sources, b.src)
	done := make(chan struct{})
	p.ending[done] = true
	p.mu.Unlock()
	go func() {
		defer func() {
			p.mu.Lock()
			delete(p.ending, done)
			p.mu.Unlock()
			close(done)
		}()
		b.src.Close()
		auth := b.src.AuthToken()
		if auth == "" {
			return
		}
		client, err := p.f.newClient(b.settings.APIURL, nil)
		if err != nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), quitTimeout)
		defer cancel()
		if err := client.InvalidateAuthToken(ctx, auth); err != nil {
			p.logger.Printf("profile %s: the last session ended; its auth token could not be ended at the bank: %s", profile, common.ErrorText(err))
		}
	}()
}

// close stops every profile's token refresher and closes its cache; call it
// once no session runs any more.
func (p *profileSessions) close() {
	p.mu.Lock()
	var ending []chan struct{}
	for done := range p.ending {
		ending = append(ending, done)
	}
	p.mu.Unlock()
	for _, done := range ending {
		<-done // each within quitTimeout
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for src := range p.sources {
		src.Close()
	}
	for _, pc := range p.caches {
		if pc.cache != nil {
			_ = pc.cache.Close()
		}
	}
	p.shared, p.caches, p.sources = map[string]*sharedProfile{}, map[string]*profileCache{}, map[*api.JWTSource]bool{}
}

func (p *profileSessions) forget(profile string, b *sharedProfile) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shared[profile] == b {
		delete(p.shared, profile)
	}
}

// sessionLayout is --layout, or when that is auto the profile's setting;
// auto there too means stacked, as every session is remote.
func (p *profileSessions) sessionLayout(setting string) common.Layout {
	choice := p.layout
	if choice == "" || choice == "auto" {
		choice = setting
	}
	l, err := common.ParseLayout(choice, true)
	if err != nil {
		return common.LayoutStacked
	}
	return l
}

func (p *profileSessions) newSession(info sshserve.SessionInfo) (*sshserve.Session, error) {
	profile := info.Identity.Profile
	b, err := p.join(profile)
	if err != nil {
		p.logger.Printf("profile %s: %v", profile, err)
		return nil, err
	}
	mode := p.theme
	if mode == theme.Auto {
		if m, err := theme.ParseMode(b.settings.Theme); err == nil {
			mode = m
		}
	}
	ctx, cancel := context.WithCancel(info.Ctx)
	c := newCommon(ctx, b.client, "profile "+profile, mode, noColor(info.Environ))
	c.ReadOnly = b.settings.ReadOnly
	wireLookahead(c, p.config, b.settings, b.cache)
	c.ReadOnly, c.PaymentsLocked = c.ReadOnly || info.Identity.ReadOnly, info.Identity.ReadOnly
	c.Keys = b.keys
	c.Layout = p.sessionLayout(b.settings.Layout)
	events, unsubscribe := b.src.Subscribe()
	c.TokenEvents = events
	// The session's own view of the shared cache: sync, polling, offline state.
	mirror := session.NewMirror(b.client, b.cache, nil)
	// Claimed for this identity in join() already: this only tells the
	// session's mirror whose data it serves.
	if _, err := mirror.SetOwner(b.identity); err != nil {
		p.logger.Printf("profile %s: offline cache: %v", profile, err)
	}
	c.Bank = mirror
	// Rules and labels as on the profile's own terminal; links are copied,
	// never opened on the server's desktop.
	insight.Attach(c, p.config, b.settings, insight.Options{WriteConfig: true, Remote: true, Privacy: info.Identity.Privacy})
	if b.cache != nil {
		c.PendingStore = mirror // shared by the profile's sessions: each shows and checks them
	}
	c.Session = session.New(c, mirror, session.Options{PollInterval: b.settings.PollInterval, Notices: b.notices})
	return &sshserve.Session{
		Model: ui.New(c),
		Close: func() {
			cancel()
			unsubscribe()
			p.release(profile, b)
		},
	}, nil
}
