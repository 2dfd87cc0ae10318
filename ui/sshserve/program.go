package sshserve

// A session's program lives exactly as long as its channel: it ends when
// the client closes the channel (a multiplexing client such as OpenSSH's
// ControlMaster keeps the connection open), and everything the session
// started — its timers, its Factory's work — hangs off the channel's
// context. The window it renders at is bounded: a client asking for
// 20000×20000 would otherwise make the renderer allocate gigabytes.

import (
	"context"
	"fmt"
	"io"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"github.com/charmbracelet/colorprofile"
	uv "github.com/charmbracelet/ultraviolet"

	"konto/ui/common"
)

// The largest window a session renders at; a larger client window shows
// the session in its top left corner.
const (
	MaxWidth  = 500
	MaxHeight = 300
)

// clampWindow bounds a client's window to MaxWidth×MaxHeight.
func clampWindow(w, h int) (cw, ch int, clamped bool) {
	cw, ch = min(max(w, 0), MaxWidth), min(max(h, 0), MaxHeight)
	return cw, ch, cw != w || ch != h
}

// runProgram is the innermost handler that runs the session's program
// (in place of wish's bubbletea middleware, whose program ran until the
// connection ended and whose window was unbounded).
func (s *Server) runProgram(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		pty, winch, ok := sess.Pty()
		if !ok { // activeterm refused it already
			next(sess)
			return
		}
		// The channel's requests end when the channel does, and the
		// window channel is closed with them: that is the channel's end.
		ctx, channelEnded := context.WithCancel(sess.Context())
		defer channelEnded()
		w, h, _ := clampWindow(pty.Window.Width, pty.Window.Height)
		p := s.newProgram(sess, ctx, pty, w, h)
		go s.followWindow(sess, winch, channelEnded, p)
		if p == nil {
			next(sess)
			return
		}
		go forwardInput(ctx, sess, pty.Term, p)
		if _, err := p.Run(); err != nil && ctx.Err() == nil {
			s.logger.Printf("session %s: program ended: %v", sess.RemoteAddr(), err)
		}
		p.Kill()
		next(sess)
	}
}

// followWindow hands the client's window changes, bounded, to p (nil: a
// refused session) until the channel ends, telling the user once when
// their window is larger than the session draws. It reads every change,
// even after the program ended: the channel's request loop waits for it.
func (s *Server) followWindow(sess ssh.Session, winch <-chan ssh.Window, channelEnded func(), p *tea.Program) {
	defer channelEnded()
	told := false
	for win := range winch {
		if p == nil {
			continue
		}
		w, h, clamped := clampWindow(win.Width, win.Height)
		p.Send(tea.WindowSizeMsg{Width: w, Height: h})
		if clamped && !told {
			told = true
			s.logger.Printf("session %s: window %d×%d drawn at most %d×%d", sess.RemoteAddr(), win.Width, win.Height, MaxWidth, MaxHeight)
			if s.cfg.Notice != nil {
				p.Send(s.cfg.Notice(fmt.Sprintf("your window is %d×%d: konto draws at most %d×%d, in its top left corner", win.Width, win.Height, MaxWidth, MaxHeight)))
			}
		}
	}
}

// forwardInput decodes what the client types and hands it to p until the
// channel ends. Bubble Tea's own input reader sends each event on a
// channel only its running event loop reads: a key arriving as the program
// ends blocks that reader, and the whole ended program with it, for good.
// Send gives up once the program has ended, so this reader never blocks:
// the program itself reads a pipe that never carries anything (see
// programOptions), which keeps its terminal queries on.
func forwardInput(ctx context.Context, sess ssh.Session, term string, p *tea.Program) {
	events := make(chan uv.Event)
	go func() {
		defer close(events)
		_ = uv.NewTerminalReader(sess, term).StreamEvents(ctx, events)
	}()
	for ev := range events {
		p.Send(ev)
	}
}

// silentInput is the program's own input: nothing, until ctx ends.
type silentInput struct{ ctx context.Context }

func (in silentInput) Read([]byte) (int, error) {
	<-in.ctx.Done()
	return 0, io.EOF
}

// programOptions are the program's input, output, colours, environment
// and (bounded) size for an SSH channel whose PTY is emulated, as
// charm.land/ssh's always is.
func programOptions(sess ssh.Session, ctx context.Context, term string, w, h int) []tea.ProgramOption {
	envs := append(sess.Environ(), "TERM="+term)
	return []tea.ProgramOption{
		tea.WithInput(silentInput{ctx}),
		tea.WithOutput(sess),
		tea.WithColorProfile(colorprofile.Env(envs)),
		tea.WithEnvironment(envs),
		tea.WithWindowSize(w, h),
		tea.WithContext(ctx),
		tea.WithoutSignalHandler(), // SIGTERM is the server's: see Shutdown
		tea.WithFPS(common.FrameRate),
		// A client cannot suspend the server's process.
		tea.WithFilter(func(_ tea.Model, msg tea.Msg) tea.Msg {
			if _, ok := msg.(tea.SuspendMsg); ok {
				return tea.ResumeMsg{}
			}
			return msg
		}),
	}
}
