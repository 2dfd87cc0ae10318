package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"
	_ "time/tzdata" // dates are shown in Europe/Berlin on any machine

	tea "charm.land/bubbletea/v2"
	xterm "github.com/charmbracelet/x/term"

	"konto/theme"
	"konto/ui"
	"konto/ui/common"
	"konto/ui/insight"
)

const dashboardUsage = `
Dashboard flags:
  --demo              open the dashboard against an in-process sandbox bank
  --api-url URL       the bank's API (default: the profile's api_url, https://api.kontist.com)
  --theme MODE        dark, light or auto (default auto: follows the terminal)
  --layout MODE       side, stacked or auto (default auto: stacked in an SSH
                      session, where it sends fewer bytes; L switches)
  --seed N            demo: the sandbox's seed
  --transactions N    demo: bookings on the main account
  --hostile           demo: add bookings with hostile text (escape sequences, bidi…)
  --faults SPEC       demo: inject faults (see konto sandbox --help)
  --now TIME          start the clock at TIME (RFC 3339, 2026-11-20T10:00:00+01:00;
                      also $KONTO_SANDBOX_NOW): the demo's sandbox and konto's
                      "today"; for tests, demos, and a konto sandbox --now
  --check-window D    demo: how long a payment whose outcome is unknown is
                      checked before it counts as not booked (default 30m;
                      e.g. 2m, to see the end with --faults)
`

// DashboardOptions are the parsed command line of the dashboard.
type DashboardOptions struct {
	Demo        bool
	DemoOptions DemoOptions
	Start       time.Time // --now (zero: the machine's clock)
	CheckWindow time.Duration
	Theme       theme.Mode
	Layout      common.Layout
	settings    *settings
}

// NewCmdDashboard builds the dashboard, konto's default command; runF, if
// set, runs instead (tests).
func NewCmdDashboard(f *Factory, runF func(context.Context, *DashboardOptions) error) *Command {
	cmd := &Command{Name: "dashboard"}
	cmd.Run = func(ctx context.Context, args []string) int {
		cmd.Usage = f.usage + dashboardUsage + sessionUsage
		opts, code := parseDashboardFlags(f, cmd.Usage, args)
		if code >= 0 {
			return code
		}
		run := runF
		if run == nil {
			run = func(ctx context.Context, opts *DashboardOptions) error { return runDashboard(ctx, f, opts) }
		}
		switch err := run(ctx, opts); {
		case errors.Is(err, errNoTerminal):
			fmt.Fprintln(f.IO.ErrOut, noTerminal)
			return ExitFailure
		case err != nil:
			fmt.Fprintln(f.IO.ErrOut, "konto:", err)
			return ExitFailure
		}
		return ExitOK
	}
	return cmd
}

// parseDashboardFlags parses the dashboard's flags; code is the exit
// status to return at once, or -1 to go on.
func parseDashboardFlags(f *Factory, usage string, args []string) (*DashboardOptions, int) {
	stderr := f.IO.ErrOut
	fs := flag.NewFlagSet("konto", flag.ContinueOnError)
	opts := &DashboardOptions{}
	d := &opts.DemoOptions
	fs.BoolVar(&opts.Demo, "demo", false, "")
	fs.String("api-url", "", "")    // read by loadSettings
	fs.String("theme", "auto", "")  // read by loadSettings
	fs.String("layout", "auto", "") // read by loadSettings
	fs.Int64Var(&d.Seed, "seed", 0, "")
	fs.IntVar(&d.Transactions, "transactions", 0, "")
	fs.BoolVar(&d.Hostile, "hostile", false, "")
	fs.StringVar(&d.Faults, "faults", "", "")
	fs.DurationVar(&opts.CheckWindow, "check-window", 0, "")
	nowFlag := fs.String("now", "", "")
	sessFlags := addSessionFlags(fs)
	if code := parseCommandFlags(fs, "", usage, args, f.IO.Out, stderr); code >= 0 {
		return nil, code
	}
	given := givenFlags(fs)
	if msg := inapplicableFlag(given, opts.Demo, dashboardDemoOnly); msg != "" {
		return nil, usageError(stderr, "", msg)
	}
	set, err := loadSettings(fs, sessFlags, f.getenv)
	if err != nil {
		fmt.Fprintln(stderr, "konto:", err)
		return nil, ExitUsage
	}
	opts.settings = set
	if opts.Theme, err = theme.ParseMode(set.prof.Theme); err != nil {
		return nil, usageError(stderr, "", err.Error())
	}
	if opts.Layout, err = common.ParseLayout(set.prof.Layout, common.RemoteTerminal(f.environ())); err != nil {
		return nil, usageError(stderr, "", "--layout: "+err.Error())
	}
	d.TransactionsGiven = given["transactions"]
	if err := f.Demo.Check(*d); err != nil {
		return nil, usageError(stderr, "", err.Error())
	}
	if opts.CheckWindow < 0 {
		return nil, usageError(stderr, "", "--check-window must not be negative")
	}
	if opts.Start, err = f.Demo.ParseStart(*nowFlag, f.getenv(EnvNow)); err != nil {
		return nil, usageError(stderr, "", err.Error())
	}
	d.Start = opts.Start
	return opts, -1
}

