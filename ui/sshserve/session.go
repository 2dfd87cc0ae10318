package sshserve

import (
	"context"
	"runtime/debug"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
)

// endReason says why a session ended.
type endReason int

const (
	endQuit     endReason = iota // the user quit (q, ctrl+c) or disconnected
	endIdle                      // no input for IdleTimeout
	endShutdown                  // the server is shutting down
	endPanic                     // the session's code panicked
	endRefused                   // refused before its program started
)

// session is the server's record of one SSH session.
type session struct {
	id      Identity
	known   bool
	started time.Time

	mu      sync.Mutex
	program *tea.Program
	closeFn func()
	reason  endReason
	detail  string
	ended   bool
}

func (st *session) setProgram(p *tea.Program, closeFn func()) {
	st.mu.Lock()
	st.program, st.closeFn = p, closeFn
	st.mu.Unlock()
}

func (st *session) getProgram() *tea.Program {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.program
}

// end records why the session ends; the first reason wins.
func (st *session) end(r endReason, detail string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if !st.ended {
		st.reason, st.detail, st.ended = r, detail, true
	}
}

func (st *session) ending() (endReason, string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.reason, st.detail
}

// release runs the Factory's Close once.
func (st *session) release() {
	st.mu.Lock()
	fn := st.closeFn
	st.closeFn = nil
	st.mu.Unlock()
	if fn != nil {
		fn()
	}
}

// outcome describes the ending for the log.
func (st *session) outcome() string {
	r, detail := st.ending()
	switch r {
	case endIdle:
		return "idle timeout"
	case endShutdown:
		return "server shutdown"
	case endPanic:
		return "panic"
	case endRefused:
		return "refused: " + detail
	}
	return "quit"
}

// Messages of the session wrapper (never passed to the session's model).
type (
	idleCheckMsg struct{}
	shutdownMsg  struct{ notice string }
)

// sessionModel wraps a session's model with what the server needs from
// inside the program: the idle timeout (input only: a ticking clock on the
// screen must not keep a forgotten session alive), the shutdown notice, and
// panic recovery in Update and View, so a bug ends one session with a
// message instead of leaving its terminal in the alternate screen.
type sessionModel struct {
	ctx       context.Context // the channel's: the wrapper's timers end with it
	inner     tea.Model
	st        *session
	idle      time.Duration
	grace     time.Duration
	notice    func(string) tea.Msg
	greeting  string
	lastInput time.Time
	logf      func(format string, args ...any)
}

func (m *sessionModel) Init() tea.Cmd {
	cmds := []tea.Cmd{m.inner.Init()}
	if m.idle > 0 {
		cmds = append(cmds, after(m.ctx, m.idle, idleCheckMsg{}))
	}
	if m.greeting != "" && m.notice != nil {
		cmds = append(cmds, m.showNotice(m.greeting))
	}
	return tea.Batch(cmds...)
}

// after brings msg after d, or nothing once ctx ends: a tea.Tick would
// keep the ended program (and all its session held) until it fires.
func after(ctx context.Context, d time.Duration, msg tea.Msg) tea.Cmd {
	return func() tea.Msg {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
			return msg
		case <-ctx.Done():
			return nil
		}
	}
}

func (m *sessionModel) showNotice(text string) tea.Cmd {
	msg := m.notice(text)
	return func() tea.Msg { return msg }
}

func (m *sessionModel) Update(msg tea.Msg) (model tea.Model, cmd tea.Cmd) {
	defer func() {
		if r := recover(); r != nil {
			m.panicked(r)
			model, cmd = m, tea.Quit
		}
	}()
	switch msg := msg.(type) {
	case idleCheckMsg:
		quiet := time.Since(m.lastInput)
		if quiet >= m.idle {
			m.st.end(endIdle, "")
			return m, tea.Quit
		}
		return m, after(m.ctx, m.idle-quiet, idleCheckMsg{})
	case shutdownMsg:
		m.st.end(endShutdown, "")
		quit := after(m.ctx, m.grace, tea.QuitMsg{})
		if m.notice == nil || msg.notice == "" {
			return m, quit
		}
		return m, tea.Batch(m.showNotice(msg.notice), quit)
	case tea.KeyPressMsg, tea.MouseMsg, tea.PasteMsg:
		m.lastInput = time.Now()
	}
	m.inner, cmd = m.inner.Update(msg)
	return m, cmd
}

func (m *sessionModel) View() (v tea.View) {
	defer func() {
		if r := recover(); r != nil {
			m.panicked(r)
			// View cannot return a command; quit from outside the event
			// loop (Quit blocks until the loop reads it).
			if p := m.st.getProgram(); p != nil {
				go p.Quit()
			}
			v = tea.NewView("")
		}
	}()
	return m.inner.View()
}

func (m *sessionModel) panicked(r any) {
	m.st.end(endPanic, "")
	m.logf("panic in session key=%s profile=%s: %v\n%s", m.st.id.Fingerprint, profileLabel(m.st.id), r, debug.Stack())
}
