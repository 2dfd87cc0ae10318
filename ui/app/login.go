package app

// `konto login`, and the offline cache it claims for the new session.

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"konto/api"
	"konto/store"
	"konto/ui/login"
	"os"
	"strings"

	xterm "github.com/charmbracelet/x/term"
)

const loginUsage = `konto login: log in on the terminal and keep the session

Usage:
  konto login [--profile NAME] [--api-url URL] [--insecure-storage]

Flags:
  --profile NAME        profile to log in for: its own API URL, session and cache (default "default")
  --api-url URL         the bank's API (default: the profile's api_url, https://api.kontist.com)
  --insecure-storage    without an OS keyring, keep the session in a file readable only by you

The email and the password are asked on the terminal (the password without echo).
`

// SessionOptions are the parsed command line of konto login and logout: a
// profile, its bank and where its session is kept.
type SessionOptions struct {
	Profile  string
	APIURL   string
	settings *settings
}

// parseSessionCommand parses the flags of login and logout: a profile, its
// bank and where its session is kept, and none of the dashboard's.
func parseSessionCommand(f *Factory, name, usage string, args []string) (*SessionOptions, int) {
	fs := flag.NewFlagSet("konto "+name, flag.ContinueOnError)
	fs.String("api-url", "", "")
	sf := &sessionFlags{}
	fs.StringVar(&sf.profile, "profile", store.DefaultProfile, "")
	fs.BoolVar(&sf.insecureStorage, "insecure-storage", false, "")
	if code := parseCommandFlags(fs, name, usage, args, f.IO.Out, f.IO.ErrOut); code >= 0 {
		return nil, code
	}
	set, err := loadSettings(fs, sf, f.getenv)
	if err != nil {
		fmt.Fprintf(f.IO.ErrOut, "konto %s: %v\n", name, err)
		return nil, ExitUsage
	}
	return &SessionOptions{Profile: set.prof.Name, APIURL: set.prof.APIURL, settings: set}, -1
}

// newSessionCommand is login or logout: parse, then runF or run.
func newSessionCommand(f *Factory, name, usage string, runF, run func(context.Context, *SessionOptions) error) *Command {
	return &Command{Name: name, Usage: usage, Run: func(ctx context.Context, args []string) int {
		opts, code := parseSessionCommand(f, name, usage, args)
		if code >= 0 {
			return code
		}
		if runF == nil {
			runF = run
		}
		if err := runF(ctx, opts); err != nil {
			var st exitStatus
			if errors.As(err, &st) {
				return int(st)
			}
			fmt.Fprintf(f.IO.ErrOut, "konto %s: %v\n", name, err)
			return ExitFailure
		}
		return ExitOK
	}}
}

// exitStatus is an error for a command that has said what went wrong
// itself and only ends with this status.
type exitStatus int

func (e exitStatus) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// statusErr is nil for status 0, else the exitStatus.
func statusErr(status int) error {
	if status == 0 {
		return nil
	}
	return exitStatus(status)
}

// NewCmdLogin builds konto login; runF, if set, runs instead (tests).
func NewCmdLogin(f *Factory, runF func(context.Context, *SessionOptions) error) *Command {
	return newSessionCommand(f, "login", loginUsage, runF, func(ctx context.Context, opts *SessionOptions) error {
		return statusErr(runLogin(ctx, f, opts.settings))
	})
}

// runLogin is `konto login`: email and password asked on the terminal (the
// password without echo), the session kept in the profile's store.
func runLogin(ctx context.Context, f *Factory, set *settings) int {
	stdin, stdout, stderr := f.Stdin, f.IO.Out, f.IO.ErrOut
	if stdin == nil {
		fmt.Fprintln(stderr, "konto login: no terminal to ask for the email and password")
		return ExitFailure
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	secrets := openSecretsEnv(ctx, f, set)
	if secrets.tokens.EnvToken() != "" {
		fmt.Fprintln(stderr, "konto login: KONTO_REFRESH_TOKEN is set and would be used instead of the stored session: unset it first")
		return 1
	}
	if secrets.tokens.OffersFile() {
		fmt.Fprintf(stderr, "konto login: %s\n(konto login would forget the session at once; run it with --insecure-storage to keep it in a file)\n", secrets.tokens.Notice())
		return 1
	}
	in := bufio.NewReader(stdin)
	fmt.Fprintf(stdout, "Log in to %s (profile %s)\nEmail: ", set.prof.APIURL, set.prof.Name)
	email, err := in.ReadString('\n')
	if err != nil && email == "" {
		fmt.Fprintln(stderr, "\nkonto login: no email given")
		return 1
	}
	fmt.Fprint(stdout, "Password: ")
	password, err := readPassword(stdin, in)
	fmt.Fprintln(stdout)
	if err != nil {
		fmt.Fprintln(stderr, "konto login: read the password:", err)
		return 1
	}
	cred := api.Credentials{Email: strings.TrimSpace(email), Password: password}
	refresh, _, err := f.logIn(ctx, set.prof.APIURL, cred)
	if err != nil {
		fmt.Fprintln(stderr, "konto login:", login.Sentence(err, set.prof.APIURL))
		return 1
	}
	notice, replaced, err := secrets.tokens.Keep(ctx, store.StoredSession{APIURL: set.prof.APIURL, RefreshToken: refresh}, false)
	if err != nil {
		fmt.Fprintln(stderr, "konto login: logged in, but the session could not be saved:", err)
		return 1
	}
	if notice == "" {
		notice = "the session is kept in the OS keyring"
	}
	fmt.Fprintf(stdout, "Logged in as %s; %s.\n", cred.Email, notice)
	if said := secrets.endReplaced(ctx, replaced); said != "" {
		fmt.Fprintln(stdout, said)
	}
	said, err := store.ClaimCacheFile(set.getenv, set.prof.Name, api.TokenSubject(refresh))
	if err != nil {
		fmt.Fprintf(stderr, "konto login: the offline cache may hold another login's data and could not be cleared (%v): delete it before the next start\n", err)
		return 1
	}
	if said != "" {
		fmt.Fprintln(stdout, said)
	}
	return 0
}

// readPassword reads a line without echo when stdin is a terminal, else a
// plain line (scripts, tests).
func readPassword(stdin *os.File, buffered *bufio.Reader) (string, error) {
	if xterm.IsTerminal(stdin.Fd()) {
		b, err := xterm.ReadPassword(stdin.Fd())
		return string(b), err
	}
	line, err := buffered.ReadString('\n')
	if err != nil && line == "" {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}
