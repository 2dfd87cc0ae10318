package app

// The read commands over SSH (ssh -p 2222 host balance --json): konto
// serve runs them for exec requests without a PTY, under the key's profile,
// or in demo mode on the visitor's own sandbox. Only package cli's read
// commands exist here; they never move money.

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"konto/store"
	"konto/ui/sshserve"
)

const sshBankUsage = `
Over SSH the bank is your key's profile's (in demo mode: your own sandbox).
Exit status: 0 ok, 1 failure, 2 usage, 4 no session.
`

// sshFactory is f for one SSH command: writing to the channel, reading
// connect's bank, never running programs.
func sshFactory(f *Factory, stdout, stderr io.Writer, connect Connector) *Factory {
	return &Factory{
		IO:        IOStreams{Out: stdout, ErrOut: stderr, NoColor: true},
		Getenv:    f.Getenv,
		Environ:   f.Environ,
		Version:   f.Version,
		Demo:      f.Demo,
		BankFlags: func(*flag.FlagSet) Connector { return connect },
		BankUsage: sshBankUsage,
		Loc:       berlin(),
	}
}

// demoCommands runs commands on a sandbox of the visitor's own, started
// for the command and gone with it.
type demoCommands struct {
	f     *Factory
	start time.Time // the sandbox's start ($KONTO_SANDBOX_NOW; zero: now)
}

func (d demoCommands) run(info sshserve.SessionInfo, args []string, stdout, stderr io.Writer) int {
	connect := func(ctx context.Context) (*Source, error) {
		bank, err := d.f.Demo.Start(ctx, DemoOptions{Start: d.start})
		if err != nil {
			return nil, Local(err)
		}
		src, err := openBank(ctx, d.f, bank.URL, bank.Refresh, nil)
		if err != nil {
			bank.Close()
			return nil, err
		}
		src.Now = bank.Now
		src.Close = func() {
			src.jwt.Close()
			bank.Close()
		}
		return &src.Source, nil
	}
	return Run(info.Ctx, sshFactory(d.f, stdout, stderr, connect), args)
}

// command runs a command on the key's profile: its shared client and
// offline cache, as its dashboard sessions use them.
func (p *profileSessions) command(info sshserve.SessionInfo, args []string, stdout, stderr io.Writer) int {
	profile := info.Identity.Profile
	if _, err := store.LoadSession(info.Ctx, p.secrets, profile); errors.Is(err, store.ErrNotFound) {
		fmt.Fprintf(stderr, "konto: profile %s has no stored session on this server: run \"konto login --profile %s\" there\n", profile, profile)
		return ExitNoSession
	}
	connect := func(ctx context.Context) (*Source, error) {
		b, err := p.join(profile)
		if err != nil {
			return nil, Local(err)
		}
		src := newScriptSource(b.client, b.cache, b.identity)
		src.Close = func() { p.release(profile, b) }
		if src.Rules, err = b.settings.RuleSet(); err != nil {
			src.Close()
			return nil, Local(err)
		}
		return &src.Source, nil
	}
	return Run(info.Ctx, sshFactory(p.f, stdout, stderr, connect), args)
}