// errNoTerminal: the dashboard has no terminal to draw on.
var errNoTerminal = errors.New("no terminal")

// runDashboard runs konto's dashboard (the default command).
func runDashboard(ctx context.Context, f *Factory, opts *DashboardOptions) error {
	set := opts.settings
	if f.Stdin == nil || !isTerminal(f.Stdin) || !isTerminal(f.IO.Out) {
		return errNoTerminal
	}
	// konto's calendar: the demo's follows its sandbox (and its clock
	// jumps); against a bank started at --now, the same start keeps both on
	// one day.
	now := startedClock(opts.Start)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	tuneMemory(ctx, f.getenv)

	var (
		baseURL, connection, refresh, auth string
	)
	switch {
	case opts.Demo:
		bank, err := f.Demo.Start(ctx, opts.DemoOptions)
		if err != nil {
			return err
		}
		defer bank.Close()
		baseURL, connection, refresh = bank.URL, "Sandbox (demo)", bank.Refresh
		now = bank.Now
	default:
		baseURL, connection = set.prof.APIURL, set.connection()
	}

	sess := openDashboardStores(ctx, f, set, baseURL, opts.Demo)
	defer sess.Close()
	noColor := noColor(f.environ())
	if !opts.Demo {
		var loggedIn bool
		var err error
		refresh, auth, loggedIn, err = sess.token(ctx, connection, opts.Theme, noColor)
		if err != nil {
			return err
		}
		if !loggedIn {
			return nil // the user left the login screen
		}
	}
	src, err := f.newJWTSource(baseURL, refresh)
	if err != nil {
		return err
	}
	defer src.Close()
	defer sess.endAuthToken(src) // on quit: the auth token in hand ends at the bank
	src.Start(ctx)
	client, err := f.newClient(baseURL, src)
	if err != nil {
		return err
	}

	c := newCommon(ctx, client, connection, opts.Theme, noColor)
	c.Now = now
	c.TokenEvents = src.Events()
	c.Demo = opts.Demo
	c.Layout = opts.Layout
	c.PendingWindow = opts.CheckWindow
	sess.attach(c, client, src, refresh, auth)
	insight.Attach(c, set.cfg, set.prof, insight.Options{WriteConfig: !opts.Demo || set.profileExplicit, Remote: common.RemoteTerminal(f.environ())})

	p := tea.NewProgram(ui.New(c), tea.WithContext(ctx), tea.WithFPS(common.FrameRate))
	if _, err := p.Run(); err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		return err
	}
	return nil
}

// startedClock is a clock that reads start now and runs in real time from
// there; the zero start is the machine's clock.
func startedClock(start time.Time) func() time.Time {
	if start.IsZero() {
		return time.Now
	}
	began := time.Now()
	return func() time.Time { return start.Add(time.Since(began)) }
}

// noTerminal is said, in one sentence, when konto is started without a
// terminal to draw on (cron, a pipe, </dev/null).
const noTerminal = `konto: the dashboard needs a terminal, and stdin or stdout is not one; run "konto help" for the commands that work without.`

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && xterm.IsTerminal(f.Fd())
}
