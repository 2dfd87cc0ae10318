package sshserve

import (
	"fmt"
	"io"
	"strings"

	"charm.land/ssh"
)

// CommandHandler runs a command a client asked for with an exec request
// and no PTY (ssh host balance --json): args are its words, stdout and
// stderr the channel's. It returns the exit status the channel reports.
// It runs after the same key, profile and session-limit checks as a
// dashboard session.
type CommandHandler func(info SessionInfo, args []string, stdout, stderr io.Writer) int

// commands runs exec requests without a PTY through Config.Command, and
// passes everything else on to the dashboard. A command with a PTY
// (ssh -t) is refused with status 2: its output would meet a terminal in
// raw mode.
func (s *Server) commands(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		args := sess.Command()
		if len(args) == 0 || s.cfg.Command == nil {
			next(sess)
			return
		}
		st := s.lookup(sess)
		if _, _, pty := sess.Pty(); pty {
			st.end(endRefused, "command with a PTY")
			fmt.Fprintln(sess.Stderr(), "konto: run commands without a terminal (leave out ssh -t); without a command you get the dashboard.")
			_ = sess.Exit(2)
			return
		}
		run := func(sess ssh.Session) {
			code := s.cfg.Command(SessionInfo{
				Ctx:        sess.Context(),
				Identity:   st.id,
				RemoteAddr: sess.RemoteAddr(),
				Environ:    sess.Environ(),
			}, args, sess, sess.Stderr())
			s.logger.Printf("command %s key=%s profile=%s: %q exit %d",
				sess.RemoteAddr(), st.id.Fingerprint, profileLabel(st.id), strings.Join(args, " "), code)
			st.end(endQuit, "")
			_ = sess.Exit(code)
		}
		s.requireProfile(s.slots(run))(sess)
	}
}
