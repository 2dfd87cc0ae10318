package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
	_ "time/tzdata" // dates are shown in Europe/Berlin on any machine

	tea "charm.land/bubbletea/v2"
	xterm "github.com/charmbracelet/x/term"

	"konto/api"
	"konto/api/sandbox"
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

// runDashboard runs konto's dashboard (the default command).
func runDashboard(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("konto", flag.ContinueOnError)
	demo := fs.Bool("demo", false, "")
	fs.String("api-url", "", "")    // read by loadSettings
	fs.String("theme", "auto", "")  // read by loadSettings
	fs.String("layout", "auto", "") // read by loadSettings
	seed := fs.Int64("seed", 0, "")
	txCount := fs.Int("transactions", 0, "")
	hostile := fs.Bool("hostile", false, "")
	faults := fs.String("faults", "", "")
	checkWindow := fs.Duration("check-window", 0, "")
	nowFlag := fs.String("now", "", "")
	sessFlags := addSessionFlags(fs)
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		return usageError(stderr, "", fmt.Sprintf("no command %q (commands: %s)", args[0], strings.Join(helpTopics[1:], ", ")))
	}
	if code := parseCommandFlags(fs, "", args, stdout, stderr); code >= 0 {
		return code
	}
	if msg := inapplicableFlag(givenFlags(fs), *demo); msg != "" {
		return usageError(stderr, "", msg)
	}
	set, err := loadSettings(fs, sessFlags, nil)
	if err != nil {
		fmt.Fprintln(stderr, "konto:", err)
		return 2
	}
	mode, err := theme.ParseMode(set.prof.Theme)
	if err != nil {
		return usageError(stderr, "", err.Error())
	}
	layout, err := common.ParseLayout(set.prof.Layout, common.RemoteTerminal(os.Environ()))
	if err != nil {
		return usageError(stderr, "", "--layout: "+err.Error())
	}
	bankOpts := sandbox.Options{Seed: *seed, Transactions: *txCount, Hostile: *hostile, Faults: *faults}
	if err := checkBankOptions(bankOpts, givenFlags(fs)["transactions"]); err != nil {
		return usageError(stderr, "", err.Error())
	}
	if *checkWindow < 0 {
		return usageError(stderr, "", "--check-window must not be negative")
	}
	start, err := sandbox.ParseStart(*nowFlag, os.Getenv(sandbox.EnvNow))
	if err != nil {
		return usageError(stderr, "", err.Error())
	}
	if !isTerminal(os.Stdin) || !isTerminal(os.Stdout) {
		fmt.Fprintln(stderr, noTerminal)
		return 1
	}
	// konto's calendar: the demo's follows its sandbox (and its clock
	// jumps); against a bank started at --now, the same start keeps both on
	// one day.
	now := startedClock(start)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	var (
		baseURL    string
		connection string
	)
	switch {
	case *demo:
		bankOpts.Now = sandbox.StartAt(start)
		bank, err := sandbox.New(bankOpts)
		if err != nil {
			fmt.Fprintln(stderr, "konto: start the sandbox:", err)
			return 1
		}
		url, stop, err := serveLoopback(bank)
		if err != nil {
			fmt.Fprintln(stderr, "konto:", err)
			return 1
		}
		defer stop()
		baseURL, connection = url, "Sandbox (demo)"
		now = bank.Now
	default:
		baseURL, connection = set.prof.APIURL, set.connection()
	}

	sess := openDashboardSession(ctx, set, baseURL, *demo)
	defer sess.Close()
	var refresh, auth string
	if *demo {
		refresh, err = demoRefreshToken(ctx, baseURL)
		if err != nil {
			fmt.Fprintln(stderr, "konto: log in to the sandbox:", err)
			return 1
		}
	} else {
		var loggedIn bool
		refresh, auth, loggedIn, err = sess.token(ctx, connection, mode)
		if err != nil {
			fmt.Fprintln(stderr, "konto:", err)
			return 1
		}
		if !loggedIn {
			return 0 // the user left the login screen
		}
	}
	src, err := api.NewJWTSource(baseURL, refresh)
	if err != nil {
		fmt.Fprintln(stderr, "konto:", err)
		return 1
	}
	defer src.Close()
	defer sess.endAuthToken(src) // on quit: the auth token in hand ends at the bank
	src.Start(ctx)
	client, err := api.New(baseURL, src, api.WithUserAgent("konto/"+version))
	if err != nil {
		fmt.Fprintln(stderr, "konto:", err)
		return 1
	}

	c := common.New(ctx, client)
	c.Now = now
	c.Connection = connection
	c.ThemeMode = mode
	_, c.NoColor = os.LookupEnv("NO_COLOR")
	c.Styles = theme.ForMode(mode, c.NoColor)
	c.TokenEvents = src.Events()
	c.Demo = *demo
	c.Layout = layout
	c.PendingWindow = *checkWindow
	sess.attach(c, src, refresh, auth)
	insight.Attach(c, set.cfg, set.prof, insight.Options{WriteConfig: !*demo || set.profileExplicit, Remote: common.RemoteTerminal(os.Environ())})

	p := tea.NewProgram(ui.New(c), tea.WithContext(ctx), tea.WithFPS(common.FrameRate))
	if _, err := p.Run(); err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		fmt.Fprintln(stderr, "konto:", err)
		return 1
	}
	return 0
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

// isTerminal reports whether f is a terminal.
func isTerminal(f *os.File) bool { return xterm.IsTerminal(f.Fd()) }

// demoOnly are the dashboard flags for the demo's own sandbox; notInDemo
// those that name a real bank's session, which the demo has not.
var (
	demoOnly  = []string{"seed", "transactions", "hostile", "faults", "check-window"}
	notInDemo = []string{"api-url", "insecure-storage"}
)

// inapplicableFlag names the first flag given that does not apply, ""
// when they all do: a flag is refused, never silently ignored.
func inapplicableFlag(given map[string]bool, demo bool) string {
	if demo {
		for _, name := range notInDemo {
			if given[name] {
				return "--" + name + " does not apply to --demo, which runs its own sandbox bank"
			}
		}
		return ""
	}
	for _, name := range demoOnly {
		if given[name] {
			return "--" + name + " only applies with --demo"
		}
	}
	return ""
}
