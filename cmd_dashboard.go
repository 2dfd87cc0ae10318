package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	_ "time/tzdata" // dates are shown in Europe/Berlin on any machine

	tea "charm.land/bubbletea/v2"

	"konto/api"
	"konto/api/sandbox"
	"konto/theme"
	"konto/ui"
	"konto/ui/common"
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
  --check-window D    demo: how long a payment whose outcome is unknown is
                      checked before it counts as not booked (default 30m;
                      e.g. 2m, to see the end with --faults)
`

// runDashboard runs konto's dashboard (the default command).
func runDashboard(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("konto", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stdout, usage+dashboardUsage+sessionUsage) }
	demo := fs.Bool("demo", false, "")
	fs.String("api-url", "", "")    // read by loadSettings
	fs.String("theme", "auto", "")  // read by loadSettings
	fs.String("layout", "auto", "") // read by loadSettings
	seed := fs.Int64("seed", 0, "")
	txCount := fs.Int("transactions", 0, "")
	hostile := fs.Bool("hostile", false, "")
	faults := fs.String("faults", "", "")
	checkWindow := fs.Duration("check-window", 0, "")
	sessFlags := addSessionFlags(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "konto: unexpected argument %q (see konto --help)\n", fs.Arg(0))
		return 2
	}
	set, err := loadSettings(fs, sessFlags, nil)
	if err != nil {
		fmt.Fprintln(stderr, "konto:", err)
		return 2
	}
	mode, err := theme.ParseMode(set.prof.Theme)
	if err != nil {
		fmt.Fprintln(stderr, "konto:", err)
		return 2
	}
	layout, err := common.ParseLayout(set.prof.Layout, common.RemoteTerminal(os.Environ()))
	if err != nil {
		fmt.Fprintln(stderr, "konto: --layout:", err)
		return 2
	}
	if !*demo && (*seed != 0 || *txCount != 0 || *hostile || *faults != "" || *checkWindow != 0) {
		fmt.Fprintln(stderr, "konto: --seed, --transactions, --hostile, --faults and --check-window only apply with --demo")
		return 2
	}
	if *checkWindow < 0 {
		fmt.Fprintln(stderr, "konto: --check-window must not be negative")
		return 2
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	var (
		baseURL    string
		connection string
	)
	switch {
	case *demo:
		bank, err := sandbox.New(sandbox.Options{Seed: *seed, Transactions: *txCount, Hostile: *hostile, Faults: *faults})
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
	c.Connection = connection
	c.ThemeMode = mode
	_, c.NoColor = os.LookupEnv("NO_COLOR")
	c.Styles = theme.ForMode(mode, c.NoColor)
	c.TokenEvents = src.Events()
	c.Demo = *demo
	c.Layout = layout
	c.PendingWindow = *checkWindow
	sess.attach(c, src, refresh, auth)

	p := tea.NewProgram(ui.New(c), tea.WithContext(ctx), tea.WithFPS(common.FrameRate))
	if _, err := p.Run(); err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		fmt.Fprintln(stderr, "konto:", err)
		return 1
	}
	return 0
}
